"""Relevance: is a feed entry, or a cleaned article, about the seed's story at all?

Decided from story-specific *anchors* derived from the seed plus the user's hints; robust to hard
negatives that share only generic keywords or a place:

* **Strong anchors**: the seed's salient named entities (people, organisations, named things) that
  appear in its title or in a checkable claim, resolved across spellings through the seed's entity
  registry. A match on a generic part of a name only ("Construction" for "Marren Construction") does
  not count: the mention must share the entity's *core* token (the one the seed itself keeps using)
  or be a fuzzy spelling of a person. User hint keywords are strong anchors too.
* **Weak anchors**: places (countries, and named entities the seed mostly uses after a locative
  preposition: "in Lindholm", "in London"), role-only mentions ("the commerce secretary"), news
  agencies/datelines (entities outside every claim and the title), lone mentions of an entity.
* **Event terms**: the seed's story terms, generic news words discounted.
* **Other actors**: named entities and countries the seed never mentions. When one of them leads the
  headline and is reported more than any strong seed anchor, the article is about someone else
  (another airline's strike, another company's fine, another country's trade deal).

An article is relevant when it is strongly anchored (a strong anchor in the headline/lead, or in
several sentences), is not dominated by another actor, and shares enough event terms; with weak
anchors only it needs the seed's full set of countries and a high event-term coverage spread over
the article. The feed-entry prefilter uses the same signals on title + summary but stays generous.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from collections import Counter
from dataclasses import dataclass, field

from . import nlp
from .engine import Seed, _syn
from .entities import ORG_CUES, find_mentions, name_similarity
from .model import Relevance
from .places import PLACE_NAMES, normalize_places, places_in

# generic collective actors that a seed may capitalise at the start of a sentence ("Prosecutors said")
_GENERIC_ACTORS = set("""prosecutors prosecution police officials investigators judges lawyers workers
residents regulators authorities analysts shareholders investors passengers unions firefighters rescuers
protesters lawmakers ministers mediators members staff employees customers critics experts observers
sources officers troops voters students parents doctors nurses pilots crews managers directors
executives traders economists scientists researchers volunteers villagers farmers""".split())
_LOCATIVE_STRICT = {"in", "at", "near", "outside", "inside", "across", "around", "above", "below", "beneath"}
# a name ending in one of these is a location, whoever the story is about ("Velmar Airport")
_PLACE_HEADS = {"airport", "spaceport", "airfield", "station", "square", "street", "road", "avenue", "district",
                "province", "county"}


@dataclass
class _Profile:
    strong: dict = field(default_factory=dict)  # eid -> salience weight
    weak: set = field(default_factory=set)  # eids that only weakly anchor
    core: dict = field(default_factory=dict)  # eid -> core name tokens
    tokens: dict = field(default_factory=dict)  # eid -> all name tokens
    event_mass: float = 1.0  # mass of the seed's top event terms
    entity_toks: frozenset = frozenset()  # "zze..." tokens of all seed entities
    core_index: dict = field(default_factory=dict)  # core token of a strong entity -> eid


def _generic_word(seed: Seed, tok: str) -> bool:
    t = tok.lower().removesuffix("'s").removesuffix("\u2019s")
    st = nlp.stem(t)
    return (t in _GENERIC_ACTORS or t in nlp.COMMON_NEWS or st in nlp.COMMON_NEWS or t in nlp.PEOPLE_NOUNS or st in nlp.PEOPLE_NOUNS
            or t in ORG_CUES or st in seed.vocab or t in nlp.STOPWORDS)


_PLACE_LOW = {x.lower() for x in PLACE_NAMES}


@lru_cache(maxsize=4096)
def _is_place_token(text: str) -> bool:
    """A country or a hyphenated pair of countries ("china-us", "US-China")."""
    parts = [x for x in re.split(r"[-\u2013/\s]+", text.lower().removesuffix("'s")) if x]
    return bool(parts) and all(x in _PLACE_LOW or places_in(x.upper() if len(x) <= 3 else x.title()) for x in parts)


def _profile(seed: Seed) -> _Profile:
    cached = seed.__dict__.get("_relevance_profile")
    if cached is not None:
        return cached
    reg = seed.registry
    ents = {e.eid: e for e in reg.entities}
    fact_eids = {d.get("id") for f in seed.facts for d in (f.details or {}).get("entities", []) if d.get("id")}
    counts: Counter = Counter()
    loc: Counter = Counter()
    in_title: set = set()
    initial: Counter = Counter()  # mentions that open the sentence (capitalised by position only?)
    tokuse: dict = {}
    texts = ([(seed.title, True)] if seed.title else []) + [(s, False) for s in seed.seed_sentences]
    for s, is_title in texts:
        ns = normalize_places(s)
        for m in find_mentions(ns):
            if m.kind == "role" or not m.tokens:
                continue
            eid = reg.resolve(m)
            if not eid:
                continue
            counts[eid] += 1
            if is_title:
                in_title.add(eid)
            prev = ns[:m.start].split()[-1:]
            if prev and prev[0].lower() in _LOCATIVE_STRICT:
                loc[eid] += 1
            if not ns[:m.start].strip(" \"'\u201c(") and len(m.tokens) == 1:
                initial[eid] += 1
            tokuse.setdefault(eid, Counter()).update(set(m.tokens))
    p = _Profile()
    for eid in seed.named_ids:
        e = ents.get(eid)
        if e is None or not e.tokens:
            continue
        n = counts.get(eid, 0)
        toks = {t.removesuffix("'s") for t in e.tokens}
        p.tokens[eid] = toks
        use = tokuse.get(eid, Counter())
        top = max((c for t, c in use.items() if not _generic_word(seed, t)), default=0)
        core = {t.removesuffix("'s") for t, c in use.items() if top and c == top and not _generic_word(seed, t)}
        if len(core) > 1 and e.kind != "person":
            # an organisation's distinctive word comes first ("Holtmark Shipping", "Corvid Air")
            order = [w.lower().removesuffix("'s") for w in max(e.names, key=len).split()]
            core = {next((w for w in order if w in core), min(core))}
        core = core or {t for t in toks if not _generic_word(seed, t)}
        if not core or _is_place_token(" ".join(toks)) or (n and initial.get(eid, 0) == n):
            continue  # a common word capitalised at a sentence start ("Prosecutors", "Together"), a country pair
        p.core[eid] = core
        placey = bool(e.names & PLACE_NAMES) or (n and loc.get(eid, 0) >= 0.5 * n) or \
            any(nm.split()[-1].lower() in _PLACE_HEADS for nm in e.names if nm.split())
        salient = eid in in_title or eid in fact_eids
        if placey or not salient or n == 0:
            p.weak.add(eid)
            continue
        p.strong[eid] = 1.0 + math.log(n) + (1.0 if eid in in_title else 0.0)
    for eid in p.strong:
        for t in p.core.get(eid, ()):
            p.core_index.setdefault(t, eid)
    from .entities import entity_token  # noqa: PLC0415

    p.entity_toks = frozenset(entity_token(e.eid) for e in reg.entities)
    ev = sorted((w for t, w in seed.story_terms.items() if t not in p.entity_toks), reverse=True)
    p.event_mass = sum(ev[:30]) or 1.0
    seed.__dict__["_relevance_profile"] = p
    return p


@dataclass
class _Scan:
    strong_sents: list = field(default_factory=list)  # sentence indexes with a strong anchor
    strong_ids: set = field(default_factory=set)
    weak_ids: set = field(default_factory=set)
    kw: bool = False
    kw_sents: list = field(default_factory=list)
    others: Counter = field(default_factory=Counter)  # other actor -> number of sentences
    others_title: set = field(default_factory=set)
    seed_countries: set = field(default_factory=set)
    country_sents: Counter = field(default_factory=Counter)  # seed country -> number of sentences
    head_countries: set = field(default_factory=set)  # seed countries in the title or lead sentence
    toks: set = field(default_factory=set)
    on_topic: int = 0
    n: int = 0


def _other_key(seed: Seed, m) -> str | None:
    toks = [t for t in m.tokens if not _generic_word(seed, t)]
    if not toks:
        return None
    return toks[-1] if m.kind == "person" else " ".join(toks)


def _seed_like(seed: Seed, m) -> bool:
    """A mention the registry did not resolve but that may be a seed name spelt differently."""
    for e in seed.registry.entities:
        if e.kind != "person":
            continue
        for t in e.tokens:
            if any(len(x) > 3 and x[0] == t[:1] and name_similarity(x, t) >= 0.8 for x in m.tokens):
                return True
    return False


def _add_other(seed: Seed, m, ns: str, seen: set, initial: set, mid: set) -> None:
    k = _other_key(seed, m)
    if k and len(m.tokens) == 1 and not ns[:m.start].strip(" \"'\u201c(\u2018"):
        initial.add(k)  # capitalised by position only? counted if also seen mid-sentence
    elif k:
        seen.add(k)
        mid.add(k)


def _scan(seed: Seed, p: _Profile, sents: list[str]) -> _Scan:
    """sents[0] is the title (may be empty)."""
    sc = _Scan()
    sc.n = len(sents)
    reg = seed.registry
    initial_other: set = set()
    mid_other: set = set()
    per_sent: list = []
    for i, s in enumerate(sents):
        if not s:
            continue
        if any(rx.search(s) for rx in seed.keyword_res):
            sc.kw = True
            sc.kw_sents.append(i)
        ns = normalize_places(s)
        strong_here = False
        seen_other: set = set()
        for m in find_mentions(ns):
            eid = reg.resolve(m)
            if eid and eid in p.strong:
                if m.kind == "role":
                    sc.weak_ids.add(eid)
                    continue
                mt = {t.removesuffix("'s") for t in m.tokens}
                etoks = p.tokens.get(eid, set())
                if mt & etoks:
                    if not mt & p.core.get(eid, set()):
                        _add_other(seed, m, ns, seen_other, initial_other, mid_other)
                        continue  # only a generic part of the name ("Construction group Kessel")
                    extra = [t for t in mt - etoks if not _generic_word(seed, t) and t not in p.core_index
                             and not any(name_similarity(t, x) >= 0.8 for x in etoks)]
                    if extra:
                        _add_other(seed, m, ns, seen_other, initial_other, mid_other)
                        continue  # another name sharing a word with the seed's ("Pelican Air" / "Corvid Air")
                sc.strong_ids.add(eid)
                strong_here = True
            elif eid:
                sc.weak_ids.add(eid)
            elif len(m.tokens) > 1 and any(t.removesuffix("'s") in p.core_index for t in m.tokens):
                # two names run together ("Northwind's Calder deal"): anchored by their core words
                for t in m.tokens:
                    if t.removesuffix("'s") in p.core_index:
                        sc.strong_ids.add(p.core_index[t.removesuffix("'s")])
                strong_here = True
            elif m.kind != "role" and not _is_place_token(" ".join(m.tokens)) and not _seed_like(seed, m):
                _add_other(seed, m, ns, seen_other, initial_other, mid_other)
        cs = places_in(s)
        sc.seed_countries |= cs & seed.places
        sc.country_sents.update(cs & seed.places)
        if i <= 1:
            sc.head_countries |= cs & seed.places
        for c in cs - seed.places:
            seen_other.add("@" + c)
        per_sent.append((i, seen_other, initial_other.copy()))
        initial_other.clear()
        if strong_here or (i in sc.kw_sents):
            sc.strong_sents.append(i)
        toks = [_syn(t) for t in nlp.content_tokens(ns)]  # entity names are not event terms anyway
        sc.toks.update(toks)
        ev = [t for t in toks if t in seed.story_terms and t not in p.entity_toks
              and t not in nlp.COMMON_NEWS]
        if len(set(ev)) >= 2:
            sc.on_topic += 1
    for i, seen, init in per_sent:
        for k in seen | (init & mid_other):
            sc.others[k] += 1
            if i == 0:
                sc.others_title.add(k)
    return sc


def _event_coverage(seed: Seed, p: _Profile, toks: set) -> tuple[float, int]:
    hit = [t for t in toks if t in seed.story_terms and t not in p.entity_toks]
    return sum(seed.story_terms[t] for t in hit) / p.event_mass, len(hit)


def _dominated(seed: Seed, sc: _Scan) -> str | None:
    """Another actor leads the headline and is reported more often than any strong seed anchor.
    A foreign country always counts; another named actor (a company, an agency) does not when the
    headline/lead carries all of the seed's countries (the seed's own pairing: "GE may ship to China")."""
    n_strong = len(set(sc.strong_sents))
    pair_head = bool(seed.places) and len(sc.head_countries) >= min(2, len(seed.places))
    for k in sc.others_title:
        if pair_head and not k.startswith("@"):
            continue
        if sc.others[k] > n_strong and 0 not in sc.strong_sents:
            return k
        if sc.others[k] >= 2 * n_strong + 1 and sc.others[k] >= 3:
            return k
    return None


def _decide(seed: Seed, p: _Profile, sc: _Scan, entry: bool) -> tuple[bool, float, str]:
    cov, nhit = _event_coverage(seed, p, sc.toks)
    n_strong = len(set(sc.strong_sents))
    dom = _dominated(seed, sc)
    pairing = bool(seed.places) and len(sc.seed_countries) >= min(2, len(seed.places))
    frac = sc.on_topic / max(1, sc.n - 1) if not entry else 0.0
    head = 0 in sc.strong_sents or 1 in sc.strong_sents
    reason = (f"strong={n_strong} ids={len(sc.strong_ids)} weak={len(sc.weak_ids)} kw={int(sc.kw)} "
              f"countries={len(sc.seed_countries)} events={cov:.2f}/{nhit} on-topic={sc.on_topic}"
              + (f" other-actor={dom}" if dom else ""))
    score = min(1.0, 0.5 * min(1.0, cov / 0.5) + 0.15 * min(n_strong, 3) + (0.1 if pairing else 0.0))
    if entry:
        if dom and not n_strong:
            return False, round(score * 0.3, 3), reason + " (headline about another actor)"
        if n_strong or pairing:
            return nhit >= 1, round(score, 3), reason
        return cov >= 0.12 or nhit >= 3, round(score, 3), reason
    if dom:
        return False, round(score * 0.3, 3), reason + " (about another actor)"
    # the user's own keyword once, with two other seed names (people, places, institutions) around it
    if n_strong and (head or n_strong >= 2 or len(sc.strong_ids) >= 2 or (sc.kw and len(sc.weak_ids) >= 2)):
        return cov >= 0.1 and nhit >= 3, round(score, 3), reason
    if not p.strong and not seed.keyword_res:
        # a seed without salient names: decided by event terms (and countries when it has some)
        ok = cov >= 0.2 and frac >= 0.3 and (pairing or not seed.places)
        return ok, round(score, 3), reason
    # weak anchors only (or one passing mention of a strong one)
    seed_min = min((sc.country_sents[c] for c in seed.places if sc.country_sents[c]), default=0)
    foreign_max = max((v for k, v in sc.others.items() if k.startswith("@")), default=0)
    ok = pairing and bool(sc.head_countries) and foreign_max <= seed_min and cov >= 0.15 and frac >= 0.3 and nhit >= 5
    return ok, round(score, 3), reason + " (weak anchors)"


def relevance_of_entry(seed: Seed, title: str, summary: str) -> Relevance:
    text = f"{title or ''}. {summary or ''}"
    for rx in seed.exclude_res:
        if rx.search(text):
            return Relevance(False, 0.0, f"exclude keyword {rx.pattern!r}")
    p = _profile(seed)
    sents = [title or ""] + [s for s in nlp.split_sentences(summary or "") if s.strip()]
    sc = _scan(seed, p, sents)
    rel, score, reason = _decide(seed, p, sc, entry=True)
    return Relevance(rel, score, reason)


def relevance_of_article(seed: Seed, title: str, text: str) -> Relevance:
    body = f"{title or ''}\n{text or ''}"
    for rx in seed.exclude_res:
        if rx.search(body):
            return Relevance(False, 0.0, f"exclude keyword {rx.pattern!r}")
    p = _profile(seed)
    # a cheap filter instead of nlp.is_boilerplate (too slow for a whole page): drop fragments
    sents = [title or ""] + [nlp.strip_dateline(s) for s in nlp.split_sentences(text or "")
                             if len(s.split()) >= 4]
    sc = _scan(seed, p, sents)
    rel, score, reason = _decide(seed, p, sc, entry=False)
    return Relevance(rel, score, reason)
