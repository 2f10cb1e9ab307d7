"""Atom feeds of status changes, built with feedgen: the whole programme, an area, a measure.

Ids are tag: URIs (RFC 4151) made of the programme's slug and election date, the pledge code and the
change's sequence number, so an entry keeps its id across publishes, hosts and languages; a feed's
``updated`` is the newest entry's publishing time, so a feed changes only when its entries do. An entry is dated
when its change became public (``ChangeView.published_at``: its approval under review), so that a change approved
today is new to a reader today, however long ago it was proposed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from feedgen.feed import FeedGenerator

from tracker.services.browse import ChangeView
from tracker.services.edition import EditionPledge

TAG_AUTHORITY = "pledge-tracker"


@dataclass(frozen=True)
class FeedEntry:
    pledge: EditionPledge
    change: ChangeView


def tag_uri(election: dt.date, specific: str) -> str:
    return f"tag:{TAG_AUTHORITY},{election.isoformat()}:{specific}"


def entry_id(slug: str, election: dt.date, code: str, sequence: int) -> str:
    return tag_uri(election, f"{slug}/{code}/{sequence}")


def atom_feed(
    *,
    feed_id: str,
    title: str,
    subtitle: str,
    language: str,
    author: str,
    self_href: str,
    alternate_href: str,
    entries: Sequence[FeedEntry],
    slug: str,
    election: dt.date,
    entry_title: Callable[[FeedEntry], str],
    entry_content: Callable[[FeedEntry], str],
    entry_href: Callable[[FeedEntry], str],
) -> bytes:
    """One Atom document; ``entries`` newest first. Every text goes in as text (lxml escapes it)."""
    feed = FeedGenerator()
    feed.id(feed_id)
    feed.title(title)
    feed.subtitle(subtitle)
    feed.language(language)
    feed.author({"name": author})
    feed.link(href=self_href, rel="self", type="application/atom+xml")
    feed.link(href=alternate_href, rel="alternate", type="text/html")
    newest = max((e.change.published_at for e in entries), default=None)
    feed.updated(newest or dt.datetime.combine(election, dt.time(), dt.UTC))
    for item in entries:
        entry = feed.add_entry(order="append")
        entry.id(entry_id(slug, election, item.pledge.code, item.change.sequence))
        entry.title(entry_title(item))
        entry.author({"name": item.change.author})
        entry.published(item.change.published_at)
        entry.updated(item.change.published_at)
        entry.link(href=entry_href(item), rel="alternate", type="text/html")
        entry.content(entry_content(item), type="text")
    return feed.atom_str(pretty=True)
