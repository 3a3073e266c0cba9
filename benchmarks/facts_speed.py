"""Throughput of the fact engine: sentences/second for diff_article and extract_seed.

    python -m benchmarks.facts_speed [--corpus corpus] [--seconds 2]

Uses the dev stories' seed and article texts in the corpus (held-out stories are skipped), repeating them until at least --seconds of work has been done.
"""
from __future__ import annotations

import argparse
import json
import time
import tomllib
from datetime import datetime
from pathlib import Path

import facts
from facts import nlp


def load(corpus: Path):
    stories = []
    held = set()
    if (corpus / "holdout.txt").exists():  # held-out stories are not read here at all
        held = {ln.split("#")[0].strip() for ln in (corpus / "holdout.txt").read_text().splitlines()}
    for d in sorted(corpus.iterdir()):
        if not (d / "story.toml").exists() or d.name in held:
            continue
        meta = tomllib.loads((d / "story.toml").read_text())
        pub = datetime.fromisoformat(str(meta["published"]))
        arts = []
        for p in sorted((d / "articles").glob("*.json")):
            a = json.loads(p.read_text())
            text = " ".join(s["text"] for s in a["sentences"])
            arts.append((a["title"], text, datetime.fromisoformat(a["published_at"])))
        stories.append(((d / "seed.txt").read_text(), meta.get("title"), pub, arts))
    return stories


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="corpus")
    ap.add_argument("--seconds", type=float, default=2.0)
    args = ap.parse_args(argv)
    stories = load(Path(args.corpus))
    if not stories:
        print("no stories found")
        return 1
    # extract_seed
    n_sent, t0, reps = 0, time.perf_counter(), 0
    while True:
        for seed_text, title, pub, _ in stories:
            facts.extract_seed(seed_text, title=title, published_at=pub)
            n_sent += len(nlp.split_sentences(seed_text))
        reps += 1
        el = time.perf_counter() - t0
        if el >= args.seconds:
            break
    print(f"extract_seed: {n_sent / el:,.0f} sentences/s ({n_sent} sentences, {reps} passes, {el:.2f} s)")
    seeds = [(facts.extract_seed(s, title=t, published_at=p), arts) for s, t, p, arts in stories]
    n_sent, n_find, t0, reps = 0, 0, time.perf_counter(), 0
    while True:
        for seed, arts in seeds:
            for title, text, pub in arts:
                n_find += len(facts.diff_article(seed, title=title, text=text, published_at=pub))
                n_sent += len(nlp.split_sentences(text))
        reps += 1
        el = time.perf_counter() - t0
        if el >= args.seconds:
            break
    print(f"diff_article: {n_sent / el:,.0f} sentences/s ({n_sent} sentences, {n_find} findings, {reps} passes, {el:.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
