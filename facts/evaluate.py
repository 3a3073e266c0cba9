"""Evaluate the fact engine against the labelled corpus in ``corpus/``.

Run::

    python -m facts.evaluate [--corpus corpus] [--story ID] [--json]

For every story the articles are replayed in publication order, the way the watcher sees them:

1. ``relevance_of_entry(seed, title, summary)`` (feed prefilter); only if it passes,
   ``relevance_of_article(seed, title, text)``. An article is *predicted relevant* only when both say so.
2. For predicted-relevant articles ``diff_article`` gives findings; every finding goes through one
   ``DevelopmentIndex`` per story; ``add`` returning False marks a duplicate development (not an alert).
3. At the end ``roll_up`` gives the latest status of every seed fact.

Scoring (see corpus/README.md for the labels):

* **Sentence alignment.** The article text is the gold sentences joined (a paragraph break every 2-3
  sentences). The engine's splitter may differ, so a finding is aligned to the gold sentence of the same
  article with the highest token Jaccard overlap with its evidence (exact match after whitespace
  normalisation first); overlap below 0.6 leaves it unaligned. Unaligned findings that match the title
  are ignored (titles are not labelled); other unaligned findings count as false positives. When several
  findings align to one gold sentence, the sentence's prediction is the most confident one (ties:
  updates > contradicts > new > confirms); any of them being a fresh alert makes the sentence alerted.
* **Fact linking.** A gold ``fact`` is a verbatim fragment of one seed sentence. An engine fact is the
  right one when its ``.sentence`` (or ``.text``) contains the fragment (whitespace/quote-normalised).
* **Relevance** P/R/F1 over articles (gold: ``about_story``).
* **Change detection** P/R/F1: gold = sentences labelled updates/contradicts; found only when predicted
  updates or contradicts AND linked to the right seed fact.
* **Per-class F1** for confirms/updates/contradicts/new and their macro average (a fact-bearing
  prediction with the wrong fact is wrong).
* **Alerts** = predicted updates/contradicts/new findings whose ``DevelopmentIndex.add`` returned True
  in a predicted-relevant article. Gold alerts are sentences labelled updates/contradicts/new in an
  on-topic article that are the *first* report of their development: sentences sharing a ``dev`` key
  report the same development, and only the earliest published one is a gold alert (later ones, e.g.
  syndicated copies, are repeats, so an alert on them is false). Alerts on boilerplate, background,
  confirms, irrelevant articles and repeats are false alerts.
* **Duplicate alerts**: number of gold developments (dev groups) alerted more than once (goal 0).
* **Latest-status accuracy** over ``expected_status.json``.

Baselines, computed in the same run:

* ``tfidf`` -- the classic TREC Novelty method. TF-IDF vectors (IDF from the seed sentences plus all
  sentences of the story's articles, lowercase word tokens, English stopwords removed). An article is
  relevant when cosine(article title+text, seed) >= RELEVANCE_THRESHOLD (0.1). A sentence whose max cosine
  to the seed sentences is < NOVELTY_THRESHOLD (0.3) is ``new``, otherwise ``confirms`` of the most similar
  seed sentence. A ``new`` sentence with cosine >= DUPLICATE_THRESHOLD (0.5) to an earlier alerted sentence
  of the story is a duplicate (not an alert). Status: a seed sentence with any confirms is ``confirmed``,
  else ``unconfirmed``. It never predicts updates/contradicts -- that is the point of the comparison.
* ``all-new`` -- the trivial trap: with gold relevance, every sentence of every on-topic article is
  ``new``. Its alert F1 is high although it detects nothing; compare alert F1 against it.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
import tomllib
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable

LABELS = ("confirms", "updates", "contradicts", "new", "background", "boilerplate")
CLASSES = ("confirms", "updates", "contradicts", "new")
FACT_LABELS = ("confirms", "updates", "contradicts")
ALERT_KINDS = ("updates", "contradicts", "new")
CHANGE_KINDS = ("updates", "contradicts")
ENGINE_API = ("extract_seed", "relevance_of_entry", "relevance_of_article", "diff_article", "roll_up",
              "DevelopmentIndex")
KIND_PRIORITY = {"updates": 3, "contradicts": 2, "new": 1, "confirms": 0}

ALIGN_THRESHOLD = 0.6
RELEVANCE_THRESHOLD = 0.1
NOVELTY_THRESHOLD = 0.3
DUPLICATE_THRESHOLD = 0.5
MIN_FACT_WORDS = 4


class CorpusError(ValueError):
    """The corpus breaks a rule of corpus/README.md."""


# --------------------------------------------------------------------------- text helpers

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " "})


def norm(text: str) -> str:
    """Whitespace- and quote-normalised text (case kept)."""
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


_TOKEN = re.compile(r"[a-z0-9]+(?:[.,'][a-z0-9]+)*")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(norm(text).lower())


def jaccard(a: str, b: str) -> float:
    sa, sb = set(tokens(a)), set(tokens(b))
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


_SPLIT = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    """A plain splitter for the seed text (lines, then sentence ends before a capital)."""
    out: list[str] = []
    for line in norm_lines(text):
        start = 0
        for m in _SPLIT.finditer(line):
            piece = line[start : m.start()] + line[m.start() : m.end()].rstrip()
            out.append(piece.strip())
            start = m.end()
        rest = line[start:].strip()
        if rest:
            out.append(rest)
    return [s for s in out if s]


def norm_lines(text: str) -> list[str]:
    return [norm(line) for line in text.translate(_QUOTES).splitlines() if line.strip()]


def join_article(sentences: Iterable[str]) -> str:
    """Article body from gold sentences: paragraphs of 3, 2, 3, 2, ... sentences."""
    paras, cur, size = [], [], 3
    for s in sentences:
        cur.append(s)
        if len(cur) == size:
            paras.append(" ".join(cur))
            cur, size = [], (2 if size == 3 else 3)
    if cur:
        paras.append(" ".join(cur))
    return "\n\n".join(paras)


# --------------------------------------------------------------------------- corpus


@dataclass(frozen=True)
class GoldSentence:
    text: str
    label: str
    fact: str | None
    dev: str | None = None


@dataclass(frozen=True)
class Article:
    path: str
    url: str
    site: str
    title: str
    summary: str
    published_at: datetime
    about_story: bool
    syndicated_of: str | None
    sentences: tuple[GoldSentence, ...]

    @property
    def text(self) -> str:
        return join_article(s.text for s in self.sentences)


@dataclass(frozen=True)
class Story:
    story_id: str
    path: str
    title: str
    published: datetime
    seed_text: str
    keywords: tuple[str, ...]
    exclude_keywords: tuple[str, ...]
    aliases: dict
    articles: tuple[Article, ...]  # sorted by published_at
    expected_status: tuple[tuple[str, str], ...]  # (fragment, state)
    holdout: bool = False

    @property
    def seed_sentences(self) -> list[str]:
        return split_sentences(self.seed_text)

    def seed_sentence_of(self, fragment: str) -> str:
        hits = [s for s in self.seed_sentences if norm(fragment) in s]
        if len(hits) != 1:
            raise CorpusError(
                f"{self.story_id}: fact fragment {fragment!r} occurs in {len(hits)} seed sentences (need exactly 1)"
            )
        return hits[0]


def _parse_dt(value: str, where: str) -> datetime:
    try:
        dt = datetime.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise CorpusError(f"{where}: bad ISO-8601 datetime {value!r}") from exc
    if dt.tzinfo is None:
        raise CorpusError(f"{where}: datetime {value!r} needs a UTC offset")
    return dt


def load_story(story_dir: Path, holdout: bool = False) -> Story:
    story_dir = Path(story_dir)
    sid = story_dir.name
    meta = tomllib.loads((story_dir / "story.toml").read_text(encoding="utf-8"))
    hints = meta.get("hints", {}) or {}
    seed_text = (story_dir / "seed.txt").read_text(encoding="utf-8")
    published = _parse_dt(str(meta.get("published")), f"{sid}/story.toml")
    arts = []
    for p in sorted((story_dir / "articles").glob("*.json")):
        where = f"{sid}/articles/{p.name}"
        try:
            d = json.loads(p.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise CorpusError(f"{where}: invalid JSON: {exc}") from exc
        for key in ("url", "title", "summary", "published_at", "about_story", "sentences"):
            if key not in d:
                raise CorpusError(f"{where}: missing key {key!r}")
        sents = []
        for i, s in enumerate(d["sentences"]):
            label, fact = s.get("label"), s.get("fact")
            if label not in LABELS:
                raise CorpusError(f"{where} sentence {i}: bad label {label!r}")
            if label in FACT_LABELS:
                if not fact or len(fact.split()) < MIN_FACT_WORDS:
                    raise CorpusError(f"{where} sentence {i}: {label} needs a seed fragment of >= 4 words")
            elif fact:
                raise CorpusError(f"{where} sentence {i}: {label} must have fact null")
            sents.append(GoldSentence(norm(s["text"]), label, norm(fact) if fact else None, s.get("dev")))
        arts.append(
            Article(
                path=where,
                url=d["url"],
                site=d.get("site", ""),
                title=d["title"],
                summary=d["summary"],
                published_at=_parse_dt(d["published_at"], where),
                about_story=bool(d["about_story"]),
                syndicated_of=d.get("syndicated_of"),
                sentences=tuple(sents),
            )
        )
    arts.sort(key=lambda a: (a.published_at, a.path))
    exp_path = story_dir / "expected_status.json"
    expected = []
    if exp_path.exists():
        for e in json.loads(exp_path.read_text(encoding="utf-8")):
            expected.append((norm(e["fact"]), e["state"]))
    story = Story(
        story_id=sid,
        path=str(story_dir),
        title=meta.get("title", sid),
        published=published,
        seed_text=seed_text,
        keywords=tuple(hints.get("keywords", ())),
        exclude_keywords=tuple(hints.get("exclude_keywords", ())),
        aliases={k: tuple(v) for k, v in (hints.get("aliases", {}) or {}).items()},
        articles=tuple(arts),
        expected_status=tuple(expected),
        holdout=holdout,
    )
    validate_story(story)
    return story


def validate_story(story: Story) -> None:
    """Raise CorpusError on anything that would make the scores meaningless."""
    sid = story.story_id
    urls = [a.url for a in story.articles]
    if len(set(urls)) != len(urls):
        raise CorpusError(f"{sid}: duplicate article urls")
    by_url = {a.url: a for a in story.articles}
    for a in story.articles:
        if a.published_at <= story.published:
            raise CorpusError(f"{a.path}: published_at is not after the seed")
        if not a.sentences:
            raise CorpusError(f"{a.path}: no sentences")
        for s in a.sentences:
            if s.fact:
                story.seed_sentence_of(s.fact)
            if not a.about_story and s.label != "background":
                raise CorpusError(f"{a.path}: off-topic articles must be all background")
        if a.syndicated_of:
            orig = by_url.get(a.syndicated_of)
            if orig is None:
                raise CorpusError(f"{a.path}: syndicated_of {a.syndicated_of!r} is not an article of the story")
            if orig.published_at > a.published_at:
                raise CorpusError(f"{a.path}: syndicated copy published before its original")
    dev_labels: dict[str, str] = {}
    seen_devs: set[str] = set()
    for a in story.articles:  # publication order
        for s in a.sentences:
            if s.dev:
                if dev_labels.setdefault(s.dev, s.label) != s.label:
                    raise CorpusError(f"{a.path}: dev {s.dev!r} mixes labels {dev_labels[s.dev]!r} and {s.label!r}")
            if a.syndicated_of and s.label in ALERT_KINDS and (not s.dev or s.dev not in seen_devs):
                raise CorpusError(f"{a.path}: syndicated copy sentence {s.text[:50]!r} needs the dev key of "
                                  "the earlier report it repeats")
        seen_devs.update(s.dev for s in a.sentences if s.dev)
    states = ("unconfirmed", "confirmed", "updated", "contradicted")
    for frag, state in story.expected_status:
        story.seed_sentence_of(frag)
        if state not in states:
            raise CorpusError(f"{sid}/expected_status.json: bad state {state!r}")


def read_holdout(corpus: Path) -> set[str]:
    p = Path(corpus) / "holdout.txt"
    if not p.exists():
        return set()
    return {ln.split("#")[0].strip() for ln in p.read_text().splitlines() if ln.split("#")[0].strip()}


def load_corpus(corpus: Path, only: str | None = None) -> list[Story]:
    corpus = Path(corpus)
    held = read_holdout(corpus)
    stories = []
    for d in sorted(corpus.iterdir()):
        if d.is_dir() and (d / "story.toml").exists() and (only is None or d.name == only):
            stories.append(load_story(d, holdout=d.name in held))
    if only and not stories:
        raise CorpusError(f"no story {only!r} in {corpus}")
    return stories


# --------------------------------------------------------------------------- metrics


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "PRF") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Metrics:
    system: str
    stories: list[str] = field(default_factory=list)
    relevance: PRF = field(default_factory=PRF)
    change: PRF = field(default_factory=PRF)
    per_class: dict = field(default_factory=lambda: {c: PRF() for c in CLASSES})
    alerts: PRF = field(default_factory=PRF)
    duplicate_alerts: int = 0
    unaligned: int = 0  # findings matching no gold sentence (nor the title): splitter mismatch or invented text
    status_correct: int = 0
    status_total: int = 0
    status_detail: list = field(default_factory=list)  # (story, fragment, expected, predicted)
    # (gold label, predicted kind) -> sentences; "-" = no finding, "irrelevant" = the article was dropped,
    # a "(fact)" suffix = the right kind linked to the wrong seed fact. Counts only: safe for held-out stories.
    confusion: Counter = field(default_factory=Counter)

    @property
    def macro_f1(self) -> float:
        return sum(self.per_class[c].f1 for c in CLASSES) / len(CLASSES)

    @property
    def status_accuracy(self) -> float:
        return self.status_correct / self.status_total if self.status_total else 0.0

    def add(self, other: "Metrics") -> None:
        self.stories.extend(other.stories)
        self.relevance.add(other.relevance)
        self.change.add(other.change)
        for c in CLASSES:
            self.per_class[c].add(other.per_class[c])
        self.alerts.add(other.alerts)
        self.duplicate_alerts += other.duplicate_alerts
        self.unaligned += other.unaligned
        self.confusion.update(other.confusion)
        self.status_correct += other.status_correct
        self.status_total += other.status_total
        self.status_detail.extend(other.status_detail)

    def to_dict(self) -> dict:
        return {
            "system": self.system,
            "stories": list(self.stories),
            "relevance": self.relevance.to_dict(),
            "change": self.change.to_dict(),
            "per_class": {c: self.per_class[c].to_dict() for c in CLASSES},
            "macro_f1": round(self.macro_f1, 4),
            "alerts": self.alerts.to_dict(),
            "duplicate_alerts": self.duplicate_alerts,
            "unaligned_findings": self.unaligned,
            "status_accuracy": round(self.status_accuracy, 4),
            "status_correct": self.status_correct,
            "status_total": self.status_total,
            "status_detail": [list(x) for x in self.status_detail],
        }


# --------------------------------------------------------------------------- systems


@dataclass(frozen=True)
class Pred:
    """One prediction on a follow-up sentence, system-neutral."""

    kind: str
    fact_key: object  # engine fact_id / baseline seed-sentence index / None
    evidence: str
    confidence: float = 1.0
    fresh: bool = True  # False when the system's dedupe marked it a repeat of an earlier development


class System:
    """What the scorer needs from a system. One instance per story (``start``)."""

    name = "system"

    def start(self, story: Story) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def relevant(self, article: Article) -> bool:  # pragma: no cover
        raise NotImplementedError

    def diff(self, article: Article) -> list[Pred]:  # pragma: no cover
        raise NotImplementedError

    def fact_ok(self, fact_key: object, fragment: str) -> bool:  # pragma: no cover
        raise NotImplementedError

    def status(self, fragment: str) -> str:  # pragma: no cover
        raise NotImplementedError


class EngineSystem(System):
    """The real engine (``facts``) behind the System interface."""

    name = "engine"

    def __init__(self, engine=None):
        if engine is None:
            import facts as engine  # noqa: PLC0415 - imported late so the baselines run without it
        self.e = engine
        missing = [n for n in ENGINE_API if not hasattr(engine, n)]
        if missing:
            raise ImportError(f"facts engine lacks {', '.join(missing)}")
        from facts import model  # noqa: PLC0415

        self.model = model

    def start(self, story: Story) -> None:
        m = self.model
        hints = m.StoryHints(keywords=story.keywords, exclude_keywords=story.exclude_keywords,
                             aliases=dict(story.aliases))
        self.story = story
        self.seed = self.e.extract_seed(story.seed_text, title=story.title, published_at=story.published, hints=hints)
        self.facts = {f.fact_id: f for f in self.seed.facts}
        try:  # as the pipeline does: the index may use the seed to group developments
            self.index = self.e.DevelopmentIndex(seed=self.seed)
        except TypeError:
            self.index = self.e.DevelopmentIndex()
        self.observations = []
        self._statuses = None

    def relevant(self, article: Article) -> bool:
        if not self.e.relevance_of_entry(self.seed, article.title, article.summary).relevant:
            return False
        return bool(self.e.relevance_of_article(self.seed, article.title, article.text).relevant)

    def diff(self, article: Article) -> list[Pred]:
        findings = self.e.diff_article(self.seed, title=article.title, text=article.text,
                                       published_at=article.published_at)
        preds = []
        if hasattr(self.index, "add_article"):  # the article's findings together (rewrites of earlier reports)
            flags = [fr for fr, _did in self.index.add_article(findings, article.url, article.published_at)]
        else:
            flags = [self.index.add(f, article.url, article.published_at) for f in findings]
        for f, fresh in zip(findings, flags):
            self.observations.append(self.model.Observation(
                kind=f.kind, fact_id=f.fact_id, evidence=f.evidence, article_url=article.url,
                published_at=article.published_at, detected_at=article.published_at))
            preds.append(Pred(f.kind, f.fact_id, f.evidence, float(f.confidence), bool(fresh)))
        return preds

    def _facts_for(self, fragment: str) -> list:
        frag = norm(fragment)
        hit = [f for f in self.seed.facts if frag in norm(f.text)]
        hit += [f for f in self.seed.facts if frag in norm(f.sentence) and f not in hit]
        return hit

    def fact_ok(self, fact_key, fragment: str) -> bool:
        return fact_key is not None and any(f.fact_id == fact_key for f in self._facts_for(fragment))

    def status(self, fragment: str) -> str:
        if self._statuses is None:
            self._statuses = {s.fact_id: s.state for s in self.e.roll_up(self.seed, self.observations)}
        facts = self._facts_for(fragment)
        if not facts:
            return "no-fact"
        return self._statuses.get(facts[0].fact_id, "missing")


STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers him his how i if in into is it its itself just me more most my no nor not now of off on once
    only or other our ours out over own said same says she should so some such than that the their theirs them
    then there these they this those through to too under until up very was we were what when where which while
    who whom why will with would you your""".split()
)


def content_tokens(text: str) -> list[str]:
    return [t for t in tokens(text) if t not in STOPWORDS]


class TfIdf:
    """Plain-Python TF-IDF (log-scaled tf, smoothed idf, L2-normalised sparse vectors)."""

    def __init__(self, documents: Iterable[str]):
        df: Counter = Counter()
        n = 0
        for d in documents:
            n += 1
            df.update(set(content_tokens(d)))
        self.n = n
        self.idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}
        self.default_idf = math.log(1 + n) + 1.0

    def vector(self, text: str) -> dict[str, float]:
        tf = Counter(content_tokens(text))
        v = {t: (1 + math.log(c)) * self.idf.get(t, self.default_idf) for t, c in tf.items()}
        length = math.sqrt(sum(x * x for x in v.values()))
        return {t: x / length for t, x in v.items()} if length else {}

    @staticmethod
    def cosine(a: dict[str, float], b: dict[str, float]) -> float:
        if len(a) > len(b):
            a, b = b, a
        return sum(x * b.get(t, 0.0) for t, x in a.items())


class TfIdfBaseline(System):
    name = "tfidf"

    def __init__(self, relevance_threshold=RELEVANCE_THRESHOLD, novelty_threshold=NOVELTY_THRESHOLD,
                 duplicate_threshold=DUPLICATE_THRESHOLD):
        self.rt, self.nt, self.dt = relevance_threshold, novelty_threshold, duplicate_threshold

    def start(self, story: Story) -> None:
        self.story = story
        self.seed_sents = story.seed_sentences
        docs = list(self.seed_sents) + [s.text for a in story.articles for s in a.sentences]
        self.tfidf = TfIdf(docs)
        self.seed_vecs = [self.tfidf.vector(s) for s in self.seed_sents]
        self.seed_vec = self.tfidf.vector(story.title + "\n" + story.seed_text)
        self.alerted: list[dict] = []
        self.confirmed: set[int] = set()

    def relevant(self, article: Article) -> bool:
        v = self.tfidf.vector(article.title + "\n" + article.text)
        return self.tfidf.cosine(v, self.seed_vec) >= self.rt

    def diff(self, article: Article) -> list[Pred]:
        preds = []
        for s in article.sentences:
            v = self.tfidf.vector(s.text)
            if not v:
                continue
            sims = [self.tfidf.cosine(v, sv) for sv in self.seed_vecs]
            best = max(range(len(sims)), key=sims.__getitem__) if sims else None
            if best is None or sims[best] < self.nt:
                fresh = all(self.tfidf.cosine(v, p) < self.dt for p in self.alerted)
                if fresh:
                    self.alerted.append(v)
                preds.append(Pred("new", None, s.text, 1.0 - (sims[best] if sims else 0.0), fresh))
            else:
                self.confirmed.add(best)
                preds.append(Pred("confirms", best, s.text, sims[best], True))
        return preds

    def _index_of(self, fragment: str) -> int | None:
        frag = norm(fragment)
        for i, s in enumerate(self.seed_sents):
            if frag in s:
                return i
        return None

    def fact_ok(self, fact_key, fragment: str) -> bool:
        return fact_key is not None and fact_key == self._index_of(fragment)

    def status(self, fragment: str) -> str:
        return "confirmed" if self._index_of(fragment) in self.confirmed else "unconfirmed"


class AllNewBaseline(System):
    """The trap: gold relevance, every sentence ``new``, no dedupe."""

    name = "all-new"

    def start(self, story: Story) -> None:
        self.story = story

    def relevant(self, article: Article) -> bool:
        return article.about_story

    def diff(self, article: Article) -> list[Pred]:
        return [Pred("new", None, s.text) for s in article.sentences]

    def fact_ok(self, fact_key, fragment: str) -> bool:
        return False

    def status(self, fragment: str) -> str:
        return "unconfirmed"


# --------------------------------------------------------------------------- scoring


def align(preds: list[Pred], gold: tuple[GoldSentence, ...], title: str = "") -> tuple[dict[int, list[Pred]], list[Pred]]:
    """Map predictions to gold sentence indices; returns (by gold index, unaligned non-title preds)."""
    exact = defaultdict(list)
    for i, g in enumerate(gold):
        exact[norm(g.text)].append(i)
    by_gold: dict[int, list[Pred]] = defaultdict(list)
    unaligned = []
    for p in preds:
        ev = norm(p.evidence)
        if ev in exact:
            by_gold[exact[ev][0]].append(p)
            continue
        best_i, best = None, 0.0
        for i, g in enumerate(gold):
            j = jaccard(ev, g.text)
            if j > best:
                best_i, best = i, j
        if best_i is not None and best >= ALIGN_THRESHOLD:
            by_gold[best_i].append(p)
        elif title and jaccard(ev, title) >= ALIGN_THRESHOLD:
            continue  # titles are not labelled
        else:
            unaligned.append(p)
    return by_gold, unaligned


def _main_pred(preds: list[Pred]) -> Pred | None:
    if not preds:
        return None
    return max(preds, key=lambda p: (p.confidence, KIND_PRIORITY.get(p.kind, -1)))


def gold_alert_flags(story: Story) -> dict[tuple[int, int], str | None]:
    """(article index, sentence index) -> dev group key if it is a gold alert (first of its group)."""
    seen: set[str] = set()
    out: dict[tuple[int, int], str | None] = {}
    for ai, a in enumerate(story.articles):  # publication order
        for si, s in enumerate(a.sentences):
            key = f"dev:{s.dev}" if s.dev else f"s:{ai}:{si}"
            if a.about_story and s.label in ALERT_KINDS and key not in seen:
                out[(ai, si)] = key
            else:
                out[(ai, si)] = None
            if s.dev and a.about_story:
                seen.add(key)
    return out


def dev_key(story: Story, ai: int, si: int) -> str:
    s = story.articles[ai].sentences[si]
    return f"dev:{s.dev}" if s.dev else f"s:{ai}:{si}"


def evaluate_story(story: Story, system: System, trace: list | None = None) -> Metrics:
    """Score one system on one story; with ``trace`` (a list), append one line per article/sentence."""
    m = Metrics(system=system.name, stories=[story.story_id])
    system.start(story)
    gold_alerts = gold_alert_flags(story)
    alerts_per_dev: Counter = Counter()
    for ai, a in enumerate(story.articles):
        rel = bool(system.relevant(a))
        if rel and a.about_story:
            m.relevance.tp += 1
        elif rel:
            m.relevance.fp += 1
        elif a.about_story:
            m.relevance.fn += 1
        preds = system.diff(a) if rel else []
        by_gold, unaligned = align(preds, a.sentences, a.title)
        m.unaligned += len(unaligned)
        if trace is not None:
            trace.append(f"{a.published_at.isoformat()} {a.path} gold={'on' if a.about_story else 'off'}-topic "
                         f"predicted={'relevant' if rel else 'irrelevant'}"
                         + (f" syndicated_of={a.syndicated_of}" if a.syndicated_of else ""))
            for p in unaligned:
                trace.append(f"    !! unaligned {p.kind} {p.fact_key} fresh={p.fresh}: {p.evidence[:90]}")
        for p in unaligned:
            if p.kind in CLASSES:
                m.per_class[p.kind].fp += 1
            if p.kind in CHANGE_KINDS:
                m.change.fp += 1
            if p.kind in ALERT_KINDS and p.fresh:
                m.alerts.fp += 1
        for si, g in enumerate(a.sentences):
            ps = by_gold.get(si, [])
            p = _main_pred(ps)
            glabel = g.label if a.about_story else "background"
            # per class
            pkind = p.kind if p is not None else None
            fact_right = p is not None and g.fact is not None and system.fact_ok(p.fact_key, g.fact)
            correct = pkind == glabel and (glabel not in FACT_LABELS or fact_right)
            m.confusion[(glabel, "irrelevant" if a.about_story and not rel else
                         (pkind or "-") + ("(fact)" if pkind == glabel and glabel in FACT_LABELS and not fact_right else ""))] += 1
            if glabel in CLASSES:
                if correct:
                    m.per_class[glabel].tp += 1
                else:
                    m.per_class[glabel].fn += 1
            if pkind in CLASSES and not correct:
                m.per_class[pkind].fp += 1
            # change detection
            gold_change = glabel in CHANGE_KINDS
            pred_change = pkind in CHANGE_KINDS
            if gold_change and pred_change and fact_right:
                m.change.tp += 1
            else:
                if gold_change:
                    m.change.fn += 1
                if pred_change:
                    m.change.fp += 1
            # alerts
            alerted = any(q.kind in ALERT_KINDS and q.fresh for q in ps)
            is_gold_alert = gold_alerts[(ai, si)] is not None
            if alerted and is_gold_alert:
                m.alerts.tp += 1
            elif alerted:
                m.alerts.fp += 1
            elif is_gold_alert:
                m.alerts.fn += 1
            if alerted and a.about_story and glabel in ALERT_KINDS:
                alerts_per_dev[dev_key(story, ai, si)] += 1
            if trace is not None:
                gfact = story.seed_sentences.index(story.seed_sentence_of(g.fact)) if g.fact else None
                gold_s = glabel + (f"[seed#{gfact}]" if gfact is not None else "") + ("*" if is_gold_alert else "")
                pred_s = "-" if p is None else p.kind + (f"[{p.fact_key}]" if p.fact_key is not None else "")
                pred_s += "*" if alerted else ""
                if alerted and a.about_story and glabel in ALERT_KINDS and alerts_per_dev[dev_key(story, ai, si)] > 1:
                    pred_s += " DUP"  # this development was already alerted
                ok = "ok" if (correct or (glabel not in CLASSES and pkind not in CLASSES)) else "XX"
                trace.append(f"    {ok} gold={gold_s:<22} pred={pred_s:<20} {g.text[:90]}")
    m.duplicate_alerts = sum(1 for n in alerts_per_dev.values() if n > 1)
    for frag, state in story.expected_status:
        got = system.status(frag)
        m.status_total += 1
        m.status_correct += int(got == state)
        m.status_detail.append((story.story_id, frag, state, got))
    return m


@dataclass
class Report:
    per_story: dict  # story_id -> {system: Metrics}
    groups: dict  # "all"/"dev"/"holdout" -> {system: Metrics}
    holdout: list
    engine_error: str | None = None

    def to_dict(self) -> dict:
        return {
            "engine_error": self.engine_error,
            "holdout": self.holdout,
            "thresholds": {"align_jaccard": ALIGN_THRESHOLD, "tfidf_relevance": RELEVANCE_THRESHOLD,
                           "tfidf_novelty": NOVELTY_THRESHOLD, "tfidf_duplicate": DUPLICATE_THRESHOLD},
            "per_story": {s: {k: v.to_dict() for k, v in d.items()} for s, d in self.per_story.items()},
            "groups": {g: {k: v.to_dict() for k, v in d.items()} for g, d in self.groups.items()},
        }


def evaluate(stories: list[Story], factories: dict[str, Callable[[], System]], engine_error: str | None = None) -> Report:
    per_story: dict = {}
    groups = {g: {name: Metrics(system=name) for name in factories} for g in ("all", "dev", "holdout")}
    for story in stories:
        per_story[story.story_id] = {}
        for name, make in factories.items():
            sm = evaluate_story(story, make())
            per_story[story.story_id][name] = sm
            groups["all"][name].add(sm)
            groups["holdout" if story.holdout else "dev"][name].add(sm)
    return Report(per_story, groups, [s.story_id for s in stories if s.holdout], engine_error)


def default_factories(engine_module=None) -> tuple[dict[str, Callable[[], System]], str | None]:
    facs: dict[str, Callable[[], System]] = {}
    err = None
    try:
        EngineSystem(engine_module)
        facs["engine"] = lambda: EngineSystem(engine_module)
    except Exception as exc:  # the engine may not be importable yet
        err = f"{type(exc).__name__}: {exc}"
    facs["tfidf"] = TfIdfBaseline
    facs["all-new"] = AllNewBaseline
    return facs, err


# --------------------------------------------------------------------------- output


def _prf(x: PRF) -> str:
    return f"{x.precision:.2f}/{x.recall:.2f}/{x.f1:.2f}"


def format_table(title: str, systems: dict[str, Metrics]) -> str:
    names = list(systems)
    rows = [("relevance P/R/F1", lambda m: _prf(m.relevance)),
            ("change P/R/F1", lambda m: _prf(m.change))]
    for c in CLASSES:
        rows.append((f"F1 {c}", lambda m, c=c: f"{m.per_class[c].f1:.2f}  ({m.per_class[c].tp}/{m.per_class[c].tp + m.per_class[c].fn})"))
    rows += [
        ("macro F1 (4 classes)", lambda m: f"{m.macro_f1:.2f}"),
        ("alert P/R/F1", lambda m: _prf(m.alerts)),
        ("alerts tp/fp/fn", lambda m: f"{m.alerts.tp}/{m.alerts.fp}/{m.alerts.fn}"),
        ("duplicate alerts", lambda m: str(m.duplicate_alerts)),
        ("unaligned findings", lambda m: str(m.unaligned)),
        ("latest-status acc", lambda m: f"{m.status_accuracy:.2f}  ({m.status_correct}/{m.status_total})"),
    ]
    w0 = max(len(r[0]) for r in rows)
    cells = [[f(systems[n]) for n in names] for _, f in rows]
    ws = [max(len(n), *(len(c[i]) for c in cells)) for i, n in enumerate(names)]
    lines = [title, "  " + "metric".ljust(w0) + "  " + "  ".join(n.ljust(w) for n, w in zip(names, ws))]
    lines.append("  " + "-" * (w0 + sum(ws) + 2 * len(ws)))
    for (label, _), c in zip(rows, cells):
        lines.append("  " + label.ljust(w0) + "  " + "  ".join(v.ljust(w) for v, w in zip(c, ws)))
    return "\n".join(lines)


def format_confusion(title: str, m: Metrics) -> str:
    """Gold label (rows) against the engine's kind (columns), in sentences."""
    cols = sorted({p for _, p in m.confusion})
    w = max([11] + [len(c) for c in cols])
    lines = [title, "  " + "gold \\ engine".ljust(12) + "".join(c.rjust(w + 1) for c in cols)]
    for g in LABELS:
        lines.append("  " + g.ljust(12) + "".join(str(m.confusion.get((g, c), 0)).rjust(w + 1) for c in cols))
    return "\n".join(lines)


def corpus_summary(stories: list[Story]) -> str:
    lines = ["corpus:"]
    for s in stories:
        on = sum(a.about_story for a in s.articles)
        labels = Counter(g.label for a in s.articles for g in a.sentences)
        lab = " ".join(f"{k}={labels.get(k, 0)}" for k in LABELS)
        lines.append(f"  {s.story_id:<16} {'holdout' if s.holdout else 'dev':<7} articles={len(s.articles)} "
                     f"(on-topic {on}, negatives {len(s.articles) - on}) sentences={sum(labels.values())} {lab}")
    return "\n".join(lines)


def format_report(report: Report, stories: list[Story]) -> str:
    out = [corpus_summary(stories), ""]
    if report.engine_error:
        out.append(f"WARNING: engine not available ({report.engine_error}); only baselines are scored.\n")
    for sid, systems in report.per_story.items():
        tag = "holdout" if sid in report.holdout else "dev"
        out.append(format_table(f"== {sid} ({tag})", systems))
        out.append("")
    for g in ("dev", "holdout", "all"):
        systems = report.groups[g]
        if any(m.stories for m in systems.values()):
            out.append(format_table(f"== {g.upper()} (micro over {', '.join(next(iter(systems.values())).stories)})", systems))
            out.append("")
    allm = report.groups["all"]
    if "all-new" in allm:
        out.append(
            f"NOTE: the trivial 'all-new' system (every on-topic sentence is new) already scores alert F1 "
            f"{allm['all-new'].alerts.f1:.2f} overall while detecting no change at all (change F1 0). "
            "Judge the engine on change P/R/F1, per-class F1 and duplicate alerts, not on alert F1 alone.")
    out.append(f"thresholds: alignment Jaccard >= {ALIGN_THRESHOLD}; tfidf relevance cos >= {RELEVANCE_THRESHOLD}, "
               f"novelty max-cos < {NOVELTY_THRESHOLD}, duplicate cos >= {DUPLICATE_THRESHOLD}")
    if "engine" in allm:
        held = set(report.holdout) if len(report.per_story) > 1 else set()
        wrong = [d for d in allm["engine"].status_detail if d[2] != d[3] and d[0] not in held]
        if wrong:
            out.append("engine latest-status misses, dev stories only (story | fact | expected | got):")
            for d in wrong:
                out.append(f"  {d[0]} | {d[1][:60]} | {d[2]} | {d[3]}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m facts.evaluate", description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default="corpus", help="corpus directory (default: corpus)")
    ap.add_argument("--story", default=None, help="evaluate one story only")
    ap.add_argument("--json", action="store_true", help="print the metrics as JSON")
    ap.add_argument("--confusion", action="store_true",
                    help="also print the engine's confusion matrix (counts) for dev and held-out stories")
    ap.add_argument("--trace", action="store_true",
                    help="with --story: print gold vs engine per sentence (* = alert, seed#N = seed sentence N)")
    args = ap.parse_args(argv)
    try:
        stories = load_corpus(Path(args.corpus), args.story)
    except CorpusError as exc:
        print(f"corpus error: {exc}", file=sys.stderr)
        return 2
    factories, err = default_factories()
    if args.trace:
        if not args.story or err:
            print("--trace needs --story and an importable engine", file=sys.stderr)
            return 2
        lines: list[str] = []
        evaluate_story(stories[0], factories["engine"](), lines)
        print("\n".join(lines))
        return 0
    report = evaluate(stories, factories, err)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(format_report(report, stories))
        if args.confusion and "engine" in report.groups["all"]:
            for g in ("dev", "holdout"):
                if report.groups[g]["engine"].stories:
                    print("\n" + format_confusion(f"== engine confusion, {g}", report.groups[g]["engine"]))
    if err:
        print(f"engine not importable: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
