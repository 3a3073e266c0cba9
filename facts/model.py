"""The fact engine's public dataclasses. Everything here is plain data: JSON-able via to_dict()."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

KINDS = ("confirms", "updates", "contradicts", "new")
STATES = ("unconfirmed", "confirmed", "updated", "contradicted")


@dataclass(frozen=True)
class StoryHints:
    """Optional user hints from a story's config (never hard-coded in the engine)."""

    keywords: tuple[str, ...] = ()  # extra on-topic words or phrases
    exclude_keywords: tuple[str, ...] = ()  # words that mark an entry as off-topic
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # canonical name -> other spellings


@dataclass(frozen=True)
class SeedFact:
    fact_id: str  # stable for the same seed text: "F01", "F02", ...
    ordinal: int
    text: str  # the checkable claim (often the whole sentence)
    sentence: str  # the seed sentence it comes from
    details: dict = field(default_factory=dict)  # entities, numbers, dates, quotes, modality, negation (JSON-able)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Change:
    field: str  # what changed: "number", "date", "status", "modality", ...
    old: str
    new: str


@dataclass(frozen=True)
class Finding:
    kind: str  # one of KINDS
    fact_id: str | None  # None for "new"
    evidence: str  # the follow-up sentence that says it
    sentence_index: int  # position of the sentence in the article text
    confidence: float  # 0..1
    changes: tuple[Change, ...] = ()

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Relevance:
    relevant: bool
    score: float
    reason: str


@dataclass(frozen=True)
class Observation:
    """A stored finding, as the roll-up sees it."""

    kind: str
    fact_id: str | None
    evidence: str
    article_url: str
    published_at: datetime | None
    detected_at: datetime


@dataclass(frozen=True)
class FactStatus:
    fact_id: str
    state: str  # one of STATES
    evidence: str | None
    article_url: str | None
    as_of: datetime | None
