"""Entity mentions and cross-document entity resolution (generic: roles + phonetics + edit distance).

No names of any story live here; only generic role/title words and organisation cues."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import jellyfish

from .nlp import MONTHS, STOPWORDS, WEEKDAYS, stem

# Role heads and small synonym classes (generic titles).
ROLE_HEADS = {
    "secretary": "leader", "minister": "leader", "chief": "leader", "head": "leader", "boss": "leader",
    "czar": "leader", "tsar": "leader", "chair": "chair", "chairman": "chair", "chairwoman": "chair",
    "chairperson": "chair", "president": "president", "premier": "premier", "chancellor": "leader",
    "representative": "representative", "envoy": "representative", "negotiator": "representative",
    "ambassador": "ambassador", "governor": "governor", "mayor": "mayor", "ceo": "ceo",
    "executive": "ceo", "director": "director", "spokesperson": "spokesperson",
    "spokesman": "spokesperson", "spokeswoman": "spokesperson", "senator": "senator",
    "congressman": "legislator", "congresswoman": "legislator", "lawmaker": "legislator",
    "commissioner": "commissioner", "judge": "judge", "justice": "judge", "prosecutor": "prosecutor",
    "commander": "commander", "general": "commander", "founder": "founder", "leader": "leader",
    "officer": "officer", "cfo": "cfo", "coo": "coo", "cto": "cto", "king": "monarch",
    "queen": "monarch", "prince": "prince", "pope": "pope", "sheriff": "sheriff", "coach": "coach",
    "captain": "captain", "manager": "manager", "analyst": "analyst", "economist": "analyst",
    "owner": "owner", "attorney": "attorney", "vice": "vice", "deputy": "deputy", "adviser": "adviser",
    "advisor": "adviser", "official": "official",
}
# classes that may stand for one another ("the Treasury chief" = "Treasury Secretary")
ROLE_COMPAT = {
    "leader": {"leader", "chair", "ceo", "premier", "president", "representative"},
    "chair": {"chair", "leader", "president"},
    "ceo": {"ceo", "leader", "president"},
    "representative": {"representative", "leader"},
    "president": {"president", "leader", "chair", "ceo"},
    "premier": {"premier", "leader"},
}
ROLE_MODIFIERS = {"vice", "deputy", "assistant", "acting", "former", "interim", "under", "associate",
                  "senior", "chief", "lead", "top"}
DOMAIN_SYNONYMS = {"finance": "treasury", "financial": "treasury", "exchequer": "treasury",
                   "defense": "defence", "defence": "defence", "foreign": "foreign", "state": "foreign",
                   "external": "foreign", "economic": "economy", "economics": "economy",
                   "commercial": "commerce", "trading": "trade", "interior": "interior",
                   "home": "interior", "justice": "justice", "executive": "executive"}
GENERIC_DOMAIN = {"us", "u.s", "uk", "u.k", "eu", "un", "chinese", "american", "british", "french",
                  "german", "japanese", "russian", "indian", "the", "a", "an", "its", "his", "her",
                  "their", "country's", "nation's", "former", "then", "new", "top", "senior", "general",
                  "of", "and", "for", "s", "national", "federal", "state's"}
ORG_CUES = {"ministry", "department", "agency", "news", "inc", "corp", "corporation", "ltd", "plc",
            "bank", "group", "university", "party", "council", "commission", "committee", "house",
            "palace", "office", "association", "union", "court", "parliament", "congress", "senate",
            "company", "co", "holdings", "fund", "institute", "times", "post", "journal", "press",
            "reuters", "bloomberg", "service", "administration", "authority", "board", "exchange",
            "federation", "organization", "organisation", "foundation", "centre", "center", "hall",
            "street", "square", "airport", "station", "hospital", "school", "club", "team", "network",
            "television", "tv", "radio", "daily", "herald", "tribune", "gazette", "guardian"}
CAP_SKIP = {"The", "A", "An", "In", "On", "At", "After", "Before", "But", "And", "However", "He",
            "She", "It", "They", "We", "I", "This", "That", "These", "Those", "When", "While", "As",
            "According", "If", "By", "For", "With", "From", "Meanwhile", "Also", "Both", "Such",
            "There", "Here", "His", "Her", "Their", "Our", "Its", "What", "Why", "How", "Who",
            "Mr", "Mrs", "Ms", "Dr", "Unnamed", "Outside", "Some", "Many", "Most", "Earlier", "Later",
            "Under", "Over", "Since", "Until", "Despite", "Although", "Though", "Because", "Once",
            "Then", "Now", "Today", "Yesterday", "Tomorrow", "Still", "Yet", "So", "Or", "Nor", "Not",
            "No", "Yes", "All", "Any", "Each", "Every", "One", "Two", "Three", "Asked", "Speaking",
            "Sources", "Officials", "Analysts", "Experts", "Shares", "Stocks", "Markets"}
_CAP_SPAN = re.compile(
    r"(?:[A-Z][\w'\u2019\-]*\.?|al-[A-Z]\w+)(?:\s+(?:(?:de|da|van|von|der|bin|al|la|le|del|di|of|the)\s+)?"
    r"(?:[A-Z][\w'\u2019\-]*\.?))*")
_ROLE_WORD = re.compile(r"\b(" + "|".join(sorted(ROLE_HEADS, key=len, reverse=True)) + r")\b", re.I)


def _last_words(text: str, n: int = 3) -> str:
    ws = text.split()
    return " ".join(ws[-n:]) + " " if ws else ""


def _role_before(prefix_text: str):
    """(prefix words, head) when prefix_text ends with a role head word ("... Treasury Secretary ")."""
    ws = prefix_text.rstrip(" ,").split()
    if not ws:
        return None
    head = ws[-1].strip(",")
    if head.lower() not in ROLE_HEADS:
        return None
    return " ".join(ws[-4:-1]), head


def _trim_prefix(prefix_words: str) -> list[str]:
    """Keep only the title words right before the role head (stop at conjunctions, names, roles)."""
    ws = prefix_words.split()
    keep: list[str] = []
    for w in reversed(ws):
        wl = w.lower().strip(".,'\u2019").removesuffix("'s")
        if not wl or w[-1:] in ",;:" or wl in STOPWORDS and wl not in ("us", "u.s") or \
                wl in ROLE_HEADS and wl not in ROLE_MODIFIERS:
            break
        keep.append(w)
        if len(keep) == 3:
            break
    return list(reversed(keep))


def role_of(prefix_words: str, head: str) -> dict | None:
    head_l = head.lower()
    cls = ROLE_HEADS.get(head_l)
    if cls is None:
        return None
    dom = []
    words_ = _trim_prefix(prefix_words)
    prefix_words = " ".join(words_)
    for w in words_:
        wl = w.lower().strip(".,'\u2019").removesuffix("'s")
        if not wl or wl in GENERIC_DOMAIN or wl in STOPWORDS or wl in ROLE_MODIFIERS:
            if wl in ("vice", "deputy"):
                dom.append(wl)
            continue
        if wl in ROLE_HEADS and wl not in ("trade", "commerce"):
            continue
        dom.append(DOMAIN_SYNONYMS.get(wl, stem(wl)))
    return {"head": cls, "title": (prefix_words.strip() + " " + head).strip(), "domain": dom}


# words that stand for "the organisation the story is about", not a particular one: "the company's chief
# executive" may be "the Brannock Minerals boss"
GENERIC_ORG_DOMAIN = {"company", "firm", "group", "operator", "business", "carrier", "airline", "organisation",
                      "organization", "bank", "agency", "authority", "service", "regulator", "union"}


def _specific(dom) -> set:
    return {d for d in dom if d not in ("vice", "deputy") and d not in GENERIC_ORG_DOMAIN}


def domains_agree(a: dict, b: dict) -> bool:
    """Two role domains name the same body, or one of them only says "the company" (a wildcard)."""
    da, db = set(a["domain"]), set(b["domain"])
    if da & db:
        return True
    sa, sb = _specific(da), _specific(db)
    return bool(da and db) and (not sa or not sb)


def roles_compatible(a: dict | None, b: dict | None) -> bool | None:
    """True/False when both roles are known, None when one is unknown."""
    if not a or not b:
        return None
    ha, hb = a["head"], b["head"]
    if ha != hb and hb not in ROLE_COMPAT.get(ha, {ha}) and ha not in ROLE_COMPAT.get(hb, {hb}):
        return False
    da = {d for d in a["domain"] if d not in ("vice", "deputy")}
    db = {d for d in b["domain"] if d not in ("vice", "deputy")}
    if ("vice" in a["domain"] or "deputy" in a["domain"]) != ("vice" in b["domain"] or "deputy" in b["domain"]):
        if da and db and da & db:
            return False
    if da and db:
        return bool(da & db) or not _specific(da) or not _specific(db)
    return True


@lru_cache(maxsize=100_000)
def _phon(tok: str) -> tuple[str, str]:
    return jellyfish.metaphone(tok), jellyfish.nysiis(tok)


@lru_cache(maxsize=200_000)
def name_similarity(a: str, b: str) -> float:
    """0..1 similarity of two single name tokens across transliteration variants."""
    a, b = a.lower(), b.lower()
    if a == b:
        return 1.0
    if len(a) < 3 or len(b) < 3:
        return 0.0
    jw = jellyfish.jaro_winkler_similarity(a, b)
    lev = 1 - jellyfish.levenshtein_distance(a, b) / max(len(a), len(b))
    ma, na = _phon(a)
    mb, nb = _phon(b)
    ph = 0.0
    if ma == mb:
        ph = 1.0
    elif na == nb:
        ph = 0.9
    else:
        try:
            if jellyfish.match_rating_comparison(a, b):
                ph = 0.7
        except Exception:  # pragma: no cover
            pass
        # same consonant skeleton after the first letter (Lutnick/Rutnick)
        if ma[1:] and ma[1:] == mb[1:] and len(ma) >= 3:
            ph = max(ph, 0.75)
    return max(jw, lev, 0.5 * jw + 0.5 * ph) if ph else max(lev, jw * 0.95)


def _distinctive(toks) -> frozenset:
    return frozenset(t.removesuffix("'s") for t in toks if t.removesuffix("'s") not in ORG_CUES and len(t) > 1)


@dataclass
class Entity:
    eid: str
    names: set[str] = field(default_factory=set)  # full spans, as written
    tokens: set[str] = field(default_factory=set)  # name tokens (lowercase)
    surname: str = ""
    role: dict | None = None
    kind: str = "name"  # person | org | name

    def to_dict(self) -> dict:
        d = {"id": self.eid, "name": max(self.names, key=len) if self.names else "", "type": self.kind,
             "spellings": sorted(self.names)}
        if self.role:
            d["role"] = self.role["title"]
        return d


@dataclass
class Mention:
    text: str
    start: int
    end: int
    role: dict | None
    kind: str
    tokens: list[str]
    role_start: int = -1  # where the role title in front of the name begins (-1: none)


def find_mentions(sentence: str) -> list[Mention]:
    """Cached by sentence (the same sentence is looked at by relevance, the diff and the seed profile);
    callers get a fresh list and must not mutate the mentions."""
    return list(_find_mentions_cached(sentence))


@lru_cache(maxsize=20_000)
def _find_mentions_cached(sentence: str) -> tuple:
    return tuple(_find_mentions(sentence))


def _split_person_of_org(sentence: str) -> str:
    """ "Mara Quill of Tessel Research" is a person and an organisation, "Bank of England" and "Central
    Bank of Ireland" are one name: a span is cut at "of" when the words before it are two or more
    capitalised words none of which marks an organisation, and two or more follow it. The cut keeps every offset (" of " -> ";of ")."""
    if " of " not in sentence:
        return sentence
    out = sentence
    for m in _CAP_SPAN.finditer(sentence):
        text = m.group(0)
        pos = text.find(" of ")
        if pos < 0:
            continue
        left = [t for t in text[:pos].split() if t.rstrip(".,") not in CAP_SKIP and t.lower() not in STOPWORDS]
        right = [t for t in text[pos + 4:].split() if t.lower() not in STOPWORDS]
        if len(left) >= 2 and len(right) >= 2 and not any(t.lower().removesuffix("'s") in ORG_CUES or t.lower() in ROLE_HEADS
                                      for t in left):
            at = m.start() + pos
            out = out[:at] + ";" + out[at + 1:]
    return out


def _find_mentions(sentence: str) -> list[Mention]:
    """Capitalised spans (names/orgs/places) with a preceding role title if any, plus role-only
    mentions ("the Treasury chief")."""
    out: list[Mention] = []
    used: list[tuple[int, int]] = []
    sentence = _split_person_of_org(sentence)
    for m in _CAP_SPAN.finditer(sentence):
        text = m.group(0)
        start = m.start()
        toks = text.split()
        # drop leading sentence words / skip words
        while toks and (toks[0].rstrip(".") in CAP_SKIP or toks[0].lower() in STOPWORDS):
            start += len(toks[0]) + 1
            toks = toks[1:]
            while start < len(sentence) and sentence[start] == " ":
                start += 1
        while toks and toks[-1].lower() in ("of", "the", "de", "van", "von", "al", "la", "le", "del", "di"):
            toks = toks[:-1]
        if not toks:
            continue
        # split off leading role words that are capitalised ("Treasury Secretary Scott Bessent")
        role = None
        idx = None
        for i, t in enumerate(toks):
            if t.lower().rstrip(".,") in ROLE_HEADS:
                idx = i
        prefix_text = sentence[max(0, start - 60):start]
        role_start = -1
        if idx is not None and idx < len(toks) - 1:
            role_start = start
            role_words = toks[: idx + 1]
            # include lowercase words before the span ("US commerce secretary")
            pre = _last_words(prefix_text) + " ".join(role_words[:-1])
            role = role_of(pre, role_words[-1])
            start += len(" ".join(role_words)) + 1
            toks = toks[idx + 1:]
        elif idx is not None and idx == len(toks) - 1:
            # span is only a role ("Treasury Secretary") -> role-only mention
            r = role_of(_last_words(prefix_text) + " ".join(toks[:-1]), toks[-1])
            if r:
                out.append(Mention(" ".join(toks), start, m.end(), r, "role", []))
                used.append((m.start(), m.end()))
            continue
        else:
            rb = _role_before(prefix_text)
            if rb:
                role = role_of(rb[0], rb[1])
                if role:
                    role_start = max(0, start - len(prefix_text) + len(prefix_text.rstrip(" ,")) - len(rb[1]))
        nxt = re.match(r"\s+([a-z]+)", sentence[m.end():m.end() + 20])
        if role is None and nxt and nxt.group(1) in ROLE_HEADS and len(toks) == 1:
            continue  # "the Treasury chief": a role, picked up below
        toks = [t.rstrip(".,") for t in toks if t.rstrip(".,")]
        toks = [t for t in toks if t not in CAP_SKIP]
        if not toks:
            continue
        if all(t.lower().removesuffix("'s").removesuffix("\u2019s") in MONTHS or
               t.lower().removesuffix("'s").removesuffix("\u2019s") in WEEKDAYS or
               t.lower() in ("am", "pm", "a.m", "p.m", "gmt", "utc", "bst") for t in toks):
            continue
        low = [t.lower().removesuffix("'s").removesuffix("\u2019s") for t in toks]
        kind = "name"
        if any(t.lower().removesuffix("'s") in ORG_CUES for t in toks):
            kind = "org"
        elif role or re.match(r"\s*(said|says|told|stated|added|noted|wrote|explained|argued)\b",
                              sentence[m.end():m.end() + 12]):
            kind = "person"
        if role and role_start >= 0:
            # include title words ("US Treasury Secretary") in the replaced span
            tw = role["title"].split()
            pre_words = sentence[:role_start].split()
            k = 0
            while k < len(pre_words) and k < len(tw) - 1 and pre_words[-1 - k].lower() == tw[len(tw) - 2 - k].lower():
                k += 1
            if k:
                role_start = len(" ".join(sentence[:role_start].split(" ")[:-k - 1])) + (1 if k < len(pre_words) else 0)
        out.append(Mention(" ".join(toks), start, m.end(), role, kind, low, role_start))
        used.append((m.start(), m.end()))
    # role-only lowercase mentions: "the commerce secretary", "the Treasury chief"
    for m in _ROLE_WORD.finditer(sentence):
        if any(a <= m.start(1) < b for a, b in used):
            continue
        after = sentence[m.end():m.end() + 3]
        if after[:1] == " " and after[1:2].isupper():
            continue  # followed by a name; handled above
        pre = _last_words(sentence[max(0, m.start() - 60):m.start()])
        r = role_of(pre, m.group(1))
        if r and r["domain"]:
            start = m.start() - len(" ".join(_trim_prefix(pre))) - (1 if _trim_prefix(pre) else 0)
            out.append(Mention(sentence[start:m.end()].strip(), start, m.end(), r, "role", []))
    return out


class Registry:
    """The seed's entities; resolves follow-up mentions to them."""

    def __init__(self) -> None:
        self.entities: list[Entity] = []
        self._cache: dict[tuple, str | None] = {}
        self._tokset: set[str] | None = None

    def _all_tokens(self) -> set[str]:
        if self._tokset is None:
            self._tokset = set().union(*(e.tokens for e in self.entities)) if self.entities else set()
        return self._tokset

    def _new(self) -> Entity:
        e = Entity(eid=f"E{len(self.entities) + 1:02d}")
        self.entities.append(e)
        return e

    def add_mention(self, mn: Mention) -> Entity | None:
        if mn.kind == "role":
            if mn.role is None:
                return None
            # bind to a person with a compatible role, or keep as a role-only entity
            for e in self.entities:
                if e.role and roles_compatible(e.role, mn.role) and domains_agree(e.role, mn.role):
                    return e
            e = self._new()
            e.role = mn.role
            e.kind = "person"
            e.names.add(mn.text)
            return e
        eid = self.resolve(mn, strict=True)
        if eid:
            e = next(x for x in self.entities if x.eid == eid)
        else:
            # a role-only entity waiting for its name?
            e = None
            if mn.role:
                for x in self.entities:
                    if x.role and not x.tokens and roles_compatible(x.role, mn.role) and \
                            set(x.role["domain"]) & set(mn.role["domain"]):
                        e = x
                        break
            if e is None:
                e = self._new()
        e.names.add(mn.text)
        e.tokens.update(t for t in mn.tokens if len(t) > 1)
        if mn.kind == "person" or (mn.role and len(mn.tokens) <= 3):
            e.kind = "person"
            if mn.tokens:
                e.surname = e.surname or mn.tokens[-1]
        elif mn.kind == "org" and e.kind != "person":
            e.kind = "org"
        if mn.role and not e.role:
            e.role = mn.role
        self._cache.clear()
        self._tokset = None
        return e

    def add_alias(self, canonical: str, spellings) -> None:
        toks = [t.lower() for t in canonical.split()]
        target = None
        for e in self.entities:
            if set(toks) & e.tokens:
                target = e
                break
        if target is None:
            target = self._new()
        for s in (canonical, *spellings):
            target.names.add(s)
            target.tokens.update(t.lower() for t in s.split() if len(t) > 1)
        self._cache.clear()
        self._tokset = None

    def resolve(self, mn: Mention, strict: bool = False) -> str | None:
        key = (mn.text, mn.role["title"].lower() if mn.role else None, mn.kind, strict)
        if key in self._cache:
            return self._cache[key]
        res = self._resolve(mn, strict)
        self._cache[key] = res
        return res

    def _resolve(self, mn: Mention, strict: bool) -> str | None:
        if mn.kind == "role":
            best = None
            for e in self.entities:
                if e.role and roles_compatible(e.role, mn.role) and domains_agree(e.role, mn.role):
                    if best is None:
                        best = e.eid
                    else:
                        return None  # ambiguous
            return best
        toks = [t for t in mn.tokens if len(t) > 1]
        if not toks:
            return None
        if not any(t in self._all_tokens() or len(t) >= 4 for t in toks):
            return None
        best, best_score = None, 0.0
        for e in self.entities:
            if not e.tokens:
                continue
            compat = roles_compatible(e.role, mn.role)
            if compat is False and not (len(set(toks) & e.tokens) >= 2 and e.kind == "person"):
                continue  # a different role, unless the full name agrees (outlets title people differently)
            exact = set(toks) & e.tokens
            if exact and (e.kind != "person" or mn.kind == "org"):
                # non-person names: the distinctive tokens must agree with one spelling
                md = _distinctive(toks)
                def agrees(n: str) -> bool:
                    nd = _distinctive(t.removesuffix("\u2019s") for t in n.lower().split())
                    if nd == md:
                        return True
                    # a short form of a longer name: "Marren" for "Marren Construction", "Ferrow" for
                    # "Daniel Ferrow" (the name's first or last distinctive word)
                    ws = [w for w in (t.removesuffix("'s").removesuffix("\u2019s") for t in n.lower().split())
                          if w in nd]
                    if len(md) == 1 and len(ws) >= 2 and next(iter(md)) in (ws[0], ws[-1]):
                        return True
                    mw = [w for w in (t.removesuffix("'s").removesuffix("\u2019s") for t in toks) if w in md]
                    return len(nd) == 1 and len(mw) >= 2 and next(iter(nd)) in (mw[0], mw[-1])
                exact = exact if any(agrees(n) for n in e.names) else set()
            if exact:
                # shared distinctive token
                score = 1.0 + 0.1 * len(exact) + (0.2 if compat else 0)
                if e.kind == "person" and mn.kind == "org":
                    score -= 0.5
            else:
                # fuzzy on the surname-like tokens
                sim = 0.0
                if e.kind != "person" and mn.kind != "person":
                    md = " ".join(sorted(_distinctive(toks)))
                    for n in e.names:
                        nd = " ".join(sorted(_distinctive(n.lower().split())))
                        if md and nd and md != nd and len(md) >= 5:
                            sim = max(sim, name_similarity(md, nd))
                    if sim < 0.9:
                        continue
                for t in (_distinctive(toks) if e.kind == "person" or mn.kind == "person" else ()):
                    if len(t) < 4:
                        continue
                    for et in _distinctive(e.tokens):
                        if len(et) < 4:
                            continue
                        sim = max(sim, name_similarity(t, et))
                if compat:  # role agrees: accept looser transliterations
                    ok = sim >= 0.66 and toks[-1][:1] == e.surname[:1] or sim >= 0.74
                else:
                    ok = sim >= (0.9 if strict else 0.86)
                if not ok:
                    continue
                score = sim
            if score > best_score:
                best, best_score = e.eid, score
        return best


_DIGIT_LETTERS = str.maketrans("0123456789", "abcdefghij")


def entity_token(eid: str) -> str:
    """A word-like token standing for an entity id ("E03" -> "zzeadx"); letters only so tokenizers keep it."""
    return "zze" + eid[1:].translate(_DIGIT_LETTERS) + "x"


def canonical_sentence(registry: Registry, sentence: str, local: dict | None = None
                       ) -> tuple[str, set[str], list[dict]]:
    """Replace resolved mentions by entity ids; return (text, entity ids, unresolved mentions).
    ``local`` (name token -> entity id) carries spellings learnt earlier in the same article, so that
    "Jamieson Greer" resolved through his title makes a later bare "Greer" resolve too."""
    mentions = find_mentions(sentence)
    ids: set[str] = set()
    others: list[dict] = []
    parts: list[str] = []
    pos = 0
    for mn in sorted(mentions, key=lambda x: x.start):
        if mn.start < pos:
            continue
        eid = registry.resolve(mn)
        if local is not None and mn.tokens:
            if eid:
                for t in mn.tokens:
                    if len(t) > 2:
                        local.setdefault(t, eid)
            else:
                eid = next((local[t] for t in mn.tokens if t in local), None)
        if eid:
            ids.add(eid)
            st = mn.role_start if 0 <= mn.role_start < mn.start and mn.role_start >= pos else mn.start
            parts.append(sentence[pos:st])
            parts.append(f" {entity_token(eid)} ")
            pos = mn.end
        else:
            others.append({"text": mn.text, "type": mn.kind, "role": mn.role["title"] if mn.role else None})
    parts.append(sentence[pos:])
    return "".join(parts), ids, others
