"""Shingle-based text-extraction metric (the article-extraction-benchmark one).

Text is split into ``\\w+`` tokens, tokens into overlapping 4-token shingles; per
page the shingles are matched as multisets (tp, fp, fn).  Precision is the mean
over pages with a non-empty prediction of tp/(tp+fp); recall is the mean over
all pages of tp/(tp+fn); F1 is the harmonic mean of those two means.  Accuracy
is the share of pages whose token sequence equals the ground truth exactly.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

_TOKEN = re.compile(r"\w+")
SHINGLE = 4


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(toks: list[str], n: int = SHINGLE) -> Counter:
    if not toks:
        return Counter()
    if len(toks) < n:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i:i + n]) for i in range(len(toks) - n + 1))


@dataclass(frozen=True)
class PageScore:
    tp: int
    fp: int
    fn: int
    exact: bool
    empty_prediction: bool

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if (self.tp + self.fp) else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if (self.tp + self.fn) else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if (p + r) else 0.0


def score_page(predicted: str, truth: str) -> PageScore:
    pt, tt = tokens(predicted), tokens(truth)
    ps, ts = shingles(pt), shingles(tt)
    tp = sum((ps & ts).values())
    fp = sum((ps - ts).values())
    fn = sum((ts - ps).values())
    return PageScore(tp=tp, fp=fp, fn=fn, exact=pt == tt, empty_prediction=not pt)


@dataclass(frozen=True)
class Summary:
    precision: float
    recall: float
    f1: float
    accuracy: float
    pages: int


def summarize(scores: Iterable[PageScore]) -> Summary:
    scores = list(scores)
    if not scores:
        return Summary(0.0, 0.0, 0.0, 0.0, 0)
    nonempty = [s for s in scores if not s.empty_prediction]
    precision = sum(s.precision for s in nonempty) / len(nonempty) if nonempty else 0.0
    recall = sum(s.recall for s in scores) / len(scores)
    f1 = 2 * precision * recall / (precision + recall) if (precision + recall) else 0.0
    accuracy = sum(s.exact for s in scores) / len(scores)
    return Summary(precision, recall, f1, accuracy, len(scores))
