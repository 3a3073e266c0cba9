"""The fact engine: pure functions from text to dataclasses. No I/O, no network, no models to download.

Public API (see facts/model.py for the dataclasses):

    seed = extract_seed(text, title=..., published_at=..., hints=StoryHints(...))
    seed.facts                                  -> tuple[SeedFact, ...]
    relevance_of_entry(seed, title, summary)    -> Relevance   (cheap prefilter before fetching)
    relevance_of_article(seed, title, text)     -> Relevance   (final decision on cleaned text)
    diff_article(seed, title=..., text=..., published_at=..., skip_sentences=())
                                                -> list[Finding]
    DevelopmentIndex(previous evidence)         -> groups the same development across sources
    roll_up(seed, observations)                 -> list[FactStatus]  (one per seed fact)
"""

from .engine import Seed, diff_article, extract_seed, relevance_of_article, relevance_of_entry, split_claims
from .model import (KINDS, STATES, Change, FactStatus, Finding, Observation, Relevance, SeedFact,
                    StoryHints)
from .nlp import extract_dates, extract_numbers, is_boilerplate, modality, negated, split_sentences
from .tracking import DevelopmentIndex, roll_up

__all__ = [
    "Seed", "extract_seed", "relevance_of_entry", "relevance_of_article", "diff_article",
    "DevelopmentIndex", "roll_up", "split_claims", "split_sentences", "is_boilerplate",
    "extract_numbers", "extract_dates", "modality", "negated",
    "KINDS", "STATES", "Change", "FactStatus", "Finding", "Observation", "Relevance", "SeedFact",
    "StoryHints",
]
