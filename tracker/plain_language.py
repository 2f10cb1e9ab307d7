"""The tracker explained in plain German ("Leichte Sprache"), for the app's page and the edition's.

German only, on purpose: Leichte Sprache is a German standard for readers who find ordinary German hard
(people with learning difficulties, people who are learning German). The text follows its rules: short
sentences, one statement in each, no abbreviations, long words split with a hyphen ("Wahl-Programm"), every
hard word explained where it first comes up, the reader addressed as "Sie". The names of the statuses are
the ones the pages show (``STATUS_LABELS``), so a reader finds the same words on the badges.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.statuses import DISPLAY_ORDER, STATUS_LABELS, Status

LANGUAGE = "de"  # the language of the text, whatever the language of the page around it
TITLE = "Leichte Sprache"
PATH = "leichte-sprache"  # the app's address and the edition's file name (leichte-sprache.html)

# What each status means, in one or two plain statements.
_STATUS_MEANINGS: dict[str, tuple[str, ...]] = {
    Status.KEPT: ("Die Partei hat das Versprechen gehalten.", "Die Maßnahme ist fertig."),
    Status.PARTIALLY_KEPT: ("Ein Teil von der Maßnahme ist fertig.", "Oder die Maßnahme ist kleiner als versprochen."),
    Status.IN_PROGRESS: ("Die Arbeit an der Maßnahme hat angefangen.", "Die Maßnahme ist noch nicht fertig."),
    Status.STALLED: ("Die Arbeit an der Maßnahme steht still.", "Zum Beispiel: Es fehlt Geld."),
    Status.BROKEN: ("Die Partei hat das Versprechen nicht gehalten.", "Die Maßnahme kommt nicht."),
    Status.NOT_RATED: ("Wir haben die Maßnahme noch nicht geprüft.", "Jede Maßnahme fängt so an."),
}


@dataclass(frozen=True)
class PlainSection:
    """One part of the page: a heading, then sentences (one statement each), then an optional list of terms
    with their meaning (the statuses) and an optional list of steps (done one after the other)."""

    heading: str
    sentences: tuple[str, ...]
    terms: tuple[tuple[str, tuple[str, ...]], ...] = ()
    steps: tuple[str, ...] = ()
    after: tuple[str, ...] = ()  # sentences after the list


def plain_german(edition: bool = False, contact: str | None = None) -> tuple[PlainSection, ...]:
    """The page's text. ``edition``: for the published edition, which has no search and no form (it points to
    the live app for hints); ``contact``: the editorial team's address, if one is configured."""
    what = PlainSection(
        "Was ist diese Internet-Seite?",
        (
            "Eine Partei hat vor der Wahl ein Wahl-Programm geschrieben.",
            "Ein Wahl-Programm ist ein Text.",
            "In dem Text steht: Das will die Partei in der Stadt machen.",
            "Jeder Punkt in dem Text ist ein Versprechen.",
            "Wir nennen so einen Punkt: Maßnahme.",
            "Auf dieser Internet-Seite prüfen wir jede Maßnahme.",
            "Wir schreiben auf: Was ist mit der Maßnahme passiert?",
            "Wir zeigen auch: Woher wissen wir das?",
            "Dafür nennen wir eine Quelle.",
            "Eine Quelle ist zum Beispiel ein Artikel in der Zeitung.",
            "Eine Quelle kann auch ein Beschluss vom Stadt-Rat sein.",
            "Der Stadt-Rat sind die gewählten Politiker in der Stadt.",
            "Ein Beschluss ist eine Entscheidung vom Stadt-Rat.",
        ),
    )
    statuses = PlainSection(
        "Was bedeuten die Bewertungen?",
        (
            "Jede Maßnahme hat eine Bewertung.",
            "Die Bewertung zeigt: So weit ist die Maßnahme.",
            f"Es gibt {len(DISPLAY_ORDER)} Bewertungen.",
            "Jede Bewertung hat eine eigene Farbe.",
            "Neben der Farbe steht immer das Wort.",
        ),
        terms=tuple((STATUS_LABELS[status][LANGUAGE], _STATUS_MEANINGS[status]) for status in DISPLAY_ORDER),
    )
    if edition:
        find = PlainSection(
            "Wie finde ich eine Maßnahme?",
            (
                "Auf der Start-Seite sehen Sie alle Themen.",
                "Ein Thema ist zum Beispiel: Bildung.",
                "So finden Sie eine Maßnahme:",
            ),
            steps=(
                "Klicken Sie auf ein Thema.",
                "Dann sehen Sie alle Maßnahmen zu dem Thema.",
                "Klicken Sie auf eine Maßnahme.",
                "Dann sehen Sie die Seite von der Maßnahme.",
            ),
            after=("Dort steht die Bewertung.", "Dort stehen auch die Quellen."),
        )
    else:
        find = PlainSection(
            "Wie finde ich eine Maßnahme?",
            ("Oben auf der Seite ist ein Menü.", "So finden Sie eine Maßnahme:"),
            steps=(
                "Klicken Sie im Menü auf: Maßnahmen.",
                "Dann sehen Sie alle Maßnahmen.",
                "Über der Liste ist ein Feld zum Suchen.",
                "Schreiben Sie ein Wort in das Feld. Zum Beispiel: Schule.",
                "Dann sehen Sie nur die Maßnahmen mit diesem Wort.",
                "Klicken Sie auf eine Maßnahme.",
                "Dann sehen Sie die Seite von der Maßnahme.",
            ),
            after=("Dort steht die Bewertung.", "Dort stehen auch die Quellen."),
        )
    hint_intro = (
        "Vielleicht wissen Sie etwas Neues über eine Maßnahme.",
        "Zum Beispiel: Der Stadt-Rat hat etwas beschlossen.",
        "Dann können Sie uns einen Hinweis schicken.",
        "Ein Hinweis ist eine kurze Nachricht an uns.",
    )
    if edition:
        hint_intro += (
            "Diese Seiten hier sind nur zum Lesen.",
            "Einen Hinweis schicken Sie auf unserer anderen Internet-Seite.",
        )
    hint = PlainSection(
        "Wie kann ich einen Hinweis geben?",
        (*hint_intro, "So geht das:"),
        steps=(
            "Öffnen Sie die Seite von der Maßnahme.",
            "Auf der Seite ist ein Knopf: Hinweis geben.",
            "Klicken Sie auf den Knopf.",
            "Schreiben Sie Ihren Hinweis in das Feld.",
            "Schicken Sie den Hinweis ab.",
        ),
        after=(
            "Wir lesen jeden Hinweis.",
            "Dann prüfen wir die Maßnahme noch einmal.",
            *((f"Sie können uns auch schreiben. Unsere Adresse ist: {contact}",) if contact else ()),
        ),
    )
    return (what, statuses, find, hint)
