"""Relevance: is a feed entry, or a cleaned article, about the seed's story at all?

Decided from story-specific signals derived from the seed (its weighted terms, named entities,
places) plus the user's hints; robust to hard negatives that share only generic keywords.
"""
from __future__ import annotations

from . import nlp
from .engine import Seed, _term_score, sentence_tokens
from .entities import find_mentions
from .model import Relevance
from .places import normalize_places, places_in


def _top_mass(seed: Seed, k: int = 25) -> float:
    return sum(sorted(seed.story_terms.values(), reverse=True)[:k]) or 1.0


def _foreign_title(seed: Seed, title: str, text: str) -> bool:
    """The headline is about other countries: it names a country the seed never mentions and fewer
    of the seed's countries than the seed's own pairing (a US-India story for a US-China seed)."""
    tp = places_in(title or "")
    foreign = tp - seed.places
    if not foreign or not seed.places:
        return False
    if len(tp & seed.places) >= min(2, len(seed.places)):
        return False
    # named seed people in the text keep it on topic
    for m in find_mentions(normalize_places(text or "")):
        if m.kind != "role" and seed.registry.resolve(m) in seed.person_ids:
            return False
    return True


def relevance_of_entry(seed: Seed, title: str, summary: str) -> Relevance:
    text = f"{title or ''}. {summary or ''}"
    for rx in seed.exclude_res:
        if rx.search(text):
            return Relevance(False, 0.0, f"exclude keyword {rx.pattern!r}")
    kw = [rx.pattern for rx in seed.keyword_res if rx.search(text)]
    if not kw and _foreign_title(seed, title, summary):
        return Relevance(False, 0.05, "headline about other countries")
    toks, ids, _ = sentence_tokens(seed.registry, text)
    score, nhit, nents = _term_score(seed, set(toks))
    norm = score / (_top_mass(seed, 12))
    rel = bool(kw) or nents >= 1 and nhit >= 2 or nhit >= 3 or norm >= 0.25
    reason = f"terms={nhit} entities={nents} score={norm:.2f}" + (f" keywords={len(kw)}" if kw else "")
    return Relevance(rel, round(min(1.0, norm + 0.2 * bool(kw)), 3), reason)


def relevance_of_article(seed: Seed, title: str, text: str) -> Relevance:
    body = f"{title or ''}\n{text or ''}"
    for rx in seed.exclude_res:
        if rx.search(body):
            return Relevance(False, 0.0, f"exclude keyword {rx.pattern!r}")
    if not any(rx.search(body) for rx in seed.keyword_res) and _foreign_title(seed, title, text):
        return Relevance(False, 0.05, "headline about other countries")
    sents = [s for s in nlp.split_sentences(text or "") if not nlp.is_boilerplate(s)]
    all_toks: set[str] = set()
    all_ids: set[str] = set()
    on = 0
    for s in [title or ""] + sents:
        toks, ids, _ = sentence_tokens(seed.registry, s)
        all_toks.update(toks)
        all_ids.update(ids)
        sc, nh, ne = _term_score(seed, set(toks))
        if ne and nh >= 2 or nh >= 3:
            on += 1
    named = all_ids & seed.named_ids
    score, nhit, nents = _term_score(seed, all_toks)
    coverage = score / _top_mass(seed, 40)
    frac = on / max(1, len(sents))
    kw = any(rx.search(body) for rx in seed.keyword_res)
    s = 0.6 * min(1.0, coverage) + 0.4 * frac + (0.15 if kw else 0.0)
    countries = places_in(body) & seed.places
    anchored = bool(named) or kw or not seed.named_ids or (
        seed.places and len(countries) >= min(2, len(seed.places)) and coverage >= 0.15)
    rel = s >= 0.25 and nhit >= 4 and bool(anchored)
    return Relevance(rel, round(min(1.0, s), 3),
                     f"coverage={coverage:.2f} on-topic sentences={on}/{len(sents)} entities={nents} named={len(named)}")
