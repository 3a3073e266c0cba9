"""Cross-source development grouping and the per-fact status roll-up."""
from __future__ import annotations

import hashlib
import re
from datetime import datetime, timezone
from typing import Iterable

from . import nlp
from .model import STATES, FactStatus, Finding, Observation
from .places import normalize_places

_STATE_OF = {"confirms": "confirmed", "updates": "updated", "contradicts": "contradicted"}
_KIND_RANK = {"contradicts": 3, "updates": 2, "confirms": 1, "new": 0}


_WORD_NUMS = {w: float(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_WORD_NUMS.update({"thirty": 30.0, "forty": 40.0, "fifty": 50.0, "sixty": 60.0, "seventy": 70.0,
                   "eighty": 80.0, "ninety": 90.0, "hundred": 100.0})
_WORD_NUM_RX = re.compile(r"\b(" + "|".join(_WORD_NUMS) + r")\b", re.I)
_OLD_CUE = re.compile(r"(?:instead of|rather than|not|from|down from|up from|than|originally|first)\s+(?:the\s+)?$", re.I)


def _values(evidence: str) -> tuple[frozenset, frozenset]:
    """The new values a sentence reports: numbers (unit-free, word numbers too, old values after 'from',
    'not', 'instead of' dropped) and dates/weekdays."""
    nums = {round(float(n["value"]), 6) for n in nlp.extract_numbers(evidence) if not n.get("old")}
    for m in _WORD_NUM_RX.finditer(evidence):
        if not _OLD_CUE.search(evidence[max(0, m.start() - 20):m.start()]):
            nums.add(_WORD_NUMS[m.group(1).lower()])
    nums = {v for v in nums if not 0 <= v <= 3}  # "two days", "one member": too common to identify news
    dates = set()
    try:
        found = nlp.extract_dates(evidence, None)
    except Exception:  # pragma: no cover - defensive: a parser problem must not stop grouping
        found = []
    for d in found:
        txt = d.get("text") or ""
        pos = evidence.find(txt)
        if pos >= 0 and _OLD_CUE.search(evidence[max(0, pos - 20):pos]):
            continue
        dates.add((d.get("date") or txt).lower())
    return frozenset(nums), frozenset(dates)


def _signature(evidence: str) -> tuple[frozenset, frozenset]:
    from .engine import _syn  # noqa: PLC0415 - shared synonym table

    text = normalize_places(nlp.strip_dateline(evidence))
    toks = frozenset(_syn(t) for t in nlp.content_tokens(text))
    nums, dates = _values(nlp.strip_dateline(evidence))
    return toks, frozenset(("n", v) for v in nums) | frozenset(("d", v) for v in dates)


def _change_keys(changes) -> frozenset:
    """Non-figure changes that identify a development of a fact: a status change, or a hedge/plan resolved
    one way ("asserted") or the other ("asserted (negated)")."""
    out = set()
    for c in changes or ():
        f = getattr(c, "field", None)
        if f == "status":
            out.add(("status", ""))
        elif f == "modality":
            out.add(("modality", "neg" if "negated" in (getattr(c, "new", "") or "") else "pos"))
    return frozenset(out)


def _value_changes(changes) -> frozenset:
    """Changed seed values with their new value: ("number", old, value in a common unit) or ("date", old).
    Two updates of one fact revising the same seed figure to (nearly) the same value, or moving the same
    seed date, report one development however differently they are worded."""
    from .engine import _nv  # noqa: PLC0415

    out = set()
    for c in changes or ():
        f = getattr(c, "field", None)
        if f == "number":
            ns = [n for n in nlp.extract_numbers(c.new or "") if not n.get("old")]
            if ns:
                out.add(("number", (c.old or "").split(" ")[0].lower(), round(_nv(ns[0]), 6)))
        elif f == "date":
            out.add(("date", c.old or ""))
    return frozenset(out)


def _same_value_change(a: frozenset, b: frozenset) -> bool:
    for x in a:
        for y in b:
            if x[:2] != y[:2]:
                continue
            if x[0] == "date":
                return True
            lo, hi = sorted((abs(x[2]), abs(y[2])))
            if hi > 0 and (hi - lo) <= 0.1 * hi:
                return True
    return False


def _sim(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return 0.5 * inter / min(len(a), len(b)) + 0.5 * inter / len(a | b)


class DevelopmentIndex:
    """Groups findings that report the same development (syndicated copies, several outlets).

    ``add(finding, url, published_at)`` returns True for a new development, False when it was already
    reported. ``last_id`` / ``development_id(finding)`` give a stable id (``D`` + 12 hex chars) of the
    development a finding belongs to, to store alongside it.

    Grouping rules: confirms/contradicts of one fact -> one development per fact; updates of a fact group
    by the new values they report (numbers) or by wording; ``new`` groups by wording (content-token
    overlap, numbers must not conflict). A finding of another kind or fact joins a development only when
    it is a close rewrite of it (syndicated copy classified differently).
    """

    def __init__(self, previous: Iterable = (), seed=None) -> None:  # seed: accepted from callers, not used
        self._devs: list[dict] = []
        self._by_key: dict = {}  # (kind, fact_id) -> [dev index]
        self._by_tok: dict = {}  # signature token / value -> [dev index]; candidates only, no O(n^2) scan
        self._by_src: dict = {}  # article of the first report -> [dev index]
        for item in previous:
            src = ""
            if isinstance(item, Finding):
                ev, kind, fid = item.evidence, item.kind, item.fact_id
            else:
                ev, kind, fid = tuple(item)[:3]
                src = tuple(item)[4] if len(tuple(item)) > 4 else ""
            self._match_or_create(ev, kind, fid, create=True, src=src or "")
        self.last_id: str | None = None

    def _find(self, ev: str, kind: str, fid: str | None, changes=()) -> dict | None:
        toks, nums = _signature(ev)
        best, best_s = None, 0.0
        alert = kind != "confirms"
        cand = set(self._by_key.get((kind, fid), ()))
        for t in toks | nums:
            cand.update(self._by_tok.get(t, ()))
        for d in (self._devs[i] for i in sorted(cand)):
            if (d["kind"] != "confirms") != alert:
                continue  # a confirmation never hides news, and news never hides a confirmation
            same = d["kind"] == kind and d["fact_id"] == fid
            if same and kind in ("confirms", "contradicts") and fid is not None:
                return d
            s = max(_sim(toks, t) for t in d["toks"])
            my_n = {v for v in nums if v[0] == "n"}
            shared_nums = shared_any = shared_date = shared_strong = False
            conflicts = 0
            for n in d["nums"]:
                their_n = {v for v in n if v[0] == "n"}
                if my_n and their_n and not my_n & their_n:
                    conflicts += 1  # different figures
                    continue
                shared_nums = shared_nums or bool(my_n & their_n)
                # a figure of 10 or more (not a year) is specific enough to name the development by itself
                shared_strong = shared_strong or any(abs(v[1]) >= 10 and not 1900 <= v[1] <= 2100
                                                     for v in my_n & their_n)
                shared_any = shared_any or bool(nums & n)
                # a calendar date (not a bare weekday) is as specific as a figure
                shared_date = shared_date or any(v[0] == "d" and any(ch.isdigit() for ch in v[1]) for v in nums & n)
            conflict = bool(my_n) and conflicts == len(d["nums"])
            if same:
                if kind in ("updates", "contradicts") and shared_any:
                    s = max(s, 0.8)  # the same new value(s) of the same fact
                if kind == "new" and ((shared_nums and s >= 0.15) or (shared_strong and s > 0)) and not conflict:
                    s = max(s, 0.6)  # the same figures reported again
                shared_ck = _change_keys(changes) & d["ck"]
                if kind == "updates" and not conflict and shared_ck and (("status", "") in shared_ck or s >= 0.2):
                    s = max(s, 0.7)  # the same status change or the same resolution of a hedge, reworded
                if kind in ("updates", "contradicts") and not conflict and \
                        _same_value_change(_value_changes(changes), d["vc"]):
                    s = max(s, 0.7)  # the same seed figure revised to about the same value, the same date moved
                if conflict:
                    s *= 0.6  # different new values: a further development
                thr = 0.45  # a reworded report of the same development
            else:
                if conflict:
                    continue
                if (shared_nums and s >= 0.15) or ((shared_date or shared_strong) and s > 0) or (
                        shared_strong and d["kind"] == kind):
                    s = max(s, 0.65)  # same figures/dates reported again
                thr = 0.6  # another kind or fact: only a close rewrite of the same report
            if s >= thr and s > best_s:
                best, best_s = d, s
        return best

    def _match_or_create(self, ev: str, kind: str, fid: str | None, create: bool, changes=(),
                         src: str = "") -> tuple[str, bool]:
        d = self._find(ev, kind, fid, changes)
        toks, nums = _signature(ev)
        if d is not None:
            d["ck"] |= _change_keys(changes)
            d["vc"] |= _value_changes(changes)
            d["toks"].append(toks)
            d["nums"].append(nums)
            self._index(d["pos"], toks, nums)
            return d["id"], False
        key = f"{kind}|{fid}|{' '.join(sorted(toks))}"
        did = "D" + hashlib.sha1(key.encode()).hexdigest()[:12]
        if create:
            pos = len(self._devs)
            self._devs.append({"id": did, "kind": kind, "fact_id": fid, "toks": [toks], "nums": [nums], "pos": pos,
                               "ck": set(_change_keys(changes)),
                               "vc": set(_value_changes(changes)), "src": src})
            self._by_key.setdefault((kind, fid), []).append(pos)
            if src:
                self._by_src.setdefault(src, []).append(pos)
            self._index(pos, toks, nums)
        return did, True

    def _index(self, pos: int, toks: frozenset, nums: frozenset) -> None:
        for t in toks | nums:
            lst = self._by_tok.setdefault(t, [])
            if not lst or lst[-1] != pos:
                lst.append(pos)

    def key_of(self, finding: Finding) -> str:
        """The development id this finding belongs to (or would start), without adding it."""
        d = self._find(finding.evidence, finding.kind, finding.fact_id, finding.changes)
        if d is not None:
            return d["id"]
        return self._match_or_create(finding.evidence, finding.kind, finding.fact_id, create=False,
                                     changes=finding.changes)[0]

    development_id = key_of

    def add(self, finding: Finding, article_url: str = "", published_at: datetime | None = None) -> bool:
        did, fresh = self._match_or_create(finding.evidence, finding.kind, finding.fact_id, create=True,
                                           changes=finding.changes, src=article_url or "")
        self.last_id = did
        return fresh

    def add_article(self, findings: list[Finding], article_url: str = "",
                    published_at: datetime | None = None) -> list[tuple[bool, str]]:  # published_at: as add()
        """Add one article's findings together: ``[(is_new_development, development_id), ...]``.

        An article whose alert findings mostly repeat developments first reported by one earlier article
        (at least two of them, and half of its alerts) is a rewrite of it (a syndicated or lightly reworded
        copy): its remaining alert findings that resemble any development of that article are repeats
        too, worded too differently to match one by one."""
        news = [f for f in findings if f.kind != "confirms"]
        per_src: dict = {}
        for f in news:
            d = self._find(f.evidence, f.kind, f.fact_id, f.changes)
            if d is not None and d.get("src") and d["src"] != article_url:
                per_src[d["src"]] = per_src.get(d["src"], 0) + 1
        # (the matches are found again below, as each finding is added: earlier findings of this article may
        # change what the later ones match)
        rewrite_of = None
        if per_src:
            src, n = max(per_src.items(), key=lambda kv: (kv[1], kv[0]))
            if n >= 2 and 2 * n >= len(news):
                rewrite_of = src
        out = []
        for f in findings:
            did, fresh = self._match_or_create(f.evidence, f.kind, f.fact_id, create=True, changes=f.changes,
                                               src=article_url or "")
            if fresh and rewrite_of is not None and f.kind != "confirms":
                toks, _nums = _signature(f.evidence)
                if any(d["kind"] != "confirms" and max(_sim(toks, t) for t in d["toks"]) >= 0.15
                       for d in (self._devs[i] for i in self._by_src.get(rewrite_of, ())) if d["id"] != did):
                    fresh = False  # a reworded repeat inside a rewrite of an earlier article
            self.last_id = did
            out.append((fresh, did))
        return out


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _ts(dt: datetime | None) -> float:
    if dt is None:
        return float("-inf")
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return (dt - _EPOCH).total_seconds()


def _restates(o: Observation, prev: Observation) -> bool:
    """The later finding builds on the earlier one: it repeats one of its figures or dates."""
    a = _values(o.evidence)
    b = _values(prev.evidence)
    return bool((a[0] & b[0]) or (a[1] & b[1]))


def roll_up(seed, observations: Iterable[Observation]) -> list[FactStatus]:
    """Latest state of every seed fact, by publication time (detected_at when unknown).

    A correction or retraction (evidence with correction cues) beats everything it corrects: later
    findings of the same fact that merely repeat the corrected claim (confirms) do not undo it. A later
    confirmation does not undo an update either unless it restates the seed's original figures.
    Ties: corrections first, then contradicts > updates > confirms, then detected_at, url, evidence.
    """
    by_fact: dict[str, list[Observation]] = {}
    for o in observations:
        if o.fact_id and o.kind in _STATE_OF:
            by_fact.setdefault(o.fact_id, []).append(o)
    out = []
    for f in seed.facts:
        obs = by_fact.get(f.fact_id, [])
        if not obs:
            out.append(FactStatus(f.fact_id, "unconfirmed", None, None, None))
            continue

        def key(o: Observation):
            corr = nlp.is_correction(o.evidence) and o.kind != "confirms"
            return (_ts(o.published_at if o.published_at else o.detected_at), int(corr), _KIND_RANK[o.kind],
                    _ts(o.detected_at), o.article_url or "", o.evidence)

        ordered = sorted(obs, key=key)
        current = None
        corrected_at = None
        for o in ordered:
            corr = nlp.is_correction(o.evidence) and o.kind != "confirms"
            if corr:
                current, corrected_at = o, o
                continue
            if corrected_at is not None and o.kind == "confirms":
                continue  # a stale repeat of what was corrected
            if current is not None and current.kind in ("updates", "contradicts") and o.kind == "confirms":
                # a later confirmation is usually a stale repeat of the seed (background, a copy written
                # from the seed): it does not undo a change
                continue
            if current is not None and current.kind == "contradicts" and o.kind == "updates" and not _restates(o, current):
                # the seed claim was never true; a later "update" of it is more often another development
                # linked to the same fact than a change of a claim already shown to be false
                continue
            current = o
        assert current is not None
        state = _STATE_OF[current.kind]
        assert state in STATES
        out.append(FactStatus(f.fact_id, state, current.evidence, current.article_url,
                              current.published_at or current.detected_at))
    return out
