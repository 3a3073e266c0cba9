"""Plain records that cross the storage boundary. storage/ turns them into rows and back."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class FeedState:
    feed_url: str
    etag: str | None = None
    last_modified: str | None = None
    last_polled_at: datetime | None = None
    next_poll_at: datetime | None = None
    retry_after_until: datetime | None = None
    backoff_until: datetime | None = None
    consecutive_failures: int = 0
    poll_interval_s: int | None = None  # from how often the feed publishes (kept through failures)


@dataclass(frozen=True)
class FeedPoll:
    """What one feed poll found out, ready to be written to feed_health."""

    feed_url: str
    polled: bool  # False when skipped (not due, Retry-After, backoff)
    skip_reason: str | None = None
    polled_at: datetime | None = None
    status: int | None = None
    ok: bool = True
    error: str | None = None
    error_kind: str | None = None
    warning: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    feed_title: str | None = None
    next_poll_at: datetime | None = None
    poll_interval_s: int | None = None
    retry_after_until: datetime | None = None
    backoff_until: datetime | None = None
    consecutive_failures: int = 0
    entries_count: int = 0


@dataclass(frozen=True)
class EntryRow:
    """A feed item as the work queue stores it (keyed by story and canonical URL)."""

    url: str
    feed_url: str
    entry_key: str | None
    title: str
    summary: str
    published_at: datetime | None
    content_hash: str
    state: str  # pending | irrelevant | done | failed
    prefilter_score: float | None = None


@dataclass(frozen=True)
class PreviousVersion:
    version: int
    content_hash: str
    text: str
    etag: str | None
    last_modified: str | None
    first_fetched_at: datetime | None


@dataclass(frozen=True)
class WorkItem:
    """A page to fetch in this run."""

    url: str
    feed_url: str
    title: str
    summary: str
    published_at: datetime | None
    reason: str  # new | changed | retry | recheck
    attempts: int = 0
    previous: PreviousVersion | None = None


@dataclass
class PageOutcome:
    """Everything a run learned about one page."""

    url: str
    feed_url: str
    fetched_at: datetime
    reason: str
    ok: bool
    error: str | None = None
    error_kind: str | None = None
    stage: str = "fetch"  # where it failed: fetch | clean | diff
    not_modified: bool = False
    changed: bool = False  # text differs from the previous version (or first version)
    final_url: str | None = None
    # The article's own canonical URL: where a redirecting feed link really led. Articles are
    # stored under it, so one article reached through several links is stored once.
    article_url: str | None = None
    title: str | None = None
    text: str = ""
    published_at: datetime | None = None
    modified_at: datetime | None = None
    site_name: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    content_hash: str | None = None
    fingerprint: int | None = None
    duplicate_of: str | None = None
    relevant: bool = False
    relevance_score: float | None = None
    relevance_reason: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    findings: list = field(default_factory=list)  # list[StoredFinding]
    attempts: int = 0

    @property
    def key(self) -> str:
        return self.article_url or self.url


@dataclass(frozen=True)
class StoredFinding:
    kind: str
    fact_id: str | None
    evidence: str
    confidence: float
    changes: list
    sentence_index: int
    development_id: str | None
    is_alert: bool
