"""Agreement figures in the reader's language, for the double-rating page and the method page: the share of
identical ratings, Cohen's kappa ("nicht berechenbar" where it is undefined) and the table per policy area."""

from __future__ import annotations

import pandas as pd
from babel.numbers import format_decimal, format_percent

from dashboard.i18n import _, current_language
from tracker import services


def kappa_text(value: float | None) -> str:
    """Kappa to three decimals in the reader's language ("0,492"); "not computable" where it is undefined."""
    return _("not computable") if value is None else format_decimal(value, "0.000", locale=current_language())


def share_text(value: float | None) -> str:
    return "–" if value is None else format_percent(value, locale=current_language())


def area_table(areas: tuple[services.AreaAgreement, ...]) -> pd.DataFrame:
    """One row per policy area of the sample: its measures, how many were rated alike, the share, kappa."""
    return pd.DataFrame(
        [
            (
                f"{a.number}. {a.title}",
                a.agreement.items,
                a.agreement.agreed,
                share_text(a.agreement.observed),
                kappa_text(a.agreement.kappa),
            )
            for a in areas
        ],
        columns=[_("Policy area"), _("Measures"), _("Identical"), _("Agreement"), _("Kappa")],
    )
