from __future__ import annotations

from benchmarks.extraction_metric import score_page, summarize, tokens


def test_tokens_and_exact_match():
    assert tokens("It's 3 o'clock!") == ["It", "s", "3", "o", "clock"]
    s = score_page("one two three four five", "one, two; three four five")
    assert s.exact and s.tp == 2 and s.fp == 0 and s.fn == 0


def test_multiset_counts_duplicates():
    # "a b c d a b c d" has 5 shingles, "a b c d" twice among them; the truth has it once
    s = score_page("a b c d a b c d", "a b c d")
    assert s.tp == 1 and s.fp == 4 and s.fn == 0 and s.precision == 0.2 and s.recall == 1.0
    s = score_page("a b c d", "a b c d x a b c d")
    assert s.tp == 1 and s.fn == 5


def test_summary_precision_skips_empty_predictions():
    pages = [score_page("", "a b c d e"), score_page("a b c d e", "a b c d e")]
    summ = summarize(pages)
    assert summ.precision == 1.0 and summ.recall == 0.5
    assert abs(summ.f1 - 2 / 3) < 1e-9 and summ.accuracy == 0.5
