"""Turkish, Arabic and Ukrainian on every public page (AppTest): nothing English leaks through where the
catalogue has a translation, the status names are the language's own; the session follows the browser."""

from __future__ import annotations

import gettext
import json

import pytest
from babel.messages.pofile import read_po
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from dashboard.i18n import catalogue_path
from tests.helpers import APP, open_app
from tracker.edition.i18n import catalogue_path as edition_catalogue_path
from tracker.statuses import DISPLAY_ORDER, STATUS_LABELS

pytestmark = pytest.mark.sqlite_only  # see tests/conftest.py: the services are tested on both databases

PAGES = {  # page, query parameters
    "overview": (None, {}),
    "measures": ("views/measures.py", {}),
    "measure": (None, {"pledge": "8.2-4"}),
    "timeline": ("views/timeline.py", {}),
    "method": ("views/method.py", {}),
    "open data": ("views/open_data.py", {}),
}
NEW_LANGUAGES = ("tr", "ar", "uk")


def _strings(value) -> list[str]:
    """Every text inside a proto turned into a dict (and inside the JSON of a chart's spec)."""
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    if isinstance(value, str):
        if value.startswith("{") and value.endswith("}"):
            try:
                return _strings(json.loads(value))
            except ValueError:
                pass
        return [value]
    return []


def nodes(block) -> list:
    """The elements and blocks under ``block``, depth first."""
    found = []
    for child in getattr(block, "children", {}).values():
        found += [child, *nodes(child)]
    return found


def shown(app: AppTest) -> set[str]:
    """Every text the page shows: element values, labels, options, help, table headings and cells, chart
    texts; each line on its own too, without Markdown's list marks and emphasis."""
    texts: list[str] = []
    for node in nodes(app._tree):
        if getattr(node, "proto", None) is not None:
            texts += _strings(MessageToDict(node.proto))
        if node.type == "arrow_data_frame":
            frame = node.value
            texts += [str(column) for column in frame.columns] + [str(cell) for cell in frame.to_numpy().ravel()]
    lines = {line.strip().removeprefix("- ").replace("**", "") for text in texts for line in text.splitlines()}
    return {text for text in set(texts) | lines if text}


def leaked_english(app: AppTest, language: str) -> set[str]:
    """Shown texts that are an English message id which ``language`` translates differently."""
    with catalogue_path(language).open("rb") as po:
        catalogue = read_po(po, locale=language)
    english = {m.id for m in catalogue if isinstance(m.id, str) and m.id and m.string and m.string != m.id}
    return shown(app) & english


@pytest.mark.parametrize("language", NEW_LANGUAGES)
def test_every_public_page_speaks_the_language_with_its_own_status_names(app_env, rated, language):
    names = {STATUS_LABELS[status][language] for status in DISPLAY_ORDER}
    for name, (page, params) in PAGES.items():
        app = open_app(page, lang=language, **params)
        page_text = "\n".join(shown(app))  # a badge holds its name inside HTML
        assert not leaked_english(app, language), (name, leaked_english(app, language))
        found = {status_name for status_name in names if status_name in page_text}
        assert found or name == "open data", f"{language} {name}: no status name of the language"
        if name in ("overview", "method"):
            assert found == names, (name, names - found)  # all six, in the figures and the legend


def test_the_checks_find_english_where_it_leaks(app_env, rated):
    """English itself, checked as if it were Turkish: the page's texts are Turkish message ids."""
    app = open_app(lang="en")
    assert "Progress by policy area" in leaked_english(app, "tr")


def test_the_browser_language_is_taken_when_the_address_names_none(app_env, rated):
    app = AppTest.from_file(str(APP), default_timeout=60)
    app.context = {"locale": "uk-UA"}
    app.run()
    assert STATUS_LABELS["kept"]["uk"] in {m.label for m in app.metric}
    assert app.query_params.get("lang") is None  # the browser's language needs no parameter

    app.segmented_control(key="lang").set_value("de").run()  # the switch wins, and stays in the address
    assert STATUS_LABELS["kept"]["de"] in {m.label for m in app.metric}
    assert app.query_params.get("lang") == "de"


@pytest.mark.parametrize(("locale", "shown_in"), [("ar-EG", "en"), ("fr-FR", "de")])
def test_the_address_wins_over_the_browser_and_an_unknown_browser_language_is_german(app_env, rated, locale, shown_in):
    from streamlit.testing.v1 import AppTest as Test

    app = Test.from_file(str(open_app.__globals__["APP"]), default_timeout=60)
    app.context = {"locale": locale}
    if locale == "ar-EG":
        app.query_params["lang"] = "en"
    app.run()
    assert STATUS_LABELS["kept"][shown_in] in {m.label for m in app.metric}


@pytest.mark.parametrize(("language", "written"), [("uk", "DD.MM.YYYY"), ("en", "M/D/YYYY")])
def test_the_timeline_table_writes_dates_as_the_language_does(app_env, rated, language, written):
    app = open_app("views/timeline.py", lang=language)
    columns = json.loads(app.dataframe[0].proto.columns)
    (date_column,) = [c for c in columns.values() if c.get("type_config", {}).get("type") == "date"]
    assert date_column["type_config"]["format"] == written  # not Streamlit's ISO 2026-01-15


@pytest.mark.parametrize("catalogue", [catalogue_path, edition_catalogue_path], ids=["app", "edition"])
def test_arabic_counts_from_11_to_99_take_the_accusative_and_from_100_the_genitive(catalogue):
    """Arabic has six plural forms, and the catalogues' rule (Babel's) gives 11-99 (and 262) form 5, 100-102 form 4:
    "262 إجراءً" takes the accusative ending (tanween fath), "100 إجراء" none. A message that writes them apart
    must put each where the rule looks for it."""
    tanween = "\u064b"
    with catalogue("ar").open("rb") as po:
        messages = read_po(po, locale="ar")
    form = gettext.c2py(messages.plural_expr)
    assert (form(11), form(62), form(262), form(100), form(102)) == (5, 5, 5, 4, 4)
    misplaced = [
        message.id[1]
        for message in messages
        if message.pluralizable and message.id and message.string[4].count(tanween) > message.string[5].count(tanween)
    ]
    assert misplaced == []
