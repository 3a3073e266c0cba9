"""A tiny hand-made corpus and a scripted fake engine for testing facts.evaluate on its own."""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from facts.evaluate import norm, split_sentences
from facts.model import FactStatus, Finding, Relevance, SeedFact

SEED = "Reporter: Jo Smith\nAcme will buy Beta for $10 a share. The deal should close in March.\n"

ARTICLES = {
    "01-raise.json": {
        "url": "https://a.example/1", "site": "a.example", "title": "Acme raises Beta offer",
        "summary": "Acme lifts its bid.", "published_at": "2025-01-02T10:00:00+00:00", "about_story": True,
        "syndicated_of": None, "sentences": [
            {"text": "Acme raised its offer for Beta to $12 a share.", "label": "updates",
             "fact": "Acme will buy Beta for", "dev": "raise"},
            {"text": "The deal should still close in March, Acme said.", "label": "confirms",
             "fact": "should close in March"},
            {"text": "Acme also hired a new finance chief.", "label": "new", "fact": None, "dev": "cfo"},
            {"text": "Photo: Acme headquarters.", "label": "boilerplate", "fact": None},
        ]},
    "02-copy.json": {
        "url": "https://b.example/1", "site": "b.example", "title": "Acme lifts bid for Beta",
        "summary": "Acme bid up.", "published_at": "2025-01-02T12:00:00+00:00", "about_story": True,
        "syndicated_of": "https://a.example/1", "sentences": [
            {"text": "Acme lifted its bid for Beta to $12 a share.", "label": "updates",
             "fact": "Acme will buy Beta for", "dev": "raise"},
            {"text": "Acme hired a new finance chief as well.", "label": "new", "fact": None, "dev": "cfo"},
        ]},
    "03-negative.json": {
        "url": "https://c.example/1", "site": "c.example", "title": "Acme rival Gamma buys Delta",
        "summary": "Another deal.", "published_at": "2025-01-03T10:00:00+00:00", "about_story": False,
        "syndicated_of": None, "sentences": [
            {"text": "Gamma agreed to buy Delta.", "label": "background", "fact": None},
            {"text": "The Gamma deal closes in May.", "label": "background", "fact": None},
        ]},
    "04-missed.json": {
        "url": "https://d.example/1", "site": "d.example", "title": "Beta deal slips",
        "summary": "Closing moves to April.", "published_at": "2025-01-04T10:00:00+00:00", "about_story": True,
        "syndicated_of": None, "sentences": [
            {"text": "The Beta deal will now close in April instead.", "label": "updates",
             "fact": "should close in March", "dev": "april"},
        ]},
}

EXPECTED = [
    {"fact": "Acme will buy Beta for", "state": "updated"},
    {"fact": "should close in March", "state": "updated"},
]


def write_corpus(root: Path, articles=None, seed=SEED, expected=None, holdout="") -> Path:
    story = root / "acme-beta"
    (story / "articles").mkdir(parents=True)
    (story / "seed.txt").write_text(seed)
    (story / "story.toml").write_text('title = "Acme to buy Beta"\npublished = "2025-01-01T09:00:00+00:00"\n')
    for name, art in (articles or ARTICLES).items():
        (story / "articles" / name).write_text(json.dumps(art))
    (story / "expected_status.json").write_text(json.dumps(expected if expected is not None else EXPECTED))
    (root / "holdout.txt").write_text(holdout)
    return root


@pytest.fixture
def tiny_corpus(tmp_path):
    return write_corpus(tmp_path / "corpus")


# Scripted findings: evidence text -> (kind, seed sentence index or None, fresh development?)
SCRIPT = {
    "Acme raised its offer for Beta to $12 a share.": ("updates", 1, True),
    # the fake splitter drops the attribution: alignment must still find the gold sentence
    "The deal should still close in March": ("confirms", 2, True),
    "Acme also hired a new finance chief.": ("new", None, True),
    "Photo: Acme headquarters.": ("new", None, True),  # false alert on boilerplate
    "Acme lifted its bid for Beta to $12 a share.": ("updates", 1, False),  # dedupe works
    "Acme hired a new finance chief as well.": ("new", None, True),  # dedupe fails -> duplicate alert
    "The Gamma deal closes in May.": ("new", None, True),  # irrelevant article
}


def make_fake_engine(script=SCRIPT):
    def extract_seed(text, title=None, published_at=None, hints=None):
        sents = split_sentences(text)
        facts = tuple(SeedFact(f"F{i:02d}", i, s, s) for i, s in enumerate(sents))
        return SimpleNamespace(facts=facts)

    def _rel(seed, title, text):
        ok = "Acme" in title
        return Relevance(ok, 1.0 if ok else 0.0, "fake")

    def diff_article(seed, title, text, published_at=None, skip_sentences=()):
        out = []
        for i, (ev, (kind, fi, _)) in enumerate(script.items()):
            if norm(ev) in norm(text):
                out.append(Finding(kind, None if fi is None else f"F{fi:02d}", ev, i, 0.9))
        return out

    class DevelopmentIndex:
        def add(self, finding, url, published_at):
            return script[finding.evidence][2]

    def roll_up(seed, observations):
        state = {"confirms": "confirmed", "updates": "updated", "contradicts": "contradicted"}
        latest = {}
        for o in sorted(observations, key=lambda o: o.published_at):
            if o.fact_id and o.kind in state:
                latest[o.fact_id] = (state[o.kind], o)
        return [FactStatus(f.fact_id, latest.get(f.fact_id, ("unconfirmed", None))[0], None, None, None)
                for f in seed.facts]

    return SimpleNamespace(extract_seed=extract_seed, relevance_of_entry=_rel, relevance_of_article=_rel,
                           diff_article=diff_article, DevelopmentIndex=DevelopmentIndex, roll_up=roll_up)
