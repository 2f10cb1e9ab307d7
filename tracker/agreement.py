"""Agreement between two raters on a nominal scale: the share of identical ratings and Cohen's kappa.

Pure functions, no database: ``agreement(pairs)`` takes one (rating of rater A, rating of rater B) pair per item.

Cohen's kappa (Cohen 1960, "A coefficient of agreement for nominal scales", Educational and Psychological
Measurement 20, 37-46) corrects the observed share of agreement p_o for the share p_e expected by chance from
each rater's own distribution of ratings: kappa = (p_o - p_e) / (1 - p_e). When p_e is 1 (both raters gave one
and the same rating to every item) kappa is undefined: ``kappa`` is then None, never a division by zero.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Agreement:
    """How far two raters agree on ``items`` items: ``agreed`` of them identically."""

    items: int
    agreed: int
    observed: float | None  # p_o, the share of identical ratings (None without items)
    expected: float | None  # p_e, the share expected by chance from the raters' marginal distributions
    kappa: float | None  # None without items, or when p_e is 1 (undefined)

    @property
    def disagreed(self) -> int:
        return self.items - self.agreed


def agreement(pairs: Iterable[tuple[Hashable, Hashable]]) -> Agreement:
    """The agreement of the pairs (rating of A, rating of B), one per item."""
    pairs = list(pairs)
    n = len(pairs)
    if n == 0:
        return Agreement(0, 0, None, None, None)
    agreed = sum(1 for a, b in pairs if a == b)
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    # Integer sums first, one division at the end: p_e is exactly 1 when and only when it should be.
    chance = sum(first[category] * second[category] for category in first)
    observed = agreed / n
    expected = chance / (n * n)
    kappa = None if chance == n * n else (agreed * n - chance) / (n * n - chance)
    return Agreement(n, agreed, observed, expected, kappa)
