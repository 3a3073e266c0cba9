"""The TF-IDF novelty baseline."""
import pytest

from facts import evaluate as ev


def test_tfidf_cosine():
    t = ev.TfIdf(["rare earth export licences", "tariffs on chips", "flood in the valley"])
    a = t.vector("rare earth export licences")
    assert ev.TfIdf.cosine(a, a) == pytest.approx(1.0)
    assert ev.TfIdf.cosine(a, t.vector("flood in the valley")) == 0.0
    assert 0 < ev.TfIdf.cosine(a, t.vector("export licences for chips")) < 1
    assert t.vector("the and of") == {}  # stopwords only


def test_baseline_predictions(tiny_corpus):
    story = ev.load_corpus(tiny_corpus)[0]
    b = ev.TfIdfBaseline()
    b.start(story)
    arts = {a.url: a for a in story.articles}
    preds = {p.evidence: p for p in b.diff(arts["https://a.example/1"])}
    confirm = preds["The deal should still close in March, Acme said."]
    assert confirm.kind == "confirms" and b.fact_ok(confirm.fact_key, "should close in March")
    assert preds["Acme also hired a new finance chief."].kind == "new"
    assert all(p.kind in ("confirms", "new") for p in preds.values())
    # the reworded copy's "new" sentence repeats an alerted one -> not fresh
    copy = {p.evidence: p for p in b.diff(arts["https://b.example/1"])}
    assert copy["Acme hired a new finance chief as well."].fresh is False


def test_baseline_never_predicts_changes_on_real_corpus():
    stories = ev.load_corpus(ev.Path(__file__).resolve().parents[2] / "corpus")
    for s in stories:
        m = ev.evaluate_story(s, ev.TfIdfBaseline())
        assert m.change.tp == m.change.fp == 0
        assert m.per_class["updates"].tp == m.per_class["contradicts"].tp == 0


def test_relevance_threshold(tiny_corpus):
    story = ev.load_corpus(tiny_corpus)[0]
    b = ev.TfIdfBaseline()
    b.start(story)
    arts = {a.url: a for a in story.articles}
    assert b.relevant(arts["https://a.example/1"])
    assert b.status("should close in March") == "unconfirmed"
    b.diff(arts["https://a.example/1"])
    assert b.status("should close in March") == "confirmed"
