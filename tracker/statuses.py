"""The six statuses a pledge can have, their fixed display order, their colours and their names; the kinds of
source and their names.

The app and the published edition both draw with these colours, so a status looks the same everywhere.
``STATUS_LABELS`` and ``SOURCE_KIND_LABELS`` are the one table of the names in German, English, Turkish,
Arabic and Ukrainian: the dashboard shows them, the spreadsheet exports write them, and a spreadsheet import
accepts them (as well as the keys, in any case) through ``status_key`` and ``source_kind_key``.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

LANGUAGES: tuple[str, ...] = ("de", "en", "tr", "ar", "uk")


class Status(StrEnum):
    NOT_RATED = "not_rated"
    IN_PROGRESS = "in_progress"
    STALLED = "stalled"
    PARTIALLY_KEPT = "partially_kept"
    KEPT = "kept"
    BROKEN = "broken"


STATUS_KEYS: tuple[str, ...] = tuple(s.value for s in Status)

# key -> language -> name, as people read and write it
STATUS_LABELS: dict[str, dict[str, str]] = {
    Status.NOT_RATED: {
        "de": "Noch nicht bewertet",
        "en": "Not yet rated",
        "tr": "Henüz değerlendirilmedi",
        "ar": "لم يُقيَّم بعد",
        "uk": "Ще не оцінено",
    },
    Status.IN_PROGRESS: {
        "de": "In Arbeit",
        "en": "In the works",
        "tr": "Üzerinde çalışılıyor",
        "ar": "قيد التنفيذ",
        "uk": "У роботі",
    },
    Status.STALLED: {"de": "Blockiert", "en": "Stalled", "tr": "Durdu", "ar": "متعثّر", "uk": "Заблоковано"},
    Status.PARTIALLY_KEPT: {
        "de": "Teilweise umgesetzt",
        "en": "Compromise",
        "tr": "Kısmen uygulandı",
        "ar": "نُفِّذ جزئيًا",
        "uk": "Частково виконано",
    },
    Status.KEPT: {"de": "Umgesetzt", "en": "Kept", "tr": "Uygulandı", "ar": "نُفِّذ", "uk": "Виконано"},
    Status.BROKEN: {"de": "Gebrochen", "en": "Broken", "tr": "Tutulmadı", "ar": "أُخلِف", "uk": "Порушено"},
}

# A rating that ends a measure's story: once its deadline has passed, any other status asks for a final rating.
FINAL_STATUSES: tuple[str, ...] = (Status.KEPT, Status.PARTIALLY_KEPT, Status.BROKEN)

# The fixed order of every chart, legend, table and list of figures: kept first, unrated last.
DISPLAY_ORDER: tuple[str, ...] = (
    Status.KEPT,
    Status.PARTIALLY_KEPT,
    Status.IN_PROGRESS,
    Status.STALLED,
    Status.BROKEN,
    Status.NOT_RATED,
)

# One colour-blind-safe colour per status (Okabe-Ito palette), the same on every chart and badge.
COLORS: dict[str, str] = {
    Status.KEPT: "#009E73",  # bluish green
    Status.PARTIALLY_KEPT: "#F0E442",  # yellow
    Status.IN_PROGRESS: "#0072B2",  # blue
    Status.STALLED: "#E69F00",  # orange
    Status.BROKEN: "#D55E00",  # vermillion
    Status.NOT_RATED: "#BBBBBB",  # grey
}
# Text written on a status colour: each pair reaches WCAG AA contrast for small text (4.5:1; white on
# the bluish green would reach only 3.4:1, so it carries black text).
TEXT_COLORS: dict[str, str] = {
    Status.KEPT: "#000000",
    Status.PARTIALLY_KEPT: "#000000",
    Status.IN_PROGRESS: "#FFFFFF",
    Status.STALLED: "#000000",
    Status.BROKEN: "#000000",
    Status.NOT_RATED: "#000000",
}


class SourceKind(StrEnum):
    COUNCIL = "council"
    PRESS = "press"
    CITY = "city"
    PARTY = "party"
    OTHER = "other"


SOURCE_KINDS: tuple[str, ...] = tuple(k.value for k in SourceKind)

SOURCE_KIND_LABELS: dict[str, dict[str, str]] = {
    SourceKind.COUNCIL: {
        "de": "Ratsvorlage oder -beschluss",
        "en": "Council paper or decision",
        "tr": "Meclis belgesi veya kararı",
        "ar": "وثيقة أو قرار المجلس البلدي",
        "uk": "Документ або рішення ради",
    },
    SourceKind.PRESS: {"de": "Presse", "en": "Press", "tr": "Basın", "ar": "الصحافة", "uk": "Преса"},
    SourceKind.CITY: {
        "de": "Mitteilung der Stadt",
        "en": "City announcement",
        "tr": "Belediye duyurusu",
        "ar": "إعلان من المدينة",
        "uk": "Повідомлення міста",
    },
    SourceKind.PARTY: {"de": "Partei", "en": "Party", "tr": "Parti", "ar": "الحزب", "uk": "Партія"},
    SourceKind.OTHER: {"de": "Sonstiges", "en": "Other", "tr": "Diğer", "ar": "أخرى", "uk": "Інше"},
}


class Role(StrEnum):
    EDITOR = "editor"  # records status changes and evidence
    REVIEWER = "reviewer"  # also approves or returns what others propose (review by a second person)
    ADMIN = "admin"  # also manages accounts and sees the audit trail


ROLES: tuple[str, ...] = tuple(r.value for r in Role)


def _folded(value: str) -> str:
    """Case and runs of spaces do not matter: " in  ARBEIT " is "in arbeit"."""
    return " ".join(value.split()).casefold()


def _key_for(value: str, labels: Mapping[str, Mapping[str, str]]) -> str | None:
    wanted = _folded(value)
    for key, names in labels.items():
        if wanted == key or wanted in (_folded(name) for name in names.values()):
            return str(key)
    return None


def status_key(value: str) -> str | None:
    """The status that ``value`` names: a key or a label in any of the languages, in any case; None if none."""
    return _key_for(value, STATUS_LABELS)


def source_kind_key(value: str) -> str | None:
    """The kind of source that ``value`` names: a key or a label in any of the languages, in any case; None if none."""
    return _key_for(value, SOURCE_KIND_LABELS)


def accepted_names(labels: Mapping[str, Mapping[str, str]]) -> str:
    """What an error lists as accepted: the keys, then the labels of each language."""
    parts = [", ".join(labels)] + [", ".join(names[language] for names in labels.values()) for language in LANGUAGES]
    return "; ".join(parts)


class ReviewState(StrEnum):
    """Where a reviewed row (a status change, a checkability flag, a translation) stands.

    With review on, what staff record is *proposed*: staff see it, the public does not. A reviewer who is not
    its author approves it (then it is public) or returns it with a reason (the author then proposes anew or
    withdraws it). Nothing is ever deleted. With review off, what staff record is approved at once.
    """

    PROPOSED = "proposed"
    APPROVED = "approved"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"


REVIEW_STATES: tuple[str, ...] = tuple(s.value for s in ReviewState)


class BrokenReason(StrEnum):
    """Why a pledge was broken: a ``broken`` rating names one of these (``other`` with a text)."""

    NO_MAJORITY = "no_majority"
    NOT_PRIORITISED = "not_prioritised"
    CHANGED_POSITION = "changed_position"
    NOT_MUNICIPAL = "not_municipal"
    NO_BUDGET = "no_budget"
    OTHER = "other"


BROKEN_REASONS: tuple[str, ...] = tuple(r.value for r in BrokenReason)

# key -> language -> name; ``broken_reason_key`` accepts the key or a label in any case, as for statuses.
BROKEN_REASON_LABELS: dict[str, dict[str, str]] = {
    BrokenReason.NO_MAJORITY: {
        "de": "Keine Mehrheit im Rat",
        "en": "No council majority",
        "tr": "Mecliste çoğunluk yok",
        "ar": "لا توجد أغلبية في المجلس",
        "uk": "Немає більшості в раді",
    },
    BrokenReason.NOT_PRIORITISED: {
        "de": "Nicht vorrangig behandelt",
        "en": "Not prioritised",
        "tr": "Öncelik verilmedi",
        "ar": "لم يُعطَ أولوية",
        "uk": "Не було пріоритетом",
    },
    BrokenReason.CHANGED_POSITION: {
        "de": "Position geändert",
        "en": "Changed position",
        "tr": "Tutum değiştirildi",
        "ar": "تغيّر الموقف",
        "uk": "Позицію змінено",
    },
    BrokenReason.NOT_MUNICIPAL: {
        "de": "Nicht in kommunaler Zuständigkeit",
        "en": "Outside municipal competence",
        "tr": "Belediyenin yetki alanı dışında",
        "ar": "خارج صلاحيات البلدية",
        "uk": "Поза компетенцією громади",
    },
    BrokenReason.NO_BUDGET: {
        "de": "Kein Geld im Haushalt",
        "en": "No money in the budget",
        "tr": "Bütçede para yok",
        "ar": "لا أموال في الميزانية",
        "uk": "Немає коштів у бюджеті",
    },
    BrokenReason.OTHER: {
        "de": "Anderer Grund",
        "en": "Other reason",
        "tr": "Başka bir neden",
        "ar": "سبب آخر",
        "uk": "Інша причина",
    },
}


def broken_reason_key(value: str) -> str | None:
    """The reason that ``value`` names: a key or a label in any of the languages, in any case; None if none."""
    return _key_for(value, BROKEN_REASON_LABELS)


class TipState(StrEnum):
    """A hint from the public: open until staff accept it (as evidence or a proposed change) or reject it."""

    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


TIP_STATES: tuple[str, ...] = tuple(s.value for s in TipState)


def direction(language: str) -> str:
    """The writing direction of ``language``: "rtl" for a language written right to left (Arabic), else "ltr".

    The one rule for ``<html dir>`` of the app's pages and the edition's (CLDR's, through Babel)."""
    from babel import Locale, UnknownLocaleError

    try:
        return "rtl" if Locale.parse(language).character_order == "right-to-left" else "ltr"
    except (ValueError, UnknownLocaleError):
        return "ltr"
