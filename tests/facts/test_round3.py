"""Round 3: number slots (measure class, day frame, counted-noun synonyms), hedge resolution needing the
claim's event, development grouping with the seed."""
from datetime import datetime, timezone

import facts
from facts import engine, nlp
from facts.model import Finding

SEED = """Up to 14 workers may be trapped underground after part of a tunnel collapsed at the Ridley coal mine late on Sunday, the operator Oskar Mining said.
At least 31 people were killed in the blast, officials said.
The airline has already cancelled 180 flights scheduled for Friday, a spokesman said.
"""
PUB = datetime(2025, 7, 15, 8, 0, tzinfo=timezone.utc)


def _seed():
    return facts.extract_seed(SEED, title="Mine collapse", published_at=PUB)


def _num(text):
    return nlp.extract_numbers(text)[0]


def test_measure_class_of_counts():
    assert _num("Up to 14 workers may be trapped underground")["mclass"] == "trapped"
    assert _num("nine employees had been safely recovered from the mine")["mclass"] == "rescued"
    assert _num("the death toll rose to 58")["mclass"] == "dead"
    assert _num("58 deaths were recorded")["unit"] == "death"


def test_different_measures_never_compare():
    a, b = _num("14 workers may be trapped"), _num("nine employees were recovered")
    assert not engine._compatible(a, b)
    c, d = _num("31 people were killed"), _num("the toll rose to 58 deaths")
    assert engine._compatible(c, d) and engine._comparable(c, d)


def test_counted_noun_synonyms():
    assert nlp.unit_key("houses") == nlp.unit_key("homes") == nlp.unit_key("buildings")
    assert nlp.unit_key("departures") == nlp.unit_key("flights")


def test_day_frame_separates_counts():
    a = {"kind": "count", "unit": "flight", "value": 180.0, "text": "180", "day": "2025-07-18"}
    b = {"kind": "count", "unit": "flight", "value": 205.0, "text": "205", "day": "2025-07-19"}
    assert not engine._compatible(a, b)
    assert _num("205 of today's departures were scrapped")["dayref"] == "today"


def test_generic_outcome_cue_needs_the_claims_event():
    seed = _seed()
    s = engine.analyse(seed.registry, "Oskar Mining announced that nine employees had been safely recovered from the Ridley mine.", PUB)
    res = engine.classify(seed, s)
    assert res is None or res[0] != "updates" or "may be trapped" not in seed.fact_info[res[1]][0].text


def test_rising_tally_updates_same_fact():
    seed = _seed()
    out = []
    for t in ("The death toll rose to 58 on Monday, officials said.", "The number of people killed has climbed to 74."):
        f = facts.diff_article(seed, title="x", text=t, published_at=PUB)
        out += [x for x in f if x.kind == "updates"]
    assert len(out) == 2 and out[0].fact_id == out[1].fact_id


def test_development_index_accepts_seed_and_groups_repeats():
    seed = _seed()
    idx = facts.DevelopmentIndex([], seed=seed)
    f1 = Finding("new", None, "Nine of the eleven men trapped at the colliery were brought out alive on Thursday.", 0, 0.7)
    f2 = Finding("new", None, "The operator said nine miners had been brought out of the colliery alive.", 0, 0.7)
    assert idx.add(f1, "u1", PUB) is True
    assert idx.add(f2, "u2", PUB) is False


def test_illness_tally_with_number_words_updates():
    seed = facts.extract_seed(
        "Health officials have linked six cases of salmonella poisoning to the product, two of which needed hospital treatment.\n",
        title="Recall", published_at=PUB)
    f = facts.diff_article(seed, title="x", text="Fourteen cases have now been tied to the product, the regulator said.",
                           published_at=PUB)
    assert [x.kind for x in f] == ["updates"]
    assert _num("Illnesses linked to the recall stand at nineteen.")["mclass"] == "ill"


def test_relative_clause_negation_is_not_the_claims():
    assert not engine._main_clause("Larkspur blamed an outside supplier, which it did not name.").count("not")


def test_compound_number_words():
    n = _num("Seventy-four people were killed in the quake.")
    assert n["value"] == 74.0 and n["mclass"] == "dead"


def test_historic_figures_are_not_the_current_tally():
    seed = facts.extract_seed(
        "At least 31 people were killed when a strong earthquake struck the region late on Thursday, officials said.\n"
        "The region was last hit by a deadly quake in 1987, when 112 people died.\n",
        title="Quake", published_at=PUB)
    f = facts.diff_article(seed, title="x", text="At least 85 people have died in the earthquake, officials said on Saturday.",
                           published_at=PUB)
    assert f and f[0].kind == "updates" and "31" in seed.fact_info[f[0].fact_id][0].text


def test_halted_activity_resumed_is_an_update_and_grouped_once():
    seed = facts.extract_seed(
        "Production on the tahini line at the company's factory in Wexley has been halted while the equipment is cleaned.\n",
        title="Recall", published_at=PUB)
    a = facts.diff_article(seed, title="x", text="The company resumed production on the tahini line at its Wexley factory on Thursday.",
                           published_at=PUB)
    b = facts.diff_article(seed, title="y", text="The Wexley tahini line, shut for more than a fortnight, is back at full speed.",
                           published_at=PUB)
    assert a[0].kind == "updates" and any(c.field == "status" for c in a[0].changes)
    idx = facts.DevelopmentIndex()
    assert idx.add(a[0], "u1", PUB) is True
    if b and b[0].kind == "updates" and b[0].fact_id == a[0].fact_id:
        assert idx.add(b[0], "u2", PUB) is False


def test_alert_is_a_warning():
    assert engine._syn("alert") == engine._syn("warning")


def test_same_measure_figure_links_without_shared_words():
    seed = facts.extract_seed(
        "Health officials have linked six cases of salmonella poisoning to the product, two of which needed hospital treatment.\n",
        title="Recall", published_at=PUB)
    for t in ("The number of people who have fallen ill has climbed to fourteen, the office said.",):
        f = facts.diff_article(seed, title="x", text=t, published_at=PUB)
        assert f and f[0].kind == "updates", t
    s = engine.analyse(seed.registry, "Illnesses linked to the product stand at nineteen.", PUB)
    assert not engine._other_actor(seed, s)
