"""Benchmark storywatch's article extraction against trafilatura and readability-lxml.

Usage (from the repo root):

    .venv/bin/python -m benchmarks.extraction [BENCHMARK_DIR] [--only NAME ...] [--worst N]

BENCHMARK_DIR defaults to ``../shared/article-extraction-benchmark`` relative to the
repo root.  trafilatura and readability-lxml are optional (``pip install -e .[bench]``);
missing ones are reported and skipped.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path
from typing import Callable

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.extraction_metric import PageScore, score_page, summarize  # noqa: E402

DEFAULT_DIR = REPO_ROOT / ".." / "shared" / "article-extraction-benchmark"


def load_pages(bench_dir: Path) -> list[tuple[str, str, bytes, str]]:
    """[(page_id, url, html_bytes, truth_text)] sorted by id."""
    truth = json.loads((bench_dir / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for pid in sorted(truth):
        path = bench_dir / "html" / f"{pid}.html.gz"
        if not path.exists():
            continue
        pages.append((pid, truth[pid].get("url") or "", gzip.decompress(path.read_bytes()),
                      truth[pid].get("articleBody") or ""))
    return pages


def storywatch_extractor() -> Callable[[bytes, str], str]:
    from sources.extract import extract_article

    return lambda html, url: extract_article(html, url=url).text


def trafilatura_extractor() -> Callable[[bytes, str], str]:
    import trafilatura  # optional

    return lambda html, url: trafilatura.extract(html, url=url, favor_precision=True) or ""


def readability_extractor() -> Callable[[bytes, str], str]:
    import lxml.html
    from readability import Document  # optional

    def run(html: bytes, url: str) -> str:
        summary = Document(html, url=url).summary()
        if not summary.strip():
            return ""
        return lxml.html.fromstring(summary).text_content()

    return run


EXTRACTORS: dict[str, Callable[[], Callable[[bytes, str], str]]] = {
    "storywatch": storywatch_extractor,
    "trafilatura": trafilatura_extractor,
    "readability": readability_extractor,
}


def run_extractor(fn: Callable[[bytes, str], str], pages) -> tuple[list[PageScore], list[str], float]:
    scores, outputs = [], []
    elapsed = 0.0
    for _pid, url, html, truth in pages:
        t0 = time.perf_counter()
        try:
            text = fn(html, url) or ""
        except Exception as exc:  # a crash counts as an empty prediction
            text = ""
            print(f"  ! {type(exc).__name__}: {exc}", file=sys.stderr)
        elapsed += time.perf_counter() - t0
        outputs.append(text)
        scores.append(score_page(text, truth))
    return scores, outputs, elapsed


def reason(score: PageScore) -> str:
    if score.empty_prediction:
        return "nothing extracted"
    p, r = score.precision, score.recall
    if p < 0.8 and r < 0.8:
        return "wrong block chosen (boilerplate kept and text missed)"
    if p < r:
        return f"low precision: boilerplate kept (~{score.fp} extra shingles)"
    return f"low recall: text missed (~{score.fn} missing shingles)"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bench_dir", nargs="?", default=str(DEFAULT_DIR))
    ap.add_argument("--only", action="append", choices=sorted(EXTRACTORS), help="run only these")
    ap.add_argument("--worst", type=int, default=10, help="show the N worst storywatch pages")
    ap.add_argument("--dump", metavar="DIR", help="write storywatch outputs to DIR/<id>.txt")
    args = ap.parse_args(argv)

    bench_dir = Path(args.bench_dir).resolve()
    if not (bench_dir / "ground-truth.json").exists():
        print(f"benchmark not found: {bench_dir}", file=sys.stderr)
        return 2
    pages = load_pages(bench_dir)
    print(f"{len(pages)} pages from {bench_dir}")
    print(f"{'extractor':<12} {'precision':>9} {'recall':>7} {'F1':>6} {'accuracy':>8} {'pages/s':>8}")

    sw_scores = sw_outputs = None
    for name in args.only or list(EXTRACTORS):
        try:
            fn = EXTRACTORS[name]()
        except ImportError as exc:
            print(f"{name:<12} skipped (not installed: {exc.name}; pip install -e '.[bench]')")
            continue
        scores, outputs, elapsed = run_extractor(fn, pages)
        s = summarize(scores)
        pps = len(pages) / elapsed if elapsed else float("inf")
        print(f"{name:<12} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f} {s.accuracy:8.3f} {pps:8.1f}")
        if name == "storywatch":
            sw_scores, sw_outputs = scores, outputs

    if sw_scores is not None:
        if args.dump:
            out = Path(args.dump)
            out.mkdir(parents=True, exist_ok=True)
            for (pid, *_), text in zip(pages, sw_outputs):
                (out / f"{pid}.txt").write_text(text, encoding="utf-8")
        if args.worst:
            print(f"\n{args.worst} worst pages for storywatch (by page F1):")
            ranked = sorted(zip(pages, sw_scores), key=lambda ps: ps[1].f1)[: args.worst]
            for (pid, url, _html, _truth), sc in ranked:
                print(f"  F1 {sc.f1:.2f} P {sc.precision:.2f} R {sc.recall:.2f}  {pid[:12]}  {url[:70]}")
                print(f"      {reason(sc)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
