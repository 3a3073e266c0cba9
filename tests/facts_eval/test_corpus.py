"""The shipped corpus obeys corpus/README.md."""
import json
import tomllib
from pathlib import Path

import pytest

from facts import evaluate as ev

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
STORIES = ev.load_corpus(CORPUS)  # validates: fragments in exactly one seed sentence, labels, dates, dev keys
IDS = [s.story_id for s in STORIES]


def test_at_least_four_stories_and_holdout():
    assert len(STORIES) >= 4
    assert {"london-talks", "river-flood"} <= set(IDS)
    held = ev.read_holdout(CORPUS)
    assert "river-flood" in held and len(held) >= 2 and held <= set(IDS)
    assert "london-talks" not in held


@pytest.mark.parametrize("story", STORIES, ids=IDS)
def test_story_shape(story):
    on = [a for a in story.articles if a.about_story]
    off = [a for a in story.articles if not a.about_story]
    assert len(on) >= 8, "at least 8 follow-ups"
    assert len(off) >= 3, "at least 3 hard negatives"
    assert any(a.syndicated_of for a in on), "at least one syndicated copy"
    assert 8 <= len(story.seed_sentences) <= 22
    assert story.expected_status
    for a in story.articles:
        assert a.published_at > story.published
        assert a.url.startswith("https://") and a.title and a.summary
        for s in a.sentences:
            assert s.label in ev.LABELS
            if s.label in ev.FACT_LABELS:
                assert len(s.fact.split()) >= 4
                assert story.seed_sentence_of(s.fact)
            else:
                assert s.fact is None
    for a in off:
        assert all(s.label == "background" for s in a.sentences)
    labels = {s.label for a in on for s in a.sentences}
    assert {"confirms", "updates", "new", "boilerplate"} <= labels


@pytest.mark.parametrize("story", STORIES, ids=IDS)
def test_raw_json_schema(story):
    for p in sorted((Path(story.path) / "articles").glob("*.json")):
        d = json.loads(p.read_text())
        assert set(d) == {"url", "site", "title", "summary", "published_at", "about_story", "syndicated_of",
                          "sentences"}
        for s in d["sentences"]:
            assert set(s) <= {"text", "label", "fact", "dev"} and {"text", "label", "fact"} <= set(s)


def test_london_has_no_alias_hints():
    meta = tomllib.loads((CORPUS / "london-talks" / "story.toml").read_text())
    assert not meta.get("hints", {}).get("aliases")
    seed = (CORPUS / "london-talks" / "seed.txt").read_text()
    assert "Basant" in seed and "Rutnick" in seed


def test_expected_status_covers_all_states():
    states = {st for s in STORIES for _, st in s.expected_status}
    assert states == {"confirmed", "updated", "contradicted", "unconfirmed"}


@pytest.mark.parametrize("story", STORIES, ids=IDS)
def test_expected_status_matches_gold_roll_up(story):
    """The latest gold label touching a seed sentence (by publication time) gives its expected state,
    and every seed sentence that gold labels touch has an expected state."""
    to_state = {"confirms": "confirmed", "updates": "updated", "contradicts": "contradicted"}
    latest = {}
    for a in story.articles:  # publication order
        if a.about_story:
            for g in a.sentences:
                if g.fact:
                    latest[story.seed_sentence_of(g.fact)] = to_state[g.label]
    expected = {story.seed_sentence_of(f): st for f, st in story.expected_status}
    assert len(expected) == len(story.expected_status), "one expected entry per seed sentence"
    for sent, st in expected.items():
        assert latest.get(sent, "unconfirmed") == st, sent
    assert set(latest) <= set(expected)
