"""Plain dataclasses passed between the fetching, parsing and cleaning stages.

They carry no behaviour beyond small conveniences, so every stage can be tested
with values built by hand.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class FetchResult:
    """The outcome of one HTTP GET, success or failure; never raises to the caller."""

    url: str  # what was asked for
    final_url: str  # after redirects (== url when none)
    status: int | None  # HTTP status; None when no response came back
    headers: dict[str, str] = field(default_factory=dict)  # lower-cased names
    body: bytes = b""  # decoded (gunzipped) body, empty on 304 or error
    not_modified: bool = False  # 304 answer to a conditional GET
    error: str | None = None  # clear, human-readable message when it failed
    error_kind: str | None = None  # short machine tag: timeout, refused_address, too_large, http_4xx, ...
    retry_after: datetime | None = None  # when the server asked us to come back (429/503)
    elapsed_s: float = 0.0
    # Added by the fetch layer (all optional):
    fresh_until: datetime | None = None  # from Cache-Control max-age / Expires (capped)
    attempts: int = 1  # how many tries it took (transient failures are retried)
    permanent_redirect: bool = False  # every redirect hop was 301/308: the caller may update the stored URL

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed, normalized."""

    entry_key: str  # stable id: guid/id, else canonical link, else hash of title+summary
    url: str | None  # absolute, canonicalized link to the article page
    title: str
    summary: str  # plain text (markup stripped)
    published_at: datetime | None  # timezone-aware UTC; None when missing/invalid
    updated_at: datetime | None
    content_hash: str  # hash of title+summary+link: changes when the item changes


@dataclass(frozen=True)
class ParsedFeed:
    feed_url: str
    title: str | None
    link: str | None
    entries: tuple[FeedEntry, ...]
    warning: str | None = None  # bozo / recoverable problem: entries still usable
    error: str | None = None  # fatal: nothing usable (not a feed, refused XML, ...)
    discovered_feeds: tuple[str, ...] = ()  # an HTML page's <link rel=alternate> feed URLs


@dataclass(frozen=True)
class LiveEntry:
    """One timestamped entry of a live blog."""

    published_at: datetime | None
    title: str | None
    text: str


@dataclass(frozen=True)
class Article:
    """A cleaned article page: its text and metadata."""

    text: str  # paragraphs separated by blank lines; no boilerplate
    title: str | None = None
    published_at: datetime | None = None
    modified_at: datetime | None = None
    authors: tuple[str, ...] = ()
    canonical_url: str | None = None
    language: str | None = None
    site_name: str | None = None
    description: str | None = None
    paywalled: bool = False  # page says so, or text is cut short behind a paywall
    truncated: bool = False
    live_blog: bool = False
    live_entries: tuple[LiveEntry, ...] = ()

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p.strip()]
