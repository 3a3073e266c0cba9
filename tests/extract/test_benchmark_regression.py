"""Regression guard: the extractor's F1 on the shared article-extraction benchmark."""
from __future__ import annotations

import pytest

from benchmarks.extraction import load_pages
from benchmarks.extraction_metric import score_page, summarize
from sources.extract import extract_article

from .conftest import benchmark_dir

# F1 reached when this test was written, minus 0.005 of slack.
REACHED_F1 = 0.971
MIN_F1 = REACHED_F1 - 0.005


def test_benchmark_f1_does_not_regress():
    bench = benchmark_dir()
    if bench is None:
        pytest.skip("article-extraction benchmark not found: set STORYWATCH_EXTRACTION_BENCHMARK "
                    "or place it at ../shared/article-extraction-benchmark next to the repo")
    pages = load_pages(bench)
    assert len(pages) >= 100
    scores = [score_page(extract_article(html, url=url).text, truth) for _pid, url, html, truth in pages]
    summary = summarize(scores)
    assert summary.f1 >= MIN_F1, f"F1 {summary.f1:.4f} < {MIN_F1:.3f} (P {summary.precision:.3f} R {summary.recall:.3f})"
