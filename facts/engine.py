"""Seed extraction, relevance and the sentence-level diff. Deterministic, pure, story-independent."""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Collection

from . import nlp
from .entities import ROLE_HEADS, ROLE_MODIFIERS, Registry, canonical_sentence, find_mentions
from .places import PLACE_NAMES, normalize_places, places_in
from .model import Change, Finding, Relevance, SeedFact, StoryHints

# Small generic synonym table (news English), mapped onto one stem.
SYNONYMS = {
    "negotiation": "talk", "negotiat": "talk", "meeting": "talk", "discussion": "talk", "consultation": "talk",
    "dialogue": "talk", "summit": "talk", "talk": "talk", "parley": "talk", "session": "talk",
    "cancel": "cancel", "lift": "cancel", "scrap": "cancel", "remov": "cancel", "remove": "cancel",
    "rescind": "cancel", "revok": "cancel", "revoke": "cancel", "drop": "cancel", "eas": "cancel",
    "ease": "cancel", "relax": "cancel", "loosen": "cancel", "withdraw": "cancel", "roll": "cancel",
    "end": "end", "conclud": "end", "conclude": "end", "finish": "end", "wrap": "end", "close": "end",
    "extend": "extend", "prolong": "extend", "continu": "extend", "continue": "extend", "resum": "extend",
    "agreement": "deal", "deal": "deal", "accord": "deal", "pact": "deal", "framework": "deal",
    "agre": "deal", "agree": "deal",
    "kill": "die", "dead": "die", "died": "die", "deadly": "die", "fatal": "die", "quake": "earthquake", "death": "die", "die": "die", "fatality": "die", "toll": "die",
    "injur": "injure", "injure": "injure", "wound": "injure", "hurt": "injure",
    "acquisition": "acquire", "acquire": "acquire", "takeover": "acquire", "buy": "acquire",
    "purchase": "acquire", "bid": "offer", "offer": "offer",
    "leave": "leave", "left": "leave", "depart": "leave",
    "productive": "productive", "constructive": "productive", "fruitful": "productive",
    "restriction": "control", "curb": "control", "control": "control", "limit": "control",
    "licence": "license", "license": "license", "permit": "license",
    "accelerat": "speed", "accelerate": "speed", "speed": "speed", "expedit": "speed", "fast": "speed",
    "boost": "rise", "rise": "rise", "rose": "rise", "gain": "rise", "climb": "rise", "jump": "rise",
    "telephone": "phone", "phone": "phone", "call": "call", "delegation": "side", "side": "side",
    "deadlock": "impasse", "stalemate": "impasse", "impasse": "impasse", "standoff": "impasse",
    "approval": "approve", "approve": "approve", "implement": "implement", "implementation": "implement",
    "venue": "venue", "host": "venue", "restrict": "control", "restrictive": "control",
    "restriction": "control", "observer": "observer", "commentator": "observer", "pundit": "observer",
    "analyst": "observer", "expert": "observer",
    "penalty": "fine", "fine": "fine", "sanction": "fine",
    "fall": "fall", "fell": "fall", "drop": "fall", "declin": "fall", "slid": "fall",

    # generic news English: denial/rejection, accusation, courts, labour, markets, scale
    "deny": "deny", "deni": "deny", "reject": "deny", "dismiss": "deny", "refut": "deny", "rebuff": "deny",
    "accus": "charge", "accusation": "charge", "alleg": "charge", "allegation": "charge", "charg": "charge",
    "charge": "charge", "contest": "challenge", "challeng": "challenge", "challenge": "challenge",
    "convict": "convict", "guilty": "convict", "jail": "prison",
    "imprison": "prison", "prison": "prison", "ruling": "ruling", "verdict": "ruling", "judgment": "ruling",
    "judgement": "ruling", "lawyer": "lawyer", "attorney": "lawyer", "counsel": "lawyer",
    "walkout": "strike", "stoppage": "strike", "strike": "strike", "stock": "share", "share": "share",
    "carrier": "airline", "airline": "airline", "departure": "flight", "flight": "flight",
    "axe": "cancel", "ax": "cancel", "axed": "cancel", "scrap": "cancel", "lengthen": "extend",
    "record": "record", "largest": "record", "biggest": "record", "highest": "record",
    "handle": "handle", "free": "free",
    "attempt": "try", "try": "try", "tri": "try",
    "fault": "fault", "failure": "fault", "defect": "fault", "malfunction": "fault",
    "restore": "restore", "restor": "restore", "reconnect": "restore", "reinstat": "restore",
    "reinstate": "restore",
    "downgrad": "cut", "downgrade": "cut", "cut": "cut", "slash": "cut", "reduc": "cut", "reduce": "cut",
    "seek": "demand", "sought": "demand", "want": "demand", "demand": "demand",
    "increas": "rise", "increase": "rise", "raise": "rise", "rais": "rise",
    "proposal": "offer", "propos": "offer", "wage": "pay", "salary": "pay", "pay": "pay",
    "postpon": "delay", "delay": "delay", "adjourn": "delay",
    # generic news English: stoppages, output, seismic events, relatives, staff, forecasts, support
    "halt": "halt", "suspend": "halt", "suspension": "halt", "pause": "halt", "freeze": "halt", "idle": "halt",
    "shut": "halt", "shutdown": "halt",
    "production": "production", "produc": "production", "output": "production", "extraction": "production",
    "extract": "production", "extrac": "production",
    "tremor": "earthquake", "seismic": "earthquake", "earthquake": "earthquake",
    "relative": "family", "family": "family", "kin": "family",
    "personnel": "staff", "staff": "staff", "employee": "staff", "workforce": "staff",
    "projection": "forecast", "forecast": "forecast", "outlook": "forecast", "estimate": "forecast",
    "support": "support", "endorse": "support", "favour": "support", "favor": "support",
    "colliery": "mine", "mine": "mine", "pit": "mine",
    "reappoint": "reappoint", "reappointment": "reappoint", "renew": "reappoint",
    "portfolio": "portfolio", "debt": "bond", "bond": "bond",
    "offload": "sell", "sell": "sell", "dispose": "sell", "disposal": "sell",
    "gradual": "gradual", "incremental": "gradual",
    "reschedul": "delay",
    "publish": "publish", "release": "publish", "unveil": "publish", "publication": "publish",
    # warnings and alerts; restarting what was halted
    "warning": "warn", "warn": "warn", "alert": "warn", "advisory": "warn",
    "restart": "extend", "reopen": "extend", "relaunch": "extend", "reopening": "extend",
}
SYNONYMS.update({nlp.stem(k): v for k, v in list(SYNONYMS.items()) if nlp.stem(k) not in SYNONYMS})
# the stem of the -ed/-ing form drops a final e ("released" -> "releas", "approved" -> "approv")
SYNONYMS.update({k[:-1]: v for k, v in list(SYNONYMS.items()) if k.endswith("e") and len(k) > 4 and k[:-1] not in SYNONYMS
                 and k != "close"})  # "closed up 24%" (a share price) is not the end of anything
BACKGROUND_CUES = re.compile(
    r"\b(earlier this (year|month)|last (year|month)|in recent (years|months)|since (19|20)\d\d|"
    r"previously|back in|years? ago|months? ago|has long|long-running|history of|"
    r"was founded|were founded|is known for|is one of|the latest in|first imposed|originally|"
    r"in recent (weeks|days)|for years|for decades|is used|are used|(?<!be )(?<!been )(?<!being )used to|over the (past|last) (decade|few years|years)|"
    r"in the past (decade|few years)|first (agreed|imposed|announced|introduced|proposed|reported))\b", re.I)
RESOLVED_CUES = re.compile(
    r"\b(ended|concluded|wrapped up|finished|closed|completed|reached|agreed|signed|announced|approved|"
    r"cancel(?:l)?ed|lifted|scrapped|removed|rescinded|revoked|dropped|eased|granted|issued|resumed|"
    r"withdrawn|withdrew|allowed|happened|passed|took effect|went into effect|finali[sz]ed|put out|"
    r"resumed|restarted|reopened|"
    r"did not|didn't|was not|were not|never|no longer)\b", re.I)


def _syn(tok: str) -> str:
    return SYNONYMS.get(tok, tok)


_PHRASAL = re.compile(r"\b(deal|dealt|dealing|deals)\s+with\b", re.I)


def _phrasal(m: re.Match) -> str:
    before = m.string[max(0, m.start() - 12):m.start()].lower().split()
    if before and before[-1] in ("the", "a", "this", "that", "trade", "new", "its", "their", "no", "any"):
        return m.group(0)  # the noun: "the deal with China"
    return "handle"


_COMPOUND = re.compile(r"\bstock\s+(market|exchange|index)", re.I)


def sentence_tokens(registry: Registry, sentence: str, local: dict | None = None
                    ) -> tuple[list[str], set[str], list[dict]]:
    sentence = _COMPOUND.sub(r"\1", _PHRASAL.sub(_phrasal, sentence))
    canon, ids, others = canonical_sentence(registry, normalize_places(sentence), local)
    toks = [_syn(t) for t in nlp.content_tokens(canon)]
    # numbers are compared separately; keep word tokens only
    return toks, ids, others


def _lower_vocab(texts) -> frozenset:
    """Stems of the words written in lower case somewhere in the texts (common nouns and verbs)."""
    return frozenset(nlp.stem(w) for t in texts for w in nlp.words(t or "") if w.islower() and len(w) > 2)


def generic_capital(m, sentence: str, vocab: Collection[str] = ()) -> bool:
    """A one-word capitalised span that only is capitalised because it opens the sentence ("Workers",
    "Talks", "Management"): a common word by the generic lexicons or written in lower case elsewhere."""
    if len(m.tokens) != 1 or m.kind == "role" or m.role:
        return False
    if sentence[:m.start].strip(" \"'\u201c(").strip():
        return False
    w = m.tokens[0].removesuffix("'s").removesuffix("\u2019s")
    st = nlp.stem(w)
    return (w in nlp.PEOPLE_NOUNS or w in nlp.COMMON_NEWS or st in nlp.COMMON_NEWS or w in SYNONYMS
            or st in SYNONYMS or st in vocab)


@dataclass
class SentInfo:
    text: str
    tokens: list[str]
    tokset: frozenset
    entities: set[str]
    numbers: list[dict]
    dates: list[dict]
    modality: str
    negated: bool
    denial: bool
    plan_verbs: tuple = ()
    others: tuple = ()
    resched: bool = False
    plan_syns: frozenset = frozenset()
    neg_scope: frozenset = frozenset()  # tokens directly under a negation ("no warning", "not sold")


_PLAN_VERB = re.compile(r"\b(?:[Ww]ill|[Ww]ould|[Mm]ay|[Mm]ight|[Cc]ould|[Ss]hall|plans? to|planning to|intends? to|"
                        r"plans an?|plans the|planning an?|"
                        r"aims? to|hopes? to|expects? to|expected to|set to|going to|is to|are to|for \w+ to|due to)\s+"
                        r"(?:be\s+|have to\s+)?(?:re-|co-)?([a-z]{3,})")


_EMBEDDED_TO = re.compile(r"\bto\s+([a-z]{4,})\b")


_PLAN_FULL = re.compile(_PLAN_VERB.pattern)


def _plan_syns(sentence: str) -> frozenset:
    """Synonym classes of the planned verbs ("publish" ~ "release")."""
    return frozenset(_syn(nlp.stem(m.group(1).lower())) for m in _PLAN_FULL.finditer(sentence)
                     if m.group(1).lower() not in nlp.STOPWORDS)


def _plan_verbs(sentence: str) -> tuple:
    """Stems (5 letters) of the verbs a plan, hedge or forecast is about: "will ask the government to
    declare an emergency" -> ask, decla."""
    vs = {m.group(1).lower()[:5] for m in _PLAN_VERB.finditer(sentence) if m.group(1).lower() not in nlp.STOPWORDS}
    if vs:
        for m in _EMBEDDED_TO.finditer(sentence):
            w = m.group(1)
            if w not in nlp.STOPWORDS and w not in nlp.COMMON_NEWS and w not in nlp.MONTHS and \
                    w not in nlp.WEEKDAYS and w not in nlp.NUM_WORDS and not w.endswith(("ing", "ly")):
                vs.add(w[:5])
    return tuple(sorted(vs))


_RELATIVE = re.compile(r",\s*(?:which|who|whom|whose)\s[^,;.]*", re.I)


def _main_clause(sentence: str) -> str:
    """The sentence without non-restrictive relative clauses: "..., which it did not name" does not make
    the claim negative."""
    out = _RELATIVE.sub("", sentence)
    return out if out.strip() else sentence


def analyse(registry: Registry, sentence: str, published_at: datetime | None, local: dict | None = None,
            claim_only: bool = False) -> SentInfo:
    toks, ids, others = sentence_tokens(registry, sentence, local)
    if claim_only:
        # a seed claim: quoted words are what someone said, keep the claim's own words for linking
        unq_toks = sentence_tokens(registry, nlp.strip_quotes(sentence))[0]
        if len(unq_toks) >= 4:
            toks = unq_toks
    unq = nlp.strip_quotes(sentence)
    numbers = nlp.extract_numbers(sentence)
    for n in numbers:
        ref = n.get("dayref")
        if ref:
            ds = nlp.extract_dates(ref, published_at)
            if ds and ds[0].get("date"):
                n["day"] = ds[0]["date"]
    return SentInfo(
        text=sentence, tokens=toks, tokset=frozenset(toks), entities=ids,
        numbers=numbers, dates=nlp.extract_dates(sentence, published_at),
        modality=nlp.modality(unq if unq.strip() else sentence), negated=nlp.negated(_main_clause(sentence)),
        denial=nlp.is_denial(sentence),
        others=tuple(others),
        resched=bool(_RESCHEDULE.search(sentence)),
        neg_scope=nlp.negated_terms(sentence, _syn),
        plan_verbs=_plan_verbs(sentence),
        plan_syns=_plan_syns(sentence),
    )


@dataclass
class Seed:
    title: str | None
    published_at: datetime | None
    facts: tuple[SeedFact, ...]
    hints: StoryHints = field(default_factory=StoryHints)
    registry: Registry = field(default_factory=Registry, repr=False)
    fact_info: dict = field(default_factory=dict, repr=False)  # fact_id -> (SentInfo clause, SentInfo sentence)
    weights: dict = field(default_factory=dict, repr=False)  # token -> fact-linking weight (idf over facts)
    story_terms: dict = field(default_factory=dict, repr=False)  # token -> story weight (relevance)
    keyword_res: list = field(default_factory=list, repr=False)
    exclude_res: list = field(default_factory=list, repr=False)
    seed_sentences: tuple[str, ...] = ()
    default_weight: float = 1.0
    places: frozenset = frozenset()  # canonical countries named in the seed
    _mass: dict = field(default_factory=dict, repr=False)
    df: dict = field(default_factory=dict, repr=False)  # token -> number of seed claims containing it
    person_ids: frozenset = frozenset()  # seed entities that are named people
    named_ids: frozenset = frozenset()  # seed entities with a proper name that is not a country
    vocab: frozenset = frozenset()  # stems of words the seed writes in lower case

    def to_dict(self) -> dict:
        return {"title": self.title, "published_at": self.published_at.isoformat() if self.published_at else None,
                "facts": [f.to_dict() for f in self.facts],
                "entities": [e.to_dict() for e in self.registry.entities]}


# ----------------------------------------------------------------------------------------------
# Seed extraction
# ----------------------------------------------------------------------------------------------
_CLAUSE_SPLIT = re.compile(
    r"(?:;\s+|,\s+(?:and|but|while|whereas)\s+(?=(?:it|the|both|he|she|they|we|that|there|this|[A-Z]))|"
    r",\s+in return,\s+|\.\s*However,\s+)")


def split_claims(sentence: str) -> list[str]:
    """Split a sentence into claims at clause boundaries that introduce a new subject."""
    # do not split inside quotes
    parts: list[str] = []
    last = 0
    quote_spans = [(m.start(), m.end()) for m in re.finditer(r"[\"\u201c][^\"\u201d]*[\"\u201d]", sentence)]
    for m in _CLAUSE_SPLIT.finditer(sentence):
        if any(a < m.start() < b for a, b in quote_spans):
            continue
        left = sentence[last:m.start()].strip()
        if len(nlp.content_tokens(left)) >= 4 and len(nlp.content_tokens(sentence[m.end():])) >= 4:
            parts.append(left)
            last = m.end()
    parts.append(sentence[last:].strip())
    return [p for p in parts if p]


def _quote_speakers(sentence: str, mentions) -> list[dict]:
    quotes = nlp.extract_quotes(sentence)
    if not quotes:
        return []
    people = [m for m in mentions if m.kind in ("person", "role", "name")]
    speaker = None
    qpos = sentence.find(quotes[0])
    before = [m for m in people if m.start < qpos]
    after = [m for m in people if m.start > qpos]
    if before:
        speaker = max(before, key=lambda m: m.start).text
    elif after:
        speaker = min(after, key=lambda m: m.start).text
    return [{"quote": q, "speaker": speaker} for q in quotes]


def _initial_word_entity(claim: str, mentions, mid_caps: set) -> str | None:
    """The claim's first word when it was taken for a one-word name but is never capitalised mid-sentence."""
    m = re.match(r"\s*([A-Z][a-z]{3,})\b", claim)
    if not m or m.group(1).lower() in mid_caps:
        return None
    w = m.group(1)
    if not any(mn.text == w for mn in mentions):
        return None
    return w.lower()


def extract_seed(text: str, *, title: str | None = None, published_at: datetime | None = None,
                 hints: StoryHints | None = None) -> Seed:
    hints = hints or StoryHints()
    sentences = [nlp.strip_dateline(s) for s in nlp.split_sentences(text)]
    sentences = [s for s in sentences if not nlp.is_boilerplate(s)]
    reg = Registry()
    all_mentions = []
    vocab = _lower_vocab(([title] if title else []) + sentences)
    for s in ([title] if title else []) + sentences:
        ns = normalize_places(s)
        ms = [m for m in find_mentions(ns) if not generic_capital(m, ns, vocab)]
        all_mentions.append(ms)
        # people/roles first so orgs do not swallow surnames
        for mn in sorted(ms, key=lambda m: (m.kind != "person", m.kind == "role")):
            reg.add_mention(mn)
    for canon, spell in (hints.aliases or {}).items():
        reg.add_alias(canon, spell)
    # capitalised words seen inside a sentence (not only as its first word): real names
    mid_caps = {w.lower() for x in ([title] if title else []) + sentences
                for w in re.findall(r"(?<=[a-z,;:] )[A-Z][a-z]+", x)}
    facts: list[SeedFact] = []
    info: dict = {}
    offset = 1 if title else 0
    for si, s in enumerate(sentences):
        mentions = all_mentions[si + offset]
        claims = split_claims(s)
        sent_info = analyse(reg, s, published_at)
        quotes = _quote_speakers(s, mentions)
        for c in claims:
            ci = analyse(reg, c, published_at, claim_only=True)
            if len(ci.tokens) < 3 and not ci.numbers:
                continue
            ini = _initial_word_entity(c, mentions, mid_caps)
            if ini:
                # "Contact with the miners has not been made": a sentence-initial capital taken for a name,
                # never written capitalised inside a seed sentence; keep the plain word too ("made contact")
                ci.tokset = ci.tokset | {_syn(nlp.stem(ini))}
            cm = [m for m in mentions if m.text in normalize_places(c)]
            ents = []
            for m in cm:
                eid = reg.resolve(m)
                e = next((x for x in reg.entities if x.eid == eid), None)
                d = {"text": m.text, "type": e.kind if e else m.kind, "id": eid}
                if m.role or (e and e.role):
                    d["role"] = (m.role or e.role)["title"]
                ents.append(d)
            fid = f"F{len(facts) + 1:02d}"
            details = {
                "entities": ents,
                "numbers": [{k: v for k, v in n.items()} for n in ci.numbers],
                "dates": ci.dates,
                "quotes": [q for q in quotes if q["quote"] in c],
                "modality": ci.modality,
                "modality_cues": nlp.modality_cues(nlp.strip_quotes(c)),
                "negated": ci.negated,
            }
            facts.append(SeedFact(fact_id=fid, ordinal=len(facts) + 1, text=c, sentence=s, details=details))
            info[fid] = (ci, sent_info)
    # linking weights: idf of tokens over facts
    df: Counter = Counter()
    for fid, (ci, si_) in info.items():
        df.update(ci.tokset)
    n = max(1, len(info))
    for fid, (ci, si_) in info.items():
        for t in si_.tokset - ci.tokset:
            df.setdefault(t, 1)
    weights = {t: math.log(1 + n / c) * (0.35 if t in nlp.COMMON_NEWS else 1.0) for t, c in df.items()}
    # story terms for relevance: frequency in seed x specificity
    tf: Counter = Counter()
    for s in ([title] * 2 if title else []) + sentences:
        toks, _, _ = sentence_tokens(reg, s)
        tf.update(set(toks))
    story_terms = {}
    for t, c in tf.items():
        w = (1 + math.log(c))
        if t in nlp.COMMON_NEWS:
            w *= 0.2
        if t.startswith("zze"):
            w *= 1.5
        story_terms[t] = w
    for kw in hints.keywords:
        for t in nlp.content_tokens(kw):
            story_terms[_syn(t)] = max(story_terms.get(_syn(t), 0), 3.0)
    kre = [re.compile(r"\b" + re.escape(k) + r"\b", re.I) for k in hints.keywords if k.strip()]
    xre = [re.compile(r"\b" + re.escape(k) + r"\b", re.I) for k in hints.exclude_keywords if k.strip()]
    return Seed(title=title, published_at=published_at, facts=tuple(facts), hints=hints, registry=reg,
                fact_info=info, weights=weights, default_weight=math.log(1 + n), df=dict(df),
                places=frozenset(places_in((title or "") + "\n" + "\n".join(sentences))),
                person_ids=frozenset(e.eid for e in reg.entities if e.kind == "person" and e.tokens),
                named_ids=frozenset(e.eid for e in reg.entities if e.tokens and not (e.names & PLACE_NAMES)), story_terms=story_terms, keyword_res=kre, vocab=vocab, exclude_res=xre,
                seed_sentences=tuple(sentences))


# ----------------------------------------------------------------------------------------------
# Relevance
# ----------------------------------------------------------------------------------------------
def _term_score(seed: Seed, toks: set[str]) -> tuple[float, int, int]:
    hit = [t for t in toks if t in seed.story_terms]
    ents = sum(1 for t in hit if t.startswith("zze"))
    return sum(seed.story_terms[t] for t in hit), len(hit), ents


# ----------------------------------------------------------------------------------------------
# Diff
# ----------------------------------------------------------------------------------------------
def _dice(seed: Seed, a: frozenset, b: frozenset) -> float:
    """How well fact tokens b explain sentence tokens a: mean of fact coverage and the share of the
    sentence's story vocabulary that the fact accounts for (IDF-weighted, with a small length prior)."""
    w = seed.weights
    dflt = seed.default_weight
    common = a & b
    if not common:
        return 0.0
    inter = sum(w.get(t, dflt) for t in common)
    mb = seed._mass.get(b)
    if mb is None:
        mb = seed._mass[b] = sum(w.get(t, dflt) for t in b)
    ma_voc = sum(w[t] for t in a if t in w)
    ma = ma_voc + 0.5 * dflt * sum(1 for t in a if t not in w)
    prior = 1.5 * dflt
    return 0.55 * inter / (mb + prior) + 0.45 * inter / (ma + prior)


_HIST_CACHE: dict = {}


def _historic_years(seed: Seed, fid: str) -> frozenset:
    """Years of a seed fact that is about the past (every date it carries is more than a year before the
    seed: "last hit in 1987, when 112 people died"); empty for a current fact. Its figures are history, not
    the story's current values: a follow-up's figure compares with them only when it names that year."""
    key = (id(seed), fid)
    got = _HIST_CACHE.get(key)
    if got is None:
        ci = seed.fact_info[fid][0]
        ds = [d.get("date") or "" for d in ci.dates]
        ds = [d for d in ds if d[:4].isdigit()]
        got = frozenset()
        if ds and seed.published_at is not None and all(int(d[:4]) < seed.published_at.year - 1 for d in ds):
            got = frozenset(d[:4] for d in ds)
        if len(_HIST_CACHE) > 5000:
            _HIST_CACHE.clear()
        _HIST_CACHE[key] = got
    return got


def _fact_numbers(seed: Seed, s: SentInfo, fid: str) -> list[dict]:
    ci = seed.fact_info[fid][0]
    hist = _historic_years(seed, fid)
    if hist and not any(y in s.text for y in hist):
        return []
    return ci.numbers


def _similarity(seed: Seed, s: SentInfo, fid: str) -> float:
    ci, si = seed.fact_info[fid]
    sim = _dice(seed, s.tokset, ci.tokset)
    if si is not ci:
        sim = max(sim, 0.85 * _dice(seed, s.tokset, si.tokset))
    if ci.entities and s.entities:
        sim += 0.05 * len(ci.entities & s.entities)
    if s.numbers and ci.numbers and (sim > 0 or any(n.get("mclass") and n["value"] > 3 for n in s.numbers)):
        # a figure of the same measure ("fallen ill" ~ "cases") links even with no other shared word
        sim += _number_affinity(_fact_numbers(seed, s, fid), s.numbers) * (1.0 if sim > 0 else 1.5)
    if sim > 0 and _HALTED.search(ci.text) and _HALTED.search(s.text) and any(
            not t.startswith("zze") and t not in nlp.COMMON_NEWS and t not in ("stay", "remain", "still")
            for t in s.tokset & ci.tokset):
        # both speak of the same stopped activity ("production has been halted" ~ "extraction remains
        # suspended", "resumed making"): the status words are the claim's predicate
        sim += 0.1
    if sim > 0 and s.resched and ci.dates:
        # a rescheduling report aligns with the seed fact that carries a date or time of the same kind
        if any(d.get("time") for d in s.dates) and any(d.get("time") for d in ci.dates):
            sim += 0.12
        elif any(d.get("precision") in ("day", "month") for d in ci.dates) and (
                any(d.get("precision") in ("day", "month") for d in s.dates) or _SHIFT_SPAN.search(s.text)):
            sim += 0.12
    return sim


def _slot(n: dict) -> frozenset:
    """What a number counts or measures: its unit noun and the content words around it, synonym-normalised
    and without very common news words ("8 people killed" and "the death toll ... 14" share 'die')."""
    sl = n.get("_slot")
    if sl is None:
        sl = frozenset(_syn(t) for t in n.get("ctx", ()) if t not in nlp.COMMON_NEWS) | (
            {_syn(n["unit"])} if n["kind"] == "count" and n["unit"] else set()) | (
            {_syn(n["umod"])} if n.get("umod") else set())
        n["_slot"] = sl
    return sl


_DURATION_HOURS = {"second": 1 / 3600, "minute": 1 / 60, "hour": 1.0, "day": 24.0, "week": 168.0, "month": 730.0,
                   "year": 8760.0, "decade": 87600.0}


def _nv(n: dict) -> float:
    """A number's value in a common unit (durations in hours: "three days" ~ "72 hours")."""
    if n["kind"] == "duration" and n["unit"] in _DURATION_HOURS:
        return n["value"] * _DURATION_HOURS[n["unit"]]
    return n["value"]


def _same_unit(a: str, b: str) -> bool:
    return a == b or (len(a) >= 4 and len(b) >= 4 and (a.startswith(b) or b.startswith(a)))


def _units_match(a: dict, b: dict) -> bool:
    """The counted nouns agree, by head or by modifier ("80 repair crews" ~ "50 repair teams")."""
    ua = [x for x in (a["unit"], a.get("umod")) if x and x not in _GENERIC_UNITS]
    ub = [x for x in (b["unit"], b.get("umod")) if x and x not in _GENERIC_UNITS]
    return any(_same_unit(x, y) for x in ua for y in ub)


def _compatible(a: dict, b: dict) -> bool:
    if a["kind"] != b["kind"]:
        return False
    ma, mb = a.get("mclass"), b.get("mclass")
    if ma and mb and ma != mb:
        return False  # "14 workers trapped" vs "nine employees recovered": different measures
    if a.get("day") and b.get("day") and a["day"] != b["day"]:
        return False  # "180 flights on Friday" vs "205 of today's departures" (a different day)
    if a["kind"] == "count" and ma and ma == mb:
        return True  # "31 killed" ~ "58 deaths": the same measure, whatever the counted noun
    if _same_unit(a["unit"], b["unit"]):
        return True
    if a["kind"] == "count" and _units_match(a, b):
        return True  # "80 repair crews" ~ "50 repair teams"
    if a["kind"] == "duration":
        return a["unit"] in _DURATION_HOURS and b["unit"] in _DURATION_HOURS
    if a["kind"] != "count":
        return False
    # counts with different (or missing) unit nouns: the same quantity when their contexts agree
    return (not a["unit"] or not b["unit"]) or bool(_slot(a) & _slot(b))


def _comparable(a: dict, b: dict, any_dir: bool = False) -> bool:
    if not _compatible(a, b):
        return False
    if bool(a.get("delta")) != bool(b.get("delta")):
        return False  # "extended by 24 hours" is an amount of change, not the new length
    if a.get("dir") and b.get("dir") and a["dir"] != b["dir"] and not any_dir:
        return False  # "weakened 4%" vs "jumped 1.2%": two different moves, not a revised figure
    if a["kind"] in ("ordinal", "duration"):
        return True
    if a["kind"] in ("percent", "money", "measure") and a.get("ctx") and b.get("ctx") and not (
            _syns(a["ctx"]) & _syns(b["ctx"])):
        return False  # "27% premium" vs "9% of the shares": different quantities
    lo, hi = sorted((abs(_nv(a)), abs(_nv(b))))
    return lo > 0 and hi / lo <= _max_ratio(a, b)


def _slot_score(a: dict, b: dict) -> float:
    """How surely two numbers measure the same quantity (0 when they cannot)."""
    if not _compatible(a, b):
        return 0.0
    sc = 1.0 + len(_slot(a) & _slot(b))
    if a["unit"] and a["unit"] == b["unit"]:
        sc += 1.0
    return sc


def _number_changes(fnums: list[dict], snums: list[dict], any_dir: bool = False) -> tuple[list[Change], int]:
    """Pair the fact's numbers with the sentence's: equal values confirm, comparable different values
    (same kind/unit, similar magnitude) are changes; among several candidates the one measuring the same
    thing (unit and context words) wins. Values marked as old ("instead of X") never count as the new value."""
    if not fnums or not snums:
        return [], 0
    f_left = list(fnums)
    s_new = [n for n in snums if not n.get("old")]
    same = 0
    s_same = []
    for n in list(s_new):
        hits = [f for f in f_left if _compatible(f, n) and abs(_nv(f) - _nv(n)) < 1e-9]
        if hits:
            f_left.remove(max(hits, key=lambda f: _slot_score(f, n)))
            s_new.remove(n)
            s_same.append(n)
            same += 1
    matched = [f for f in fnums if f not in f_left]
    changes = []
    pairs = sorted(((_slot_score(f, n), i, j) for i, f in enumerate(f_left) for j, n in enumerate(s_new)
                    if _comparable(f, n, any_dir)), key=lambda x: (-x[0], x[1], x[2]))
    used_f, used_s = set(), set()
    for sc, i, j in pairs:
        if i in used_f or j in used_s:
            continue
        used_f.add(i)
        used_s.add(j)
        changes.append((i, Change("number", f_left[i]["text"], s_new[j]["text"])))
    out = [c for _, c in sorted(changes, key=lambda x: x[0])]
    if not out:
        # "from an initial 5 million euros to 12 million": the seed figure named as the old value, next to
        # the new value of the same kind and unit
        olds = [n for n in snums if n.get("old")]
        for o in olds:
            f = next((f for f in fnums if _compatible(f, o) and abs(_nv(f) - _nv(o)) < 1e-9), None)
            n = next((n for n in s_new if n["kind"] == o["kind"] and _same_unit(n["unit"], o["unit"]) and
                      abs(_nv(n) - _nv(o)) > 1e-9), None) if f is not None else None
            if n is not None:
                out.append(Change("number", f["text"], n["text"]))
                break
    if not out and matched and same:
        # "closed 8.5% down, having dropped 6% earlier": the seed figure restated next to a newer value
        # of the same quantity (same unit and context)
        for n in s_new:
            if n in used_s_nums(s_new, used_s):
                continue
            # ... or in the same context as the restated figure ("after a 22% jump in the first hour, ...
            # ended 24% higher")
            f = next((f for f in matched if _comparable(f, n) and (len(_slot(f) & _slot(n)) >= 2 or any(
                abs(_nv(m) - _nv(f)) < 1e-9 and m["kind"] == n["kind"] and _pre(set(m.get("ctx") or ()), set(n.get("ctx") or ()))
                for m in s_same))), None)
            if f is not None:
                out.append(Change("number", f["text"], n["text"]))
                break
    return out, same


def used_s_nums(s_new: list[dict], used: set) -> list[dict]:
    return [n for j, n in enumerate(s_new) if j in used]


def _number_affinity(fnums: list[dict], snums: list[dict]) -> float:
    bonus = 0.0
    for n in snums:
        if n.get("old") and any(_compatible(f, n) and abs(_nv(f) - _nv(n)) < 1e-9 for f in fnums):
            bonus += 0.15  # "rather than the four years first reported": names the seed's figure as the old one
            continue
        if n["kind"] == "count" and not any(c.isdigit() for c in n["text"]) and not n.get("mclass"):
            continue
        if n["kind"] == "duration" and not any(c.isdigit() for c in n["text"]) and n["value"] < 2:
            continue
        for f in fnums:
            if n["kind"] == "count" and n.get("mclass") and n.get("mclass") == f.get("mclass") and \
                    abs(_nv(f) - _nv(n)) > 1e-9 and _comparable(f, n) and not n.get("old"):
                # the same measured quantity ("fallen ill" ~ "cases of poisoning") with a new value: a
                # rising or revised tally of this fact
                bonus += 0.15
                break
            if _compatible(f, n) and abs(_nv(f) - _nv(n)) < 1e-9:
                # the same distinctive figure (not a small round number) is strong evidence
                bonus += 0.12 + (0.08 if any(c.isdigit() for c in n["text"]) and (
                    n["value"] >= 100 or n["value"] != int(n["value"]) or n["kind"] != "count") else 0.0)
                break
            if _comparable(f, n) and (n["kind"] in ("money", "percent", "measure") or
                                      (n["kind"] == "duration" and f["unit"] == n["unit"]) or
                                      (n["kind"] == "count" and _slot(f) & _slot(n))):
                bonus += 0.06 + 0.04 * min(2, len(_slot(f) & _slot(n)))
                break
    return min(0.3, bonus)


_RESCHEDULE = re.compile(r"\b(postpon\w*|delay\w*|mov(?:ed|es|ing)|reschedul\w*|push(?:ed)? back|brought forward|"
                         r"pushed|shifted|put off|rather than|instead of|(?:later|earlier|sooner) than (?:\w+ly )?"
                         r"(?:planned|scheduled|expected|announced|intended|first|initially|originally)|"
                         r"(?:a|one|two|three|several|few|\d+) (?:days?|weeks?|months?|hours?) (?:later|earlier))\b", re.I)
# A relative shift without the new date: "pushed back a week", "half an hour later".
_SHIFT_SPAN = re.compile(r"\b(?:by\s+)?(?:half an?|an?|one|two|three|four|several|a few|\d+)\s+(?:minutes?|hours?|days?|weeks?|months?)"
                         r"\b|\b(?:later|earlier) than\b", re.I)


def _time_changes(fdates: list[dict], sdates: list[dict], text: str) -> list[Change]:
    """A clock time or day moved ("pushed back half an hour, to 15:30"; "a week later than planned")."""
    if not _RESCHEDULE.search(text):
        return []
    ft = [d["time"] for d in fdates if d.get("time")]
    st = [d["time"] for d in sdates if d.get("time")]
    if ft and st and not set(st) & set(ft):
        return [Change("time", ft[-1], st[-1])]
    fd = [d["date"] for d in fdates if d.get("date") and d.get("precision") == "day"]
    if (fd or ft) and not st and not any(d.get("precision") == "day" for d in sdates) and _SHIFT_SPAN.search(text):
        return [Change("date", (fd or ft)[0], "moved (" + _SHIFT_SPAN.search(text).group(0).strip() + ")")]
    return []


def _date_changes(fdates: list[dict], sdates: list[dict], text: str = "") -> list[Change]:
    fd = [d for d in fdates if d.get("date") and d.get("precision") == "day"]
    sd = [d for d in sdates if d.get("date") and d.get("precision") == "day"]
    if not fd or not sd:
        return _month_changes(fdates, sdates)
    fset = {d["date"] for d in fd}
    other = [d for d in sd if d["date"] not in fset]
    if any(d["date"] in fset for d in sd):
        if other and _RESCHEDULE.search(text):
            old = [d for d in sd if d["date"] in fset]
            # "on December 4 rather than November 27": the date after the cue is the old one
            m = _RESCHEDULE.search(text)
            if m.group(0).lower() in ("rather than", "instead of") and old and text.find(old[0]["text"]) > m.start():
                return [Change("date", fd[0]["date"], other[0]["date"])]
            return [Change("date", fd[0]["date"], other[-1]["date"])]
        return []
    return [Change("date", fd[0]["date"], sd[0]["date"])]


def _month_changes(fdates: list[dict], sdates: list[dict]) -> list[Change]:
    """A claim dated by month only ("by the end of September") moved to another month ("until the end of
    November")."""
    fm = [d["date"][:7] for d in fdates if d.get("date") and d.get("precision") == "month" and d["date"][:1].isdigit()]
    # a weekday is resolved by guesswork and says nothing about a month ("repairs continued on Wednesday")
    sm = [d["date"][:7] for d in sdates if d.get("date") and d["date"][:1].isdigit() and (
        d.get("precision") == "month" or (d.get("precision") == "day" and _MONTH_NAME.search(d.get("text") or "")))]
    if len(set(fm)) != 1 or not sm or fm[0] in sm:
        return []
    return [Change("date", fm[0], sm[0])]


_CURRENT = re.compile(r"\b(?:now|today|tonight|this (?:morning|afternoon|evening|week))\b", re.I)
# the cue only dates a comparison or a record: "compared with 5.1% previously", "the largest since 2022"
_COMPARED_CUE = re.compile(r"\b(?:compared (?:with|to)|up from|down from|from|than|(?:\w+est|first|most)\b[^,.;]{0,40})\s*"
                           r"(?:[^,.;]{0,30}?)\b(?:previously|since (?:19|20)\d\d|originally|first (?:announced|reported))", re.I)


def _current_report(seed: Seed, s: SentInfo) -> bool:
    """The sentence reports something at or after the seed (a dated event on or after the seed's day, or
    "now"): a background cue in a side clause ("the contract awarded six years ago") does not make it history."""
    if _CURRENT.search(s.text):
        return True
    if seed.published_at is None:
        return False
    ref = seed.published_at.date().isoformat()
    return any(d.get("date") and len(d["date"]) == 10 and d["date"][:1].isdigit() and d["date"] >= ref
               for d in s.dates)


def _is_background(seed: Seed, s: SentInfo) -> bool:
    m = BACKGROUND_CUES.search(s.text)
    if m:
        return not (_current_report(seed, s) or _COMPARED_CUE.search(s.text))
    if seed.published_at is not None:
        ref = seed.published_at.date().isoformat()
        # a bare weekday ("Friday") is resolved by guesswork; it alone never makes a sentence history
        ds = [d["date"] for d in s.dates if d.get("date") and d.get("text", "").lower() not in nlp.WEEKDAYS]
        ds = [d for d in ds if len(d) >= 4 and d[0].isdigit()]
        if ds and all(d < ref[: len(d)] for d in ds):
            # all dates clearly before the seed
            older = [d for d in ds if (len(d) == 10 and d < ref) or (len(d) < 10 and d < ref[: len(d)])]
            if older and len(older) == len(ds):
                # allow dates within 3 days before the seed (part of the same episode)
                if all(len(d) == 10 and (seed.published_at.date() - datetime.fromisoformat(d).date()).days <= 3
                       for d in ds):
                    return False
                return True
    return False


def _on_topic(seed: Seed, s: SentInfo, ctx: set[str] | None = None) -> bool:
    sc, nh, ne = _term_score(seed, s.tokset)
    if ctx:
        extra = sum(1 for t in s.tokset if t in ctx)
        sc += 1.5 * extra
        ne += extra
    return (ne >= 1 and sc >= 2.5) or sc >= 3.5


def _weak_topic(seed: Seed, s: SentInfo, ctx: set[str] | None = None) -> bool:
    """Inside an article already judged relevant, an eventive sentence naming a seed entity, a term of
    the story or a party introduced earlier in the article is on topic (the seed's words need not recur)."""
    sc, nh, ne = _term_score(seed, s.tokset)
    if ne or (ctx and s.tokset & ctx):
        return True
    return nh >= 2 or (nh >= 1 and sc >= 1.5)


ANY_DIR_SIM = 0.4
LINK_MIN = 0.22
CONFIRM_MIN = 0.30


_MONTH_NAME = re.compile(r"\b(January|February|March|April|June|July|August|September|October|November|December)\b")
# a hedge about the past or the present, not a forecast: "appeared to have been caused by", "probably came from"
_PAST_HEDGE = re.compile(r"\b(?:to|may|might|could|must)\s+have\s+(?:been\s+)?[a-z]+|\bprobably\s+(?:[a-z]+ed|came|was|were)\b|"
                         r"\b(?:likely|believed|thought|understood)\s+to\s+(?:have|be)\b|\bpointed to\b|\bcaused by\b|"
                         r"\bcame from\b|\bblamed on\b", re.I)
_RETRACTED = re.compile(r"\b(?:dropped|withdr[ae]wn?|abandoned|ruled out|rules out|discarded|backed away from|"
                        r"retracted)\b", re.I)


def _retracts_claim(ci, s) -> bool:
    """A retraction verb with a word of the claim within a few words of it: "the first explanation, a
    gas leak, has been dropped" (not "claims dropped sharply", unless claims are what the seed said)."""
    hm = _PAST_HEDGE.search(ci.text)
    guess = {_syn(t) for t in nlp.content_tokens(ci.text[hm.end():])} if hm else set(ci.tokset)
    # what was guessed ("a faulty heater"), not what it was guessed about ("the fire at the depot")
    shared = {t for t in s.tokset & guess if not t.startswith("zze") and t not in nlp.COMMON_NEWS}
    if not shared:
        return False
    for m in _RETRACTED.finditer(s.text):
        window = s.text[max(0, m.start() - 60):m.end() + 40]
        if {_syn(t) for t in nlp.content_tokens(window)} & shared:
            return True
    return False


_REFUSAL = re.compile(r"\b(?:refus\w*|declin(?:ed|es|ing) to|reject\w*|ruled out|rules out)\b", re.I)
_CONTRAST = re.compile(r",?\s+(?:although|though|even though|whereas|but|despite)\b|;", re.I)


def _main_negated(s: SentInfo, ci: SentInfo | None = None) -> bool:
    """Negation of the clause that makes the claim: the first clause speaking of the claim's words (the first
    clause when none does). "Borrowed from the facility on Tuesday, although the bank had said it had not used
    it" asserts the borrowing; "Rivals have borrowed, but the bank has not drawn on the facility" does not."""
    parts = _CONTRAST.split(s.text)
    if ci is not None:
        words = {t for t in ci.tokset if not t.startswith("zze") and t not in nlp.COMMON_NEWS}
        for part in parts:
            if {_syn(t) for t in nlp.content_tokens(part)} & words:
                return bool(nlp._NEG_SIMPLE.search(part))
    return bool(nlp._NEG_SIMPLE.search(parts[0]))


def _changes_for(seed: Seed, s: SentInfo, fid: str, sim: float) -> tuple[str, list[Change]]:
    """Kind (confirms|updates|contradicts) of sentence s relative to fact fid, with changed values."""
    ci = seed.fact_info[fid][0]
    changes: list[Change] = []
    # the same quantity moving the other way ("shares fell 41%" -> "plunged 58%", "fell 6.5%" -> "up 4.2%") is
    # the next state of a claim the sentence is clearly about
    nch, _ = _number_changes(_fact_numbers(seed, s, fid), s.numbers, any_dir=sim >= ANY_DIR_SIM)
    dch = _date_changes(ci.dates, s.dates, s.text)
    changes += nch
    if sim >= 0.3 or (s.resched and sim >= LINK_MIN):
        changes += dch
        if not dch:
            changes += _time_changes(ci.dates, s.dates, s.text)
    fmod = ci.modality
    smod = s.modality
    polarity_flip = s.negated != ci.negated or (ci.negated and not _main_negated(s, ci))
    seed_neg = ci.negated or ci.denial  # a seed denial ("denied all charges") restated is not a contradiction
    if s.denial and not seed_neg and (not nch or nlp.FIGURE_CORRECTION.search(s.text)):
        # a denial, or a correction of a wrong figure ("corrected the toll to 9"): never true
        return "contradicts", changes
    if fmod in ("hedged", "planned", "expected") and ci.negated and (s.negated or _REFUSAL.search(s.text)) \
            and not nlp.FUTURE.search(s.text) and not nch and not dch:
        return "confirms", []  # "would not pay the ransom" -> "has refused to pay": the stance holds
    if fmod in ("hedged", "planned", "expected"):
        restated = any(re.search(r"\bto\s+" + re.escape(v), s.text, re.I) for v in ci.plan_verbs)
        done_verb = _done_verb(s.text, ci.plan_verbs, ci.plan_syns) or _doing_verb(s.text, ci.plan_verbs)
        # the planned action now reported in the past, possibly as a noun ("may appeal" -> "has lodged an
        # appeal", "expected to visit" -> "the visit took place")
        done_noun = bool(nlp.PAST.search(s.text)) and any(
            v not in ("have", "be", "ha") and re.search(r"(?:\b(?:an?|the|its|his|her|their)|\w['\u2019]s)\s+(?:[a-z]+\s+)?" + re.escape(v) + r"[a-z]*\b",
                                                       s.text, re.I) for v in ci.plan_verbs)
        quiet = _non_answer(s) or _quoted_negation(seed, s)
        neg_resolved = (not ci.negated and bool(s.neg_scope & (ci.tokset | set(ci.plan_verbs))) and
                        not nlp.FUTURE.search(s.text) and not quiet)
        if fmod == "hedged" and _PAST_HEDGE.search(ci.text) and _retracts_claim(ci, s):
            return "contradicts", changes + [Change("negation", "false", "true")]  # "the first explanation ... dropped"
        if neg_resolved and not restated:
            if fmod == "hedged" and _PAST_HEDGE.search(ci.text):
                # a guess about what already happened, found false ("appeared to have been caused by a
                # gas leak" -> "found no sign of a gas leak"): it was never true
                return "contradicts", changes + [Change("negation", "false", "true")]
            # the plan or hedge did not happen ("expected to vote for" -> "did not vote for")
            changes.append(Change("modality", fmod, "asserted (negated)"))
            return "updates", changes
        # a generic outcome cue ("announced", "ended") or a polarity change resolves the claim only when the
        # sentence is about the claim's event: it shares a non-name content word with it
        months = {m.lower() for m in _MONTH_NAME.findall(s.text)}  # "feared in March" is no "march"
        pred_shared = any(not t.startswith("zze") and t not in nlp.COMMON_NEWS and t not in months
                          for t in s.tokset & ci.tokset)
        if smod == "asserted" and not restated and not nlp.FUTURE.search(s.text) and (
                done_verb or done_noun or nch or dch or
                ((RESOLVED_CUES.search(s.text) or (polarity_flip and not quiet)) and pred_shared)):
            changes.append(Change("modality", fmod, "asserted" + (" (negated)" if s.negated else "")))
            return "updates", changes
        if changes:
            return "updates", changes
        return "confirms", []
    if s.denial and not seed_neg:
        return "contradicts", changes
    if s.negated and _HALTED.search(ci.text) and _NOT_RUNNING.search(s.text) and not ci.negated:
        return "confirms", []  # "suspended" restated as "still not running": the same stopped state
    if not seed_neg and sim >= CONFIRM_MIN and not nch and _negation_scoped(seed, s, fid):
        # what the seed asserts is now negated ("warned" -> "received no warning"): never true
        return "contradicts", [Change("negation", "false", "true")]
    if polarity_flip and not nch and sim >= 0.6 and (not _unmatched_numbers(seed, s, fid) or not ci.numbers) and \
            not _non_answer(s) and not _quoted_negation(seed, s):
        return "contradicts", [Change("negation", str(ci.negated).lower(), str(not ci.negated).lower())]
    if not ci.negated and not s.negated and not nlp.FUTURE.search(s.text) and _OPENED.search(ci.text) and \
            not _HALTED.search(ci.text) and _CLOSED_NOW.search(s.text) and not _OPENED.search(s.text):
        # "rest centres have opened" -> "the rest centres closed on Saturday"
        changes.append(Change("status", "open", _CLOSED_NOW.search(s.text).group(0).lower()))
        return "updates", changes
    if not ci.negated and not s.negated and not nlp.FUTURE.search(s.text) and _HALTED.search(ci.text) and \
            _RESUMED.search(s.text) and not _HALTED_STILL.search(s.text):
        # a stopped activity started again ("production has been halted" -> "resumed making")
        changes.append(Change("status", _HALTED.search(ci.text).group(0).lower(), _RESUMED.search(s.text).group(0).lower()))
        return "updates", changes
    if changes:
        return "updates", changes
    return "confirms", []


_NOT_RUNNING = re.compile(r"\b(?:not|n't)\s+(?:yet\s+|been\s+)?(?:running|operating|working|open|flying|moving|"
                          r"in service|back|restored|resumed)\b", re.I)
_HALTED = re.compile(r"\b(?:halted|suspended|stopped|shut(?: down)?|closed|paused|grounded|idled|idle|"
                     r"cancell?ed|called off|out of (?:service|action))\b", re.I)
_RESUMED = re.compile(r"\b(?:resum\w*|restart\w*|reopen\w*|re-open\w*|back (?:at|in|to|on) (?:full|normal|work|"
                      r"operation|service|track|production)|up and running|lifted|reinstated|"
                      r"(?:is|are|was|were) back(?! to square)|running again|back in (?:service|operation|use))\b", re.I)
# an open facility or service in the seed, closed later (and the reverse is _HALTED -> _RESUMED)
_OPENED = re.compile(r"\b(?:have|has) (?:been )?opened\b|\b(?:is|are|remain|remains) open\b", re.I)
_CLOSED_NOW = re.compile(r"\b(?:closed|shut|shut down)\b(?! (?:up|down|higher|lower|at \$|at \d))", re.I)
_HALTED_STILL = re.compile(r"\b(?:still|remain\w*|yet to|not yet)\b", re.I)


_PAST_EED = {"agreed", "freed", "decreed", "guaranteed", "refereed"}  # "speed", "need", "exceed" are not past forms


def _doing_verb(text: str, plan_verbs) -> bool:
    """The planned action under way now: "would stay open later" -> "branches are staying open"."""
    for v in plan_verbs:
        if v in ("have", "be", "ha") or len(v) < 3:
            continue
        if re.search(r"\b(?:is|are)\s+(?:now\s+)?" + re.escape(v.rstrip("e")) + r"[a-z]*ing\b", text, re.I):
            return True
    return False


def _done_verb(text: str, plan_verbs, plan_syns=frozenset()) -> bool:
    """A planned verb (or a synonym) now in the past tense, regular or irregular ("vote" -> "voted",
    "send" -> "sent", "publish" -> "released")."""
    pv = [v.rstrip("e") for v in plan_verbs if v not in ("have", "be", "ha")]
    syns = {v for v in plan_syns if v in SYNONYMS.values()}
    if not pv:
        return False
    for w in nlp.words(text):
        lw = w.lower()
        if (lw.endswith("ed") and not (lw.endswith("eed") and lw not in _PAST_EED)) or lw in nlp.IRREGULAR:
            st = nlp.stem(lw)
            if any(st.startswith(v) for v in pv) or _syn(st) in syns:
                return True
    return False


def _shares_figure(seed: Seed, s: SentInfo, fid: str) -> bool:
    """The sentence repeats one of the fact's own figures (same value, same kind of quantity) and gives no
    other figure of that kind ("put the demand at $4.5 million, but police now say $2.8 million")."""
    fnums = seed.fact_info[fid][0].numbers
    same = [n for n in s.numbers if _distinctive(n) and not n.get("old") and any(
        f["kind"] == n["kind"] and abs(_nv(f) - _nv(n)) < 1e-9 and _distinctive(f) and
        (_compatible(f, n) or _same_big_count(f, n)) for f in fnums)]  # "hundreds of homes" is no figure
    if not same:
        return False
    return not any(n["kind"] == m["kind"] and abs(_nv(n) - _nv(m)) > 1e-9 and _compatible(n, m)
                   for n in s.numbers for m in same)


def _same_big_count(f: dict, n: dict) -> bool:
    """The same count of 100 or more under another noun ("6,500 containers" ~ "6,500 boxes"), unless the two
    measure different things ("killed" vs "injured")."""
    return f["kind"] == "count" and _nv(f) >= 100 and not (f.get("mclass") and n.get("mclass") and
                                                          f["mclass"] != n["mclass"])


def _distinctive(n: dict) -> bool:
    """A figure specific enough to identify a claim: a money amount, a percentage, or a count or measure of
    10 or more written in digits (not "two days", not "three hospitals")."""
    if n["kind"] in ("money", "percent"):
        return True
    return n["kind"] in ("count", "measure") and _nv(n) >= 10 and any(c.isdigit() for c in n["text"])


def _value_anchor(seed: Seed, s: SentInfo) -> str | None:
    """The one seed fact holding a distinctive figure the sentence repeats ("roughly 12,000" jars): a
    confirmation however differently the rest is worded."""
    hits = {fid for fid in seed.fact_info if _shares_figure(seed, s, fid)}
    return hits.pop() if len(hits) == 1 else None


def _unmatched_numbers(seed: Seed, s: SentInfo, fid: str) -> bool:
    si = seed.fact_info[fid][1]
    known = {(n["kind"], _nv(n)) for n in si.numbers}
    for n in s.numbers:
        if n["kind"] in ("percent", "money", "measure", "duration", "count") and (n["kind"], _nv(n)) not in known:
            if n.get("old"):
                continue
            if n["kind"] == "count" and (not n["unit"] or not any(c.isdigit() for c in n["text"])):
                continue
            if n["kind"] == "duration" and not any(c.isdigit() for c in n["text"]) and n["value"] < 3:
                continue
            return True
    return False


def _eventive(seed: Seed, s: SentInfo) -> bool:
    """Reports something that happened, will happen or was said (not a timeless description such as
    "X is the largest port in Europe")."""
    if s.modality != "asserted" or nlp.PAST.search(s.text) or nlp.FUTURE.search(s.text):
        return True
    if _UNDER_WAY.search(s.text) or _CURRENT.search(s.text):
        return True  # "is now at the pithead", "as the stoppage gets under way"
    if any(any(c.isdigit() for c in n["text"]) for n in s.numbers):
        return True
    ref = seed.published_at.date().isoformat() if seed.published_at else None
    return bool(ref and any(d.get("date") and d["date"][:1].isdigit() and d["date"] >= ref[: len(d["date"])]
                            for d in s.dates))


_TIMELESS = re.compile(
    r"\b(?:is|are)\s+(?:one of\s+)?(?:the\s+)?(?:(?:two|three|world's|region's|country's)\s+)?"
    r"(?:\w+est|most|only)\b|\b(?:is|are)\s+(?:rare|common|typical|usually|often|generally|widely)\b|"
    r"\b(?:runs(?! out)|uses|operates|owns|employs|produces|flows|lies|sits|borders)\b(?!.*\b(?:said|says|will|would)\b)|"
    # habitual or generic statements and company profiles: "courts have generally imposed ...", "recalls of
    # this size typically cost ...", "has made sauces since the 1970s", "is a family-owned producer based in"
    r"\b(?:generally|typically|usually|commonly|traditionally|historically|rarely|seldom|tends? to)\b|"
    r"\bnormally\s+(?!from\b|again\b|on\b|at\b|by\b|in\b|until\b)[a-z]{3,}|\bsince the (?:19|20)?\d0s\b|"
    r"\b(?:is|are) an? [^.;]{0,40}?\b(?:based|headquartered) in\b",
    re.I)


def _predicate_overlap(seed: Seed, s: SentInfo, fid: str) -> bool:
    """Beyond shared names, the sentence must share what is said about them."""
    ci, si = seed.fact_info[fid]
    # names and the titles that introduce them ("chief executive") say who, not what
    shared = [t for t in s.tokset & (ci.tokset | si.tokset) if not t.startswith("zze") and t not in _ROLE_WORDS]
    names = [t for t in s.tokset & ci.tokset if t.startswith("zze")]
    # three of the claim's names and a word of what it says: "Arlo built the Vega-2 probe for the space agency"
    return len(shared) >= 2 or any(seed.df.get(t) == 1 for t in shared) or (len(names) >= 3 and bool(shared))


_ROLE_WORDS = frozenset(set(ROLE_HEADS) | set(ROLE_MODIFIERS) | {nlp.stem(w) for w in ROLE_HEADS})


_REPORTING = re.compile(r"\s*(said|says|reported|reports|told|wrote|quoted|cited|according)\b", re.I)


def _other_actor(seed: Seed, s: SentInfo) -> bool:
    """The sentence's subject is a named party that is not in the seed ("Meridian is offering $42")."""
    text = normalize_places(nlp.strip_dateline(s.text))
    ms = sorted(find_mentions(text), key=lambda m: m.start)
    if not ms:
        return False
    m = ms[0]
    if generic_capital(m, text, seed.vocab):
        return False
    if m.start == 0 and " " not in text[m.start:m.end] and nlp.stem(text[m.start:m.end].lower()) in _MEASURE_STEMS:
        return False  # "Illnesses linked to ...": a sentence-initial measure noun, not a party
    first = text[m.start:m.end].split()[0].lower() if text[m.start:m.end].split() else ""
    if first.split("-")[0] in nlp.NUM_WORDS or first in nlp.ORDINAL_WORDS:
        return False  # "Fourteen cases ..." opens with a number word, not a party
    lead = text[:m.start].strip().lower()
    if lead not in ("", "the", "a", "an") or m.kind == "role":
        return False
    if _REPORTING.match(text[m.end:]):
        return False
    return seed.registry.resolve(m) is None


_MEASURE_STEMS = frozenset(nlp.stem(w) for w in nlp.MEASURE_CLASS)

_ONGOING = re.compile(r"\b(?:is|are)\s+(?:still\s+)?(?:being\s+[a-z]+ed|[a-z]{3,}ing)\b|\bcontinu(?:es|ing)\b", re.I)
_STOPPED = re.compile(r"\b(?:stopped|ended|halted|suspended|ceased|called off|wound down|no longer|finished|"
                      r"completed|abandoned)\b", re.I)
_MISSED = re.compile(r"\b(?:miss(?:ed|ing)|behind schedule|overdue|fail(?:ed|ing) to)\b", re.I)


def _status_flip(seed: Seed, s: SentInfo):
    """A status change told with a lexicon, not a figure: an ongoing seed activity now stopped ("is being
    pumped" -> "pumping was stopped"), or a planned restart that has not happened ("expects to restart the
    line within a week" -> "the line was still idle, missing the target"). The fact is the one seed fact
    of that kind sharing a (non-name) content word with the sentence. Returns (fid, changes) or None."""
    if s.modality != "asserted" or nlp.FUTURE.search(s.text):
        return None
    still = bool(_HALTED_STILL.search(s.text))
    halted_still = still and (bool(_HALTED.search(s.text)) or bool(_MISSED.search(s.text)))
    stopped = not still and not s.negated and bool(_STOPPED.search(s.text))
    if not (halted_still or stopped):
        return None
    cands = []
    for fid, (ci, _si) in seed.fact_info.items():
        shared = [t for t in s.tokset & ci.tokset if not t.startswith("zze") and t not in nlp.COMMON_NEWS]
        if not shared or ci.negated:
            continue
        if halted_still and ci.modality in ("planned", "expected", "hedged") and _RESUMED.search(ci.text):
            cands.append((len(shared), fid, Change("modality", ci.modality, "asserted (negated)")))
        elif stopped and _ONGOING.search(ci.text):
            cands.append((len(shared), fid, Change("status", "ongoing", "stopped")))
    best = _clear_winner(cands)
    return None if best is None else (best[1], [best[2]])


def _clear_winner(cands: list[tuple]):
    """The candidate (score, fact id, ...) with the highest score, or None on a tie at the top."""
    if not cands:
        return None
    ranked = sorted(cands, key=lambda x: (-x[0], x[1]))
    if len(ranked) > 1 and ranked[1][0] == ranked[0][0]:
        return None
    return ranked[0]


_GENERIC_UNITS = frozenset({"", "people", "time", "year", "day", "week", "month", "hour"})
_PER = re.compile(r"\b(?:a|per|each)\s+(?:share|head|person|unit|jar|item|ton|tonne|barrel)\b", re.I)


def _pre(a: set, b: set) -> int:
    """Context words shared by two bags, matching on a 4-letter prefix ("valu" ~ "value")."""
    pa = {t[:4] for t in a if len(t) >= 4}
    return len(pa & {t[:4] for t in b if len(t) >= 4})


def _max_ratio(f: dict, n: dict) -> float:
    """How far a revised figure may move from the seed's: a specific unit (tonnes, dollars) or the same measure
    ("killed", "cancelled") lets an estimate grow tenfold (a spill of 200 -> 1,900 tonnes); bare counts stay
    within 4x."""
    if f["kind"] in ("measure", "money") and _same_unit(f["unit"], n["unit"]):
        return 20.0
    if f["kind"] == "count" and ((f.get("mclass") and f.get("mclass") == n.get("mclass")) or _units_match(f, n)):
        return 10.0
    return 4.0


# words for a figure's move, used only around figures ("shares lost 14%" ~ "fell 6%"; "lost their homes" is no fall)
_MOVE_SYNS = {"lose": "fall", "lost": "fall", "los": "fall", "shed": "fall", "plung": "fall", "slump": "fall",
              "tumbl": "fall", "sank": "fall", "sink": "fall"}


def _syns(toks) -> set:
    return {_MOVE_SYNS.get(t, _syn(t)) for t in (toks or ())}


def _predicate_words(seed: Seed, s: SentInfo, fid: str) -> list[str]:
    """Content words (not names, not common news words) the sentence shares with the fact."""
    ci = seed.fact_info[fid][0]
    return [t for t in s.tokset & ci.tokset if not t.startswith("zze") and t not in nlp.COMMON_NEWS
            and t not in _ROLE_WORDS]


def _unique_unit(seed: Seed, f: dict) -> bool:
    """f is the only seed figure in its unit."""
    return sum(1 for _fid, (ci, _si) in seed.fact_info.items() for g in ci.numbers
               if g["kind"] == f["kind"] and _same_unit(g["unit"], f["unit"])) == 1


def _days(info: SentInfo) -> set:
    return {d["date"] for d in info.dates if d.get("precision") == "day" and (d.get("date") or "")[:1].isdigit()}


def _slot_link(seed: Seed, s: SentInfo):
    """A figure in the sentence that measures the same quantity as exactly one seed fact's figure (same
    measure class, the same counted noun, or the same currency/percentage with shared context), with a
    different value: the sentence revises that fact ("some 520 treated for injuries" vs "400 injured";
    "30,000 jars now thought involved" vs "12,000 jars may be affected"). Returns (fid, changes) or None."""
    best: dict = {}
    stoks = set(s.tokset)
    sdays = _days(s)
    for n in s.numbers:
        if n.get("old") or n.get("delta") or n["kind"] not in ("count", "money", "percent", "measure"):
            continue
        if not any(c.isdigit() for c in n["text"]) and not n.get("mclass"):
            continue
        if n["kind"] == "count" and n["value"] < 4:
            continue
        for fid in seed.fact_info:
            for f in _fact_numbers(seed, s, fid):
                if f["kind"] != n["kind"] or abs(_nv(f) - _nv(n)) < 1e-9 or not _compatible(f, n):
                    continue
                lo, hi = sorted((abs(_nv(f)), abs(_nv(n))))
                if f.get("dir") and n.get("dir") and f["dir"] != n["dir"]:
                    continue  # "fell 6%" vs "rose 4%": two different moves
                if lo <= 0 or hi / lo > _max_ratio(f, n) or bool(f.get("delta")):
                    continue
                ctx = _pre(set(f.get("ctx") or ()), stoks | set(n.get("ctx") or ()))
                if n["kind"] == "count":
                    if f.get("mclass") and f.get("mclass") == n.get("mclass"):
                        sc = 3 + ctx
                    elif _units_match(f, n):
                        sc = 2 + ctx
                    else:
                        continue
                else:
                    if not _same_unit(f["unit"], n["unit"]):
                        continue
                    if n["kind"] == "money" and bool(_PER.search(f["text"] + " " + seed.fact_info[fid][0].text[
                            seed.fact_info[fid][0].text.find(f["text"]):][:len(f["text"]) + 12])) != bool(
                            _PER.search(s.text[s.text.find(n["text"]):][:len(n["text"]) + 12])):
                        continue
                    if n["kind"] != "money":
                        # a percentage is too common to link by the sentence's words: its own context must agree,
                        # or the sentence must say what the claim says besides the figure (two of its words)
                        ctx = _pre(_syns(f.get("ctx")), _syns(n.get("ctx")))
                        if not ctx and n["kind"] == "measure" and _unique_unit(seed, f):
                            ctx = 1  # the story's only figure in tonnes, kilometres, ...: no other reading
                        if not ctx and len(_predicate_words(seed, s, fid)) >= 2:
                            ctx = 1
                    if not ctx:
                        continue
                    sc = 1 + ctx
                # a revised figure usually stays near the first one: closeness breaks ties between seed figures
                sc += 0.9 * max(0.0, 1 - math.log(hi / lo) / math.log(4.0))
                if sdays & _days(seed.fact_info[fid][0]):
                    sc += 0.5  # counted from the same day ("since Tuesday" ~ "on Tuesday and Wednesday")
                if sc > best.get(fid, (0,))[0]:
                    best[fid] = (sc, Change("number", f["text"], n["text"]))
    if not best:
        return None
    ranked = sorted(best.items(), key=lambda x: -x[1][0])
    if len(ranked) > 1 and ranked[1][1][0] >= ranked[0][1][0]:
        return None
    fid, (sc, ch) = ranked[0]
    return fid, [ch]


def _old_value_link(seed: Seed, s: SentInfo):
    """The sentence names a seed figure as the old value ("up from 480", "fewer than the 480 first announced",
    "instead of 140") next to a new figure of the same kind: it revises the one seed fact holding that figure,
    however differently it is worded. Returns (fid, changes) or None."""
    olds = [n for n in s.numbers if n.get("old")]
    if not olds:
        return None
    hits: dict = {}
    cue = {}
    for o in olds:
        for fid, (ci, _si) in seed.fact_info.items():
            for f in ci.numbers:
                # the same figure named as the old one: its counted noun may be reworded ("boxes", "containers")
                if f["kind"] == o["kind"] and abs(_nv(f) - _nv(o)) < 1e-9 and f["kind"] != "ordinal" and (
                        _same_unit(f["unit"], o["unit"]) or _nv(o) >= 10):
                    hits.setdefault(fid, f)
                    cue.setdefault(fid, o.get("oldcue", ""))
    if len(hits) != 1:
        return None
    fid, f = next(iter(hits.items()))
    same_kind = [n for n in s.numbers if not n.get("old") and not n.get("delta") and n["kind"] == f["kind"]
                 and abs(_nv(n) - _nv(f)) > 1e-9]
    news = [n for n in same_kind if not n["unit"] or not f["unit"] or _compatible(f, n)]
    if not news and len(same_kind) == 1:
        news = same_kind  # "90,000 homes ..., down from about 130,000": the one figure beside the old one
    if not news:
        return None
    news.sort(key=lambda n: not (n["unit"] and f["unit"] and _compatible(f, n)))  # a matching unit first
    # "2,150 kilograms, not the 1,950 quoted": the seed's figure was wrong, not superseded
    kind = "contradicts" if cue[fid] in ("not", "rather than") and not _CURRENT.search(s.text) else "updates"
    return fid, [Change("number", f["text"], news[0]["text"])], kind


_UNDER_WAY = re.compile(r"\b(?:now|again|under ?way|in progress|has (?:begun|started)|have (?:begun|started)|"
                        r"set off|gets? under way|got under way|went ahead|took place|happened)\b", re.I)


def _plan_done(seed: Seed, s: SentInfo):
    """An open seed claim (a plan, a forecast, a hope) whose own action the sentence reports as done or
    under way: the planned verb or its noun in the past ("plans a march" -> "the march has set off", "will
    try again" -> "tried again", "expected to send its first images" -> "sent back its first pictures"),
    with a second word of the claim besides. Returns (fid, changes) or None."""
    if s.modality != "asserted" or nlp.FUTURE.search(s.text) or s.negated:
        return None
    past = bool(nlp.PAST.search(s.text)) or bool(_UNDER_WAY.search(s.text))
    if not past:
        return None
    hits = []
    for fid, (ci, _si) in seed.fact_info.items():
        if ci.modality == "asserted" or ci.negated or not ci.plan_verbs:
            continue
        pv = [v for v in ci.plan_verbs if v not in ("have", "be", "ha")]
        if not pv:
            continue
        done = _done_verb(s.text, pv, ci.plan_syns) or any(
            (t[:5] in pv or _syn(t) in ci.plan_syns) and (t not in nlp.MONTHS or re.search(r"\b" + t + r"\b", s.text))
            for t in s.tokset if not t.startswith("zze"))  # the month "March" is not "a march"
        if not done:
            continue
        other = [t for t in s.tokset & ci.tokset if t[:5] not in pv and t not in nlp.COMMON_NEWS
                 and not t.startswith("zze") and _syn(t) not in ci.plan_syns and t not in _ROLE_WORDS]
        names = [t for t in s.tokset & ci.tokset if t.startswith("zze")]
        # a word particular to this claim ("march", "images"), or two of its words
        if not (len(other) >= 2 or any(seed.df.get(t) == 1 for t in other)):
            continue
        hits.append((len(other) + len(names), fid))
    if not hits:
        return None
    best = _clear_winner(hits)
    if best is None:
        return None
    fid = best[1]
    return fid, [Change("modality", seed.fact_info[fid][0].modality, "asserted")]


def _anchor_update(seed: Seed, s: SentInfo):
    """A sentence that shares a term found in only one seed fact, where that fact is an open claim
    (hedged/planned/expected or negated) and the sentence reports it done: a weakly linked update."""
    if s.modality != "asserted" or nlp.FUTURE.search(s.text) or not RESOLVED_CUES.search(s.text):
        return None
    hits = []
    for fid in seed.fact_info:
        ci = seed.fact_info[fid][0]
        if ci.modality == "asserted":
            continue
        uniq = [t for t in s.tokset & ci.tokset if seed.df.get(t) == 1 and t not in nlp.COMMON_NEWS
                and not t.startswith("zze")]
        if uniq:
            hits.append((len(uniq), fid))
    if len(hits) == 1 or (len(hits) > 1 and sorted(hits)[-1][0] > sorted(hits)[-2][0]):
        fid = max(hits)[1]
        ci = seed.fact_info[fid][0]
        return ("updates", fid, 0.5, (Change("modality", ci.modality + (" (negated)" if ci.negated else ""),
                                             "asserted"),))
    return None


# "did not respond to a request for comment", "declined to comment": a non-answer says nothing about a claim
_NON_ANSWER = re.compile(
    r"\b(?:did not|didn't|does not|doesn't|has not|hasn't|have not|had not|could not|couldn't|would not|wouldn't|"
    r"declined to|refused to)\s+(?:immediately\s+|yet\s+)?(?:respond|reply|return|comment|answer|be reached|elaborate)\b|"
    r"\b(?:no|without) (?:immediate )?(?:comment|response|reply)\b|\bnot (?:immediately )?(?:available|reachable) for comment\b",
    re.I)
_QUOTED = re.compile(r"[\"\u201c][^\"\u201c\u201d]{2,}?[\"\u201d]")


def _non_answer(s: SentInfo) -> bool:
    return bool(_NON_ANSWER.search(s.text))


def _quoted_negation(seed: Seed, s: SentInfo) -> bool:
    """Every negation of the sentence is inside a direct quote, and nobody the seed knows is named outside
    it: a third party's words ("'It's a framework, not a finished deal,' said an analyst") state an opinion,
    they do not deny a seed claim."""
    if not nlp.negated(s.text) and not s.neg_scope:
        return False
    outside = _QUOTED.sub(" ", s.text)
    if outside == s.text or nlp.negated(outside):
        return False
    return not any(t.startswith("zze") for t in sentence_tokens(seed.registry, outside)[0])


def _generic(seed: Seed, t: str) -> bool:
    """A word too common in the seed (or in news) to show that a sentence is about one particular claim."""
    return t in nlp.COMMON_NEWS or seed.df.get(t, 0) >= 3 or t in _ROLE_WORDS


def _negation_scoped(seed: Seed, s: SentInfo, fid: str) -> bool:
    """A negation denies a seed claim only when it scopes over the claim's own predicate or distinctive
    object (a word of that claim, not a generic word of the story, not already negated in the seed), and
    the sentence aligns with the claim beyond that word: it shares another non-generic word or a party
    with it ("Tariffs were not the focus" does not deny "the focus is export controls")."""
    if _non_answer(s) or _quoted_negation(seed, s):
        return False
    ci, _si = seed.fact_info[fid]
    negs = {t for t in s.neg_scope & ci.tokset - ci.neg_scope if not _generic(seed, t) and not t.startswith("zze")}
    if not negs:
        return False
    rest = (s.tokset & ci.tokset) - negs
    return any(t.startswith("zze") or not _generic(seed, t) for t in rest)


# a hedge that the event may run longer ("might be extended to a third day", "may continue until Wednesday")
_EXTENSION = re.compile(r"\b(?:extend\w*|extension|prolong\w*|continu\w*|run (?:into|over|on|until|past)|go on|"
                        r"stretch\w*|spill\w* over|last (?:into|until|beyond)|overrun\w*)\b", re.I)
# ... resolved: the event ended, or did not need the extra time
_ENDED = re.compile(r"\b(?:ended|concluded|wrapped up|wound up|finished|broke up|came to an end|drew to a close|"
                    r"adjourned|closed out|wrapped)\b|"
                    r"\b(?:instead of|rather than|without) (?:running|continuing|going|stretching|spilling|extending|"
                    r"lasting|dragging)\b|"
                    r"\bno (?:third|fourth|fifth|extra|additional|further) (?:day|session|round|night)\b|"
                    r"\b(?:did not|didn't|was not|wasn't|were not|weren't) (?:need|needed|required|extended|prolonged)\b",
                    re.I)


def _extension_resolved(seed: Seed, s: SentInfo, ties: bool = False):
    """A hedged extension of an event ("the talks might be extended to a third day") resolved by a report
    that the event ended ("ended late on the second day", "wrapped up instead of running into Wednesday"):
    the hedge did not come true, an update. The fact is the extension hedge sharing the most non-name words
    with the sentence (the event noun at least); a day or time named in both decides between hedges."""
    if s.modality != "asserted" or nlp.FUTURE.search(nlp.strip_quotes(s.text)) or not _ENDED.search(s.text):
        return None
    if _non_answer(s) or s.denial:
        return None
    cands = []
    for fid, (ci, _si) in seed.fact_info.items():
        if ci.modality not in ("hedged", "planned", "expected") or not _EXTENSION.search(ci.text):
            continue
        shared = [t for t in s.tokset & ci.tokset if not t.startswith("zze")]
        content = [t for t in shared if t not in nlp.COMMON_NEWS and t != "extend"]
        if not content:
            continue
        cands.append((len(content) + len(shared), fid))
    if not cands:
        return None
    cands.sort(key=lambda x: (-x[0], x[1]))
    if len(cands) > 1 and cands[1][0] == cands[0][0]:
        # a tie: the hedges are about the same event; the one closest to the sentence's words is first in
        # the seed only if nothing else decides, so keep the earliest (the seed's own statement of it)
        pass
    if ties:
        return [_ext_update(seed, f) for sc, f in cands if sc == cands[0][0]]
    return _ext_update(seed, cands[0][1])


def _ext_update(seed: Seed, fid: str):
    ci = seed.fact_info[fid][0]
    return ("updates", fid, 0.55, (Change("modality", ci.modality + (" (negated)" if ci.negated else ""),
                                          "asserted (ended)"),))


_PERSIST = re.compile(r"\b(?:still|remains?|remained|continues? to|continued to|repeated|reiterated|"
                      r"stood by|stands by|sticking to|sticks to|maintained|kept)\b", re.I)


def classify(seed: Seed, s: SentInfo, ctx: set[str] | None = None, follows: bool = False
             ) -> tuple[str, str | None, float, tuple[Change, ...]] | None:
    res = _classify(seed, s, ctx, follows)
    ext = _extension_resolved(seed, s) if len(s.tokens) >= 3 and not _is_background(seed, s) else None
    if ext and (res is None or res[0] != "confirms" or res[1] == ext[1]):
        return ext
    if res and res[0] in ("updates", "contradicts") and _non_answer(s) and not s.denial:
        return None  # "did not respond to a request for comment" neither changes nor denies a claim
    if res and res[0] == "contradicts" and not s.denial and any(c.field == "negation" for c in res[3]) and \
            (_non_answer(s) or _quoted_negation(seed, s) or _other_subject(seed, s, res[1])):
        return None  # the negation is about something else, or a third party's opinion
    if res and res[0] == "updates" and res[1] and _deliberation_outcome(seed, res[1], res[3]):
        # "shareholders will vote on the takeover" -> "approved it with 91%": the scheduled decision was
        # taken; what it decided is news the seed did not have
        return ("new", None, res[2], ())
    if res and res[0] == "updates" and _flipped_before_seed(seed, s, res[1], res[3]):
        # "has not drawn on the credit line" (seed) -> "drew $40 million from it on Tuesday", a day before
        # the seed: the claim was false when made, not overtaken by events
        return ("contradicts", res[1], res[2], tuple(res[3]) + (Change("negation", "true", "false"),))
    return res


_DELIBERATE = ("vote", "decid", "rule", "ruli", "consi", "revie", "weigh", "asses", "exami", "debat", "delib", "study",
               "judge", "verdi")


def _deliberation_outcome(seed: Seed, fid: str, changes) -> bool:
    """The claim only scheduled a decision (a vote, a ruling, a review) and the finding resolves it by its
    outcome, with no moved date or changed figure."""
    ci = seed.fact_info[fid][0]
    pv = [v for v in ci.plan_verbs if v not in ("have", "be", "ha")]
    if re.search(r"\b(?:vot\w*|rul\w*|decid\w*)\s+(?:for|against|to|that|in favour|in favor)\b", ci.text, re.I):
        return False  # "expected to vote for the move": the outcome was predicted, so it can be updated
    return bool(pv) and all(v.startswith(_DELIBERATE) for v in pv) and \
        all(getattr(c, "field", "") == "modality" for c in changes)


def _flipped_before_seed(seed: Seed, s: SentInfo, fid: str | None, changes) -> bool:
    """A negated seed claim reported the other way round, about an event dated before the seed's day."""
    if fid is None or seed.published_at is None or s.negated or nlp.FUTURE.search(s.text):
        return False
    ci = seed.fact_info[fid][0]
    if not ci.negated or ci.modality != "asserted" or any(
            c.field in ("number", "date", "time") for c in changes):
        return False
    ref = seed.published_at.date().isoformat()
    days = [d["date"] for d in s.dates if d.get("date") and d.get("precision") == "day" and d["date"][:1].isdigit()]
    return bool(days) and all(d < ref for d in days)


_COPULA_NEG = re.compile(r"^(?P<subj>.{2,80}?)\s+(?:is|are|was|were)\s+(?:not|never)\b", re.I)


def _other_subject(seed: Seed, s: SentInfo, fid: str) -> bool:
    """ "Tariffs were not the focus": the negation predicates of a subject the claim does not mention."""
    m = _COPULA_NEG.match(nlp.strip_dateline(s.text))
    if not m:
        return False
    ci, si = seed.fact_info[fid]
    subj = {_syn(t) for t in nlp.content_tokens(m.group("subj"))}
    return bool(subj) and not subj & (ci.tokset | si.tokset)


_ADMISSION = re.compile(r"\b(?:admit(?:s|ted)?|acknowledg(?:es|ed)|conced(?:es|ed)|confirmed that|confirmed it|"
                        r"(?:it (?:has|had) )?emerged that|it has emerged|turned out|has learned|have learned)\b", re.I)


_CAUSE = re.compile(r"\b(?:caused by|started by|triggered by|sparked by|came from|blamed on|the result of|"
                    r"pointed to|down to|traced to)\s+(?P<cause>[^.;]+)", re.I)


def _cause_parts(text: str) -> tuple[set, set] | None:
    """(what happened, what caused it): the content words before a causal phrase and the first three after it."""
    m = _CAUSE.search(text)
    if not m:
        return None
    effect = {_syn(t) for t in nlp.content_tokens(text[:m.start()]) if t not in nlp.COMMON_NEWS}
    cause = [_syn(t) for t in nlp.content_tokens(m.group("cause"))][:3]
    return effect, set(cause)


def _other_cause(seed: Seed, s: SentInfo):
    """The same event put down to a different cause ("the fire was started by a leaking valve" against the
    seed's "the fire appeared to have been caused by lightning"): the seed's cause was wrong."""
    if s.modality != "asserted" or nlp.FUTURE.search(s.text):
        return None
    mine = _cause_parts(s.text)  # "... started by a leaking valve, and not by lightning": negation may follow
    if mine is None or not mine[1]:
        return None
    hits = []
    for fid, (ci, _si) in seed.fact_info.items():
        theirs = _cause_parts(ci.text)
        if theirs is None or ci.negated or not theirs[1]:
            continue
        same_event = {t for t in mine[0] & theirs[0] if not t.startswith("zze")}
        if same_event and not mine[1] & theirs[1]:
            hits.append((len(same_event), fid))
    best = _clear_winner(hits)
    if best is None:
        return None
    return ("contradicts", best[1], 0.6, (Change("cause", " ".join(sorted(_cause_parts(
        seed.fact_info[best[1]][0].text)[1])), " ".join(sorted(mine[1]))),))


def _admitted(seed: Seed, s: SentInfo, scored):
    """An admission or a revelation with the opposite polarity of a seed claim: "has admitted it was
    talking to a buyer" (seed: "is not in talks"), "conceded that the clinic was not running normally"
    (seed: "running as normal"). The seed claim was never true."""
    m = _ADMISSION.search(s.text)
    if not m or nlp.FUTURE.search(s.text) or _non_answer(s):
        return None
    # the polarity of what is admitted, not of the rest ("..., reversing its statement that there was no sign")
    admitted = re.split(r"[,;:(\u2014]|\s-\s", s.text[m.end():], maxsplit=1)[0]
    s_neg = bool(nlp._NEG_SIMPLE.search(admitted))
    for sim, fid in scored[:3]:
        if sim < LINK_MIN:
            break
        ci = seed.fact_info[fid][0]
        if ci.modality in ("planned", "expected"):
            continue  # a plan that did not happen is an update, not a contradiction
        seed_neg = ci.negated or ci.denial
        # the negation on either side must be about a word the two share ("conceded that cancer care was not
        # running normally" vs "running as normal"), not about something else in the sentence
        negated_words = (nlp.negated_terms(admitted, _syn) & ci.tokset) if s_neg else (ci.neg_scope & s.tokset)
        if seed_neg != s_neg and _predicate_overlap(seed, s, fid) and (negated_words or seed_neg):
            return ("contradicts", fid, round(min(0.99, 0.45 + sim), 3),
                    (Change("negation", str(seed_neg).lower(), str(s_neg).lower()),))
    return None


def _classify(seed: Seed, s: SentInfo, ctx: set[str] | None = None, follows: bool = False
              ) -> tuple[str, str | None, float, tuple[Change, ...]] | None:
    if len(s.tokens) < 3:
        return None
    scored = sorted(((_similarity(seed, s, fid), fid) for fid in seed.fact_info), key=lambda x: (-x[0], x[1]))
    best, fid = scored[0] if scored else (0.0, None)
    on_topic = _on_topic(seed, s, ctx)
    background = _is_background(seed, s)

    def as_new():
        # "follows": the sentence continues a run of the article whose previous sentence carried a finding ("A
        # girl of seven was lifted alive ..." after a report on the rescue): the story's words need not recur
        if (on_topic or follows or _weak_topic(seed, s, ctx)) and not background and _eventive(seed, s) and not _TIMELESS.search(s.text):
            return ("new", None, round(min(0.9, 0.5 + 0.5 * max(0.0, CONFIRM_MIN - best)), 3), ())
        return None

    def neg_contra():
        """A negated term found in one asserted seed fact only ("registered no earthquake" vs "caused by a
        small earthquake"): the claim is denied, however little else the sentence shares with it."""
        if background or not s.neg_scope or s.modality != "asserted" or nlp.FUTURE.search(s.text):
            return None
        if _non_answer(s) or _quoted_negation(seed, s):
            return None
        hits = set()
        for t in s.neg_scope:
            if seed.df.get(t) != 1 or t in nlp.COMMON_NEWS or t.startswith("zze"):
                continue
            # the term must be asserted in the fact, not itself under a negation there
            hits.update(f for f, (ci, _) in seed.fact_info.items() if t in ci.tokset and t not in ci.neg_scope)
        if len(hits) != 1:
            return None
        f = hits.pop()
        ci = seed.fact_info[f][0]
        if ci.denial or ci.modality in ("planned", "expected"):
            return None  # a plan not carried out is an update, not a contradiction (see _changes_for)
        return ("contradicts", f, 0.55, (Change("negation", "false", "true"),))

    def value_confirm():
        if background or s.denial or s.negated:
            return None
        f = _value_anchor(seed, s)
        return None if f is None else ("confirms", f, 0.5, ())

    def plan_update():
        if background or s.denial:
            return None
        r = _plan_done(seed, s)
        return None if r is None else ("updates", r[0], 0.5, tuple(r[1]))

    def flip_update():
        if background or s.denial:
            return None
        r = _status_flip(seed, s)
        return None if r is None else ("updates", r[0], 0.5, tuple(r[1]))

    def slot_update():
        if background or s.denial or nlp.FUTURE.search(s.text) or _TIMELESS.search(s.text):
            return None
        r = _slot_link(seed, s)
        if r is None:
            return None
        return ("updates", r[0], 0.5, tuple(r[1]))

    if background and ((s.denial and not BACKGROUND_CUES.search(s.text)) or
                       (s.denial and nlp.FIGURE_CORRECTION.search(s.text)) or s.resched):
        # denying or correcting a report is news, whatever date the report was about; "a week later than
        # originally planned" reports a change, not history
        background = False
    if background and fid is not None and best >= CONFIRM_MIN and not BACKGROUND_CUES.search(s.text):
        fd = {d["date"][:7] for d in seed.fact_info[fid][0].dates if d.get("date")}
        if fd and all(d["date"][:7] in fd for d in s.dates if d.get("date") and d["date"][:1].isdigit()):
            background = False  # "the warning in September" restates the seed's own dated claim
    if not s.denial and not nlp.FUTURE.search(s.text):
        ov = _old_value_link(seed, s)
        if ov is not None:
            # a seed figure named as the old value: a revision, even in a sentence with history cues
            # ("far fewer than the 480 first announced")
            return (ov[2], ov[0], 0.6, tuple(ov[1]))
    oc = _other_cause(seed, s)
    if oc is not None:
        return oc  # a new finding on the cause of the seed's event is news, whatever older dates it cites
    if background and best < 0.75:
        return None
    adm = _admitted(seed, s, scored)
    if adm is not None:
        return adm
    if s.denial and (fid is None or best < LINK_MIN):
        # a denial sharing a rare seed term with one fact contradicts it
        top = max(seed.weights.values()) if seed.weights else 0
        rare = [(sum(seed.weights[t] for t in s.tokset & seed.fact_info[f][0].tokset
                     if seed.weights.get(t, 0) >= 0.8 * top), f) for f in seed.fact_info]
        rare.sort(key=lambda x: (-x[0], x[1]))
        if rare and rare[0][0] > 0 and (len(rare) == 1 or rare[1][0] < rare[0][0]):
            return ("contradicts", rare[0][1], 0.55, ())
    if fid is None or best < LINK_MIN:
        return _anchor_update(seed, s) or slot_update() or neg_contra() or flip_update() or plan_update() or value_confirm() or as_new()
    cands = [(sim, f) for sim, f in scored[:5] if sim >= max(LINK_MIN, 0.75 * best)]
    if s.denial and best >= CONFIRM_MIN and not (seed.fact_info[fid][0].negated or seed.fact_info[fid][0].denial):
        # a denial aligned with a positive claim contradicts it, whatever other figures it brings
        kind, changes = _changes_for(seed, s, fid, best)
        if kind == "contradicts":
            return (kind, fid, round(min(0.99, 0.45 + best), 3), tuple(changes))
    open_fact = seed.fact_info[fid][0].modality != "asserted" and best >= 0.35 and not nlp.FUTURE.search(s.text)
    if _unmatched_numbers(seed, s, fid) and not open_fact and not _shares_figure(seed, s, fid) and not any(
            _number_changes(_fact_numbers(seed, s, f), s.numbers, any_dir=v >= ANY_DIR_SIM)[0] for v, f in cands):
        su = slot_update()
        sims = dict((f, v) for v, f in scored)
        # a figure revising a weakly aligned claim does not override a strongly aligned one without figures
        # ("drew $40 million from the credit line" vs "has not drawn on the credit line")
        if not (su is not None and best >= 0.45 and sims.get(su[1], 0.0) < 0.5 * best and
                not seed.fact_info[fid][0].numbers and
                seed.fact_info[fid][0].negated != _main_negated(s, seed.fact_info[fid][0])):
            return su or neg_contra() or flip_update() or plan_update() or value_confirm() or as_new()
    results = []
    for sim, f in cands:
        kind, changes = _changes_for(seed, s, f, sim)
        results.append((sim, f, kind, changes))
    top_sim, top_f, top_kind = results[0][0], results[0][1], results[0][2]
    # alignment first, relation second: a weaker candidate's change beats the best-aligned fact's
    # confirmation only with hard evidence (a changed figure, date or time, a denial) or a near-tie
    changed = [r for r in results if r[2] != "confirms" and (
        r[1] == top_f or top_kind != "confirms" or r[0] >= top_sim - 0.03 or
        any(c.field in ("number", "date", "time") for c in r[3]) or r[2] == "contradicts" or
        # an open claim (plan, hedge, forecast) now resolved, nearly as well aligned as the best fact
        (any(c.field in ("modality", "status") for c in r[3]) and r[0] >= 0.85 * top_sim))]
    if changed and changed[0][0] >= LINK_MIN:
        sim, f, kind, changes = changed[0]
        if kind == "updates" and all(c.field == "number" for c in changes) and _other_actor(seed, s):
            # the same kind of figure, but from someone the seed does not know: a new development
            return as_new() or ("new", None, 0.5, ())
        return (kind, f, round(min(0.99, 0.45 + sim), 3), tuple(changes))
    sim, f, kind, changes = results[0]
    if best < CONFIRM_MIN and kind == "confirms" and _PERSIST.search(s.text) and not s.denial and \
            not _unmatched_numbers(seed, s, f) and _predicate_overlap(seed, s, f) and not background:
        # "still", "remains", "repeated that": the seed's state persists, said in other words
        return ("confirms", f, round(min(0.99, 0.4 + sim), 3), ())
    if best < CONFIRM_MIN:
        return _anchor_update(seed, s) or slot_update() or neg_contra() or flip_update() or plan_update() or value_confirm() or as_new()
    if (_unmatched_numbers(seed, s, f) and not _shares_figure(seed, s, f)) or not _predicate_overlap(seed, s, f) \
            or _TIMELESS.search(s.text):
        return slot_update() or neg_contra() or flip_update() or as_new() or None
    return ("confirms", f, round(min(0.99, 0.4 + sim), 3), ())


def diff_article(seed: Seed, *, title: str, text: str, published_at: datetime | None,
                 skip_sentences: Collection[str] = ()) -> list[Finding]:
    skip = {_norm_ws(x) for x in skip_sentences}
    out: list[Finding] = []
    ctx: set[str] = set()
    local: dict = {}
    sents = nlp.split_sentences(text or "")
    notices = [x for x in [title or ""] + sents if nlp.CORRECTION_NOTICE.search(x.strip().lstrip("(["))]
    corrected = bool(notices)
    # the old values the notice corrects ("corrects death toll to 74 from 85"): when it names them and the
    # seed's figure is not among them, the outlet corrected its own report, not the seed
    notice_vals = {round(_nv(n), 6) for x in notices for n in nlp.extract_numbers(x) if n.get("old")}
    follows = False
    for i, raw in enumerate(sents):
        if _norm_ws(raw) in skip:
            continue
        if nlp.is_boilerplate(raw):
            continue
        s = nlp.strip_dateline(raw)
        if s.rstrip().endswith("?") and not s.rstrip().endswith(('"?', '?"', "?\u201d")):
            follows = False
            continue  # a question ("Are other products affected?") asserts nothing
        info = analyse(seed.registry, s, published_at, local)
        res = classify(seed, info, ctx, follows=follows)
        # the article's run of on-topic sentences goes on: the previous sentence (boilerplate aside) carried a
        # finding, whatever its kind and across paragraph breaks (a live blog gives every entry its own
        # paragraph), so an eventive sentence after it is on topic without repeating the seed's words
        follows = res is not None
        if res is None:
            continue
        # names first seen in an on-topic sentence keep later sentences of the article on topic
        for o in info.others:
            if o["type"] != "role":
                ctx.update(_syn(t) for t in nlp.content_tokens(o["text"]))
        kind, fid, conf, changes = res
        seed_vals = {round(_nv(n), 6) for c in changes if c.field == "number" for n in nlp.extract_numbers(c.old)}
        if kind == "updates" and corrected and any(c.field == "number" for c in changes) and \
                not nlp.CHANGE_VERB.search(s) and not (notice_vals and seed_vals and not seed_vals & notice_vals):
            kind = "contradicts"  # a corrected article restating a figure: the first report was wrong
        out.append(Finding(kind=kind, fact_id=fid, evidence=raw, sentence_index=i, confidence=conf,
                           changes=tuple(changes)))
        for extra in _second_change(seed, info, res):
            # one sentence, two claims: it confirms one fact and resolves another ("stayed behind for the
            # talks, which ended late that night instead of running into Wednesday"); the change is kept as a
            # second, less confident finding so the confirmation still decides the sentence's label
            k2, f2, _c2, ch2 = extra
            out.append(Finding(kind=k2, fact_id=f2, evidence=raw, sentence_index=i,
                               confidence=round(max(0.0, min(extra[2], conf - 0.01)), 3), changes=tuple(ch2)))
    return out


def _second_change(seed: Seed, s: SentInfo, res):
    """Changes to other seed facts carried by a sentence whose main finding confirms or updates a fact."""
    if res is None or res[0] not in ("confirms", "updates") or len(s.tokens) < 3 or _is_background(seed, s):
        return []
    ext = _extension_resolved(seed, s)
    if ext is None:
        return []
    # hedges tied for the same event ("might continue until Wednesday", "might extend to Wednesday") are
    # all resolved by the report that the event ended
    return [e for e in _extension_resolved(seed, s, ties=True) if e[1] != res[1]]


def _norm_ws(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()
