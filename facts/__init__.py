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

Notes for callers:

* ``Seed`` (facts/engine.py) holds ``title``, ``published_at``, ``facts`` and the profile the other
  functions need (entity registry, term weights); ``seed.to_dict()`` is a JSON-able summary.
  Build it once per story and reuse it.
* Seed facts are claims: a sentence with several clauses ("..., and it was reported that ...") gives
  several facts sharing one ``.sentence``; ``.details`` has entities (with roles/titles), numbers with
  units, dates resolved against ``published_at``, quotes with speakers, modality and negation.
* ``DevelopmentIndex(previous)`` accepts stored ``(evidence, kind, fact_id)`` tuples or Findings.
  ``add(finding, url, published_at)`` returns True for a new development; right after it,
  ``index.last_id`` is the development id to store ("D" + 12 hex chars). ``index.key_of(finding)``
  (alias ``development_id``) gives the id without adding.
* ``diff_article`` never reports the title; ``skip_sentences`` are compared whitespace-normalised.
* Everything is deterministic and CPU-only; only generic lexicons (function words, modality and
  negation cues, titles, units, months, countries) are built in; story knowledge comes from the seed
  text and ``StoryHints``.
"""

from .engine import Seed, diff_article, extract_seed, split_claims
from .relevance import relevance_of_article, relevance_of_entry
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
