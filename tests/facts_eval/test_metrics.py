"""Metric arithmetic on a hand-made corpus with a scripted fake engine."""
import json

import pytest

from facts import evaluate as ev
from tests.facts_eval.conftest import ARTICLES, SCRIPT, make_fake_engine, write_corpus


@pytest.fixture
def metrics(tiny_corpus):
    stories = ev.load_corpus(tiny_corpus)
    return ev.evaluate_story(stories[0], ev.EngineSystem(make_fake_engine()))


def test_relevance(metrics):
    # gold on-topic: 01, 02, 04; predicted: 01, 02, 03
    assert (metrics.relevance.tp, metrics.relevance.fp, metrics.relevance.fn) == (2, 1, 1)


def test_change_detection(metrics):
    # gold changes: 01/s0, 02/s0 (found, right fact), 04/s0 (article missed)
    assert (metrics.change.tp, metrics.change.fp, metrics.change.fn) == (2, 0, 1)


def test_per_class_and_macro(metrics):
    pc = metrics.per_class
    assert (pc["confirms"].tp, pc["confirms"].fp, pc["confirms"].fn) == (1, 0, 0)
    assert (pc["updates"].tp, pc["updates"].fp, pc["updates"].fn) == (2, 0, 1)
    assert (pc["new"].tp, pc["new"].fp, pc["new"].fn) == (2, 2, 0)  # fp: boilerplate, off-topic article
    assert pc["contradicts"].f1 == 0.0
    assert metrics.macro_f1 == pytest.approx((1.0 + 0.8 + 0.0 + 2 / 3) / 4)


def test_alerts_and_duplicates(metrics):
    # gold alerts: raise (01), cfo (01), april (04); the copies in 02 are repeats.
    # predicted alerts: raise 01 (tp), cfo 01 (tp), boilerplate (fp), cfo 02 not deduped (fp), off-topic (fp)
    assert (metrics.alerts.tp, metrics.alerts.fp, metrics.alerts.fn) == (2, 3, 1)
    assert metrics.duplicate_alerts == 1


def test_status(metrics):
    assert (metrics.status_correct, metrics.status_total) == (1, 2)
    assert ("acme-beta", "should close in March", "updated", "confirmed") in metrics.status_detail


def test_wrong_fact_is_wrong(tiny_corpus):
    script = dict(SCRIPT)
    script["Acme raised its offer for Beta to $12 a share."] = ("updates", 2, True)  # wrong seed fact
    stories = ev.load_corpus(tiny_corpus)
    m = ev.evaluate_story(stories[0], ev.EngineSystem(make_fake_engine(script)))
    assert (m.change.tp, m.change.fp, m.change.fn) == (1, 1, 2)
    assert (m.per_class["updates"].tp, m.per_class["updates"].fp) == (1, 1)
    assert m.alerts.tp == 2  # an alert is an alert, whatever fact it names


def test_alignment_threshold():
    gold = (ev.GoldSentence("The deal should still close in March, Acme said.", "confirms", "x"),)
    by_gold, un = ev.align([ev.Pred("confirms", None, "The deal should still close in March")], gold)
    assert 0 in by_gold and not un
    by_gold, un = ev.align([ev.Pred("new", None, "Totally different words here")], gold)
    assert not by_gold and len(un) == 1
    by_gold, un = ev.align([ev.Pred("new", None, "Acme raises Beta offer")], gold, title="Acme raises Beta offer")
    assert not by_gold and not un  # findings on the title are ignored


def test_unaligned_alert_counts_false(tiny_corpus):
    script = dict(SCRIPT)
    stories = ev.load_corpus(tiny_corpus)
    base = ev.evaluate_story(stories[0], ev.EngineSystem(make_fake_engine(script)))
    fake = make_fake_engine(script)
    orig = fake.diff_article

    def diff(seed, title, text, published_at=None, skip_sentences=()):
        out = orig(seed, title, text, published_at)
        if "finance chief." in text and out:
            out.append(ev_finding("Something the gold text never said at all"))
        return out

    from facts.model import Finding

    def ev_finding(t):
        script[t] = ("new", None, True)
        return Finding("new", None, t, 99, 0.5)

    fake.diff_article = diff
    m = ev.evaluate_story(stories[0], ev.EngineSystem(fake))
    assert m.alerts.fp == base.alerts.fp + 1
    assert m.per_class["new"].fp == base.per_class["new"].fp + 1


def test_group_aggregation_and_json(tiny_corpus):
    stories = ev.load_corpus(tiny_corpus)
    rep = ev.evaluate(stories, {"engine": lambda: ev.EngineSystem(make_fake_engine()),
                                "tfidf": ev.TfIdfBaseline, "all-new": ev.AllNewBaseline})
    assert rep.groups["all"]["engine"].alerts.tp == 2
    assert rep.groups["holdout"]["engine"].stories == []
    d = json.loads(json.dumps(rep.to_dict()))
    assert d["groups"]["dev"]["engine"]["duplicate_alerts"] == 1
    text = ev.format_report(rep, stories)
    assert "all-new" in text and "alert F1" in text


def test_all_new_trap(tiny_corpus):
    stories = ev.load_corpus(tiny_corpus)
    m = ev.evaluate_story(stories[0], ev.AllNewBaseline())
    assert m.alerts.recall == 1.0 and m.change.tp == 0


def test_main_json(tiny_corpus, monkeypatch, capsys):
    monkeypatch.setattr(ev, "default_factories", lambda: ({"engine": lambda: ev.EngineSystem(make_fake_engine()),
                                                          "tfidf": ev.TfIdfBaseline}, None))
    assert ev.main(["--corpus", str(tiny_corpus), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["per_story"]["acme-beta"]["engine"]["alerts"]["tp"] == 2
    assert ev.main(["--corpus", str(tiny_corpus)]) == 0
    assert "acme-beta" in capsys.readouterr().out


def test_bad_fragment_fails_loudly(tmp_path):
    arts = json.loads(json.dumps(ARTICLES))
    arts["01-raise.json"]["sentences"][1]["fact"] = "close in April next year"
    root = write_corpus(tmp_path / "c", arts)
    with pytest.raises(ev.CorpusError, match="exactly 1"):
        ev.load_corpus(root)
    assert ev.main(["--corpus", str(root)]) == 2


def test_syndicated_copy_needs_dev(tmp_path):
    arts = json.loads(json.dumps(ARTICLES))
    del arts["02-copy.json"]["sentences"][1]["dev"]
    with pytest.raises(ev.CorpusError, match="dev key"):
        ev.load_corpus(write_corpus(tmp_path / "c", arts))


def test_trace_lines(tiny_corpus):
    stories = ev.load_corpus(tiny_corpus)
    lines = []
    ev.evaluate_story(stories[0], ev.EngineSystem(make_fake_engine()), lines)
    assert any("gold=updates[seed#1]*" in ln and "pred=updates[F01]*" in ln for ln in lines)
    assert any("predicted=irrelevant" in ln for ln in lines)
