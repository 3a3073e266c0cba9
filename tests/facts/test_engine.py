"""Small invented stories in different domains (a takeover, a flood, a summit)."""
from datetime import datetime, timedelta, timezone

import pytest

from facts import (DevelopmentIndex, Finding, Observation, StoryHints, diff_article, extract_seed,
                   relevance_of_article, relevance_of_entry, roll_up)

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)  # a Monday

TAKEOVER = """By Staff Reporter, Markets Desk
Northwind Logistics has agreed to buy port operator Calder Harbour Group for $38.50 a share in cash, valuing the company at about $4.2 billion.
Calder's board has unanimously recommended the offer to shareholders.
Calder shareholders will vote on the takeover at a special meeting scheduled for March 14.
Calder chief executive Maria Okafor is expected to step down once the deal is completed.
Copyright 2025 Harbor Business Wire. All rights reserved."""

FLOOD = """Heavy rain caused the Marrow river to burst its banks in the town of Elsby on Sunday, flooding hundreds of homes.
At least 12 people have died, the regional fire service said.
Emergency crews evacuated 3,000 residents from the lower town overnight.
The regional governor Anna Brell said the dam upstream may have to release water.
Source: https://news.example.com/floods"""


@pytest.fixture(scope="module")
def takeover():
    return extract_seed(TAKEOVER, title="Northwind to buy Calder Harbour for $4.2bn", published_at=T0)


@pytest.fixture(scope="module")
def flood():
    return extract_seed(FLOOD, title="Deadly floods hit Elsby", published_at=T0)


def _one(seed, sentence, when=None):
    fs = diff_article(seed, title="t", text=sentence, published_at=when or T0 + timedelta(days=1))
    assert len(fs) <= 1, fs
    return fs[0] if fs else None


def test_seed_facts_skip_boilerplate_and_have_details(takeover):
    assert [f.fact_id for f in takeover.facts][:2] == ["F01", "F02"]
    assert not any("Copyright" in f.sentence or "Staff Reporter" in f.sentence for f in takeover.facts)
    f1 = takeover.facts[0]
    assert any(n["kind"] == "money" and n["value"] == 4.2e9 for n in f1.details["numbers"])
    vote = next(f for f in takeover.facts if "vote" in f.text)
    assert vote.details["modality"] == "planned"
    assert vote.details["dates"][0]["date"] == "2025-03-14"
    ceo = next(f for f in takeover.facts if "Okafor" in f.text)
    assert ceo.details["modality"] == "expected"
    assert any(e.get("role") and "chief executive" in e["role"].lower() for e in ceo.details["entities"])


def test_fact_ids_stable(takeover):
    again = extract_seed(TAKEOVER, title="Northwind to buy Calder Harbour for $4.2bn", published_at=T0)
    assert [(f.fact_id, f.text) for f in again.facts] == [(f.fact_id, f.text) for f in takeover.facts]


def test_confirms_takeover(takeover):
    f = _one(takeover, "Calder's board unanimously recommended that shareholders accept the offer.")
    assert f.kind == "confirms" and f.fact_id == "F02"


def test_updates_number_takeover(takeover):
    f = _one(takeover, "Northwind raised its offer for Calder Harbour Group to $41 a share in cash, valuing the company at about $4.5 billion.")
    assert f.kind == "updates" and f.fact_id == "F01"
    assert any(c.field == "number" for c in f.changes)


def test_outcome_of_the_scheduled_vote_is_new_takeover(takeover):
    # corpus/README.md: a scheduled event whose outcome the seed did not predict gives `new` for the outcome
    f = _one(takeover, "Calder shareholders approved the takeover at the special meeting on March 14.")
    assert f.kind == "new" and f.fact_id is None


def test_contradicts_takeover(takeover):
    f = _one(takeover, "Calder's board denied that it had recommended the offer to shareholders.")
    assert f.kind == "contradicts" and f.fact_id == "F02"


def test_updates_toll_flood(flood):
    f = _one(flood, "At least 19 people have died in the Elsby floods, the fire service said.")
    assert f.kind == "updates" and f.fact_id == "F02"
    assert f.changes[0].old.startswith("12") and f.changes[0].new.startswith("19")


def test_confirms_flood(flood):
    f = _one(flood, "Twelve people are known to have died in the floods, the regional fire service said.")
    assert f.kind == "confirms" and f.fact_id == "F02"


def test_new_and_offtopic_flood(flood):
    f = _one(flood, "Governor Anna Brell said the army would send 200 soldiers to Elsby to help the fire service.")
    assert f is not None and f.kind == "new" and f.fact_id is None
    assert _one(flood, "The national football league announced its fixtures for next season.") is None


def test_dam_hedge_resolved_flood(flood):
    f = _one(flood, "The dam upstream of Elsby released water on Tuesday, governor Brell said.")
    assert f.kind == "updates" and f.fact_id == "F04"


def test_background_is_skipped(flood):
    assert _one(flood, "Elsby last flooded in 1998, when the Marrow river burst its banks after a storm.") is None


def test_skip_sentences(flood):
    text = "At least 19 people have died in Elsby, the fire service said. Crews evacuated 3,000 residents."
    all_ = diff_article(flood, title="t", text=text, published_at=T0)
    skipped = diff_article(flood, title="t", text=text, published_at=T0,
                           skip_sentences=["At least 19 people have died in Elsby, the fire service said."])
    assert len(skipped) == len(all_) - 1


def test_relevance_hard_negatives(flood):
    on = relevance_of_article(flood, "Elsby flood toll rises to 19",
                              "At least 19 people have died in the Elsby floods. The Marrow river is still rising. "
                              "Emergency crews evacuated more residents from the lower town.")
    off = relevance_of_article(flood, "Rain forecast for the weekend",
                               "Forecasters expect heavy rain across the country this weekend. "
                               "Farmers welcomed the rain after a dry spring.")
    assert on.relevant and not off.relevant
    assert relevance_of_entry(flood, "Elsby flood toll rises", "Marrow river floods kill 19").relevant
    assert not relevance_of_entry(flood, "Stock markets close higher", "Shares rose on Friday").relevant


def test_relevance_foreign_headline_and_hints():
    seed = extract_seed("US and Chinese negotiators held trade talks in London on rare earth export controls. "
                        "US Commerce Secretary Rutnick said the talks went well.", published_at=T0)
    assert not relevance_of_entry(seed, "US and India trade negotiators meet again",
                                  "Trade talks on export controls continue").relevant
    hinted = extract_seed("The talks went well.", published_at=T0,
                          hints=StoryHints(keywords=("rare earths",), exclude_keywords=("India",)))
    assert relevance_of_entry(hinted, "Rare earths in focus", "").relevant
    assert not relevance_of_entry(hinted, "India and rare earths", "").relevant


def test_aliases_hint():
    seed = extract_seed("Acme Corp agreed to buy Widget Ltd for $2 billion.", published_at=T0,
                        hints=StoryHints(aliases={"Acme Corp": ("ACM",)}))
    assert any("ACM" in e.names for e in seed.registry.entities)


def test_development_index_dedupes_syndicated_rewrite():
    idx = DevelopmentIndex()
    a = Finding("new", None, "Shares of Synopsys and Cadence rose in trading after the announcement.", 3, 0.6)
    b = Finding("new", None, "Synopsys and Cadence shares climbed after the news.", 1, 0.6)
    c = Finding("new", None, "Ethane cargoes were allowed to load for China last week.", 2, 0.6)
    assert idx.add(a, "https://a.example/1", T0) is True
    did = idx.last_id
    assert idx.add(b, "https://b.example/2", T0 + timedelta(hours=2)) is False
    assert idx.last_id == did and idx.key_of(b) == did
    assert idx.add(c, "https://b.example/2", T0) is True
    u1 = Finding("updates", "F02", "At least 19 people have died, the fire service said.", 0, 0.8)
    u2 = Finding("updates", "F02", "The fire service said 19 people had died in the floods.", 0, 0.8)
    u3 = Finding("updates", "F02", "The death toll rose to 23 on Wednesday.", 0, 0.8)
    assert idx.add(u1, "u1", T0) and not idx.add(u2, "u2", T0) and idx.add(u3, "u3", T0)
    # restored from storage
    idx2 = DevelopmentIndex([(a.evidence, a.kind, a.fact_id)])
    assert idx2.add(b, "x", T0) is False


def _obs(kind, evidence, hours, fid="F02", detected=0):
    return Observation(kind, fid, evidence, f"https://ex.example/{kind}/{hours}",
                       T0 + timedelta(hours=hours), T0 + timedelta(hours=detected))


def test_roll_up_publication_order_and_unconfirmed(flood):
    obs = [
        _obs("updates", "The death toll rose to 23.", 30, detected=1),   # fetched first, published last
        _obs("updates", "The death toll rose to 19.", 10, detected=5),
        _obs("confirms", "12 people died.", 2, detected=9),
    ]
    st = {s.fact_id: s for s in roll_up(flood, obs)}
    assert st["F02"].state == "updated" and "23" in st["F02"].evidence
    assert st["F01"].state == "unconfirmed" and st["F01"].evidence is None
    assert len(st) == len(flood.facts)


def test_roll_up_retraction_wins(flood):
    obs = [
        _obs("updates", "The death toll rose to 19.", 10),
        _obs("contradicts", "The fire service retracted its earlier figure; the toll is not 19.", 12),
        _obs("confirms", "At least 19 people died, a local paper repeated.", 14),
    ]
    st = {s.fact_id: s for s in roll_up(flood, obs)}
    assert st["F02"].state == "contradicted"


def test_roll_up_tie_deterministic(flood):
    a = _obs("confirms", "12 died.", 5)
    b = _obs("updates", "19 died.", 5)
    assert roll_up(flood, [a, b]) == roll_up(flood, [b, a])


def test_rival_figure_is_new_not_update(takeover):
    f = _one(takeover, "Rivalport is offering $42 a share in cash, which values Calder at about $4.6 billion.")
    assert f is not None and f.kind == "new"


def test_timeless_description_is_not_new(flood):
    assert _one(flood, "The Marrow river is the longest river in the region and flows through Elsby.") is None
