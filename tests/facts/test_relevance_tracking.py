"""Relevance (anchors, other actors, weak anchors) and development tracking / roll-up, on small invented
examples from several domains, plus the offline demo's London pages."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from facts import (DevelopmentIndex, Finding, Observation, StoryHints, extract_seed, relevance_of_article,
                   relevance_of_entry, roll_up)

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)

COURT_SEED = """Vessholm Courts Desk - Brevik
A district court in Brevik on Monday found Erik Talvane, the former chief executive of Holtmark Shipping, guilty of paying bribes to two harbour inspectors.
Judge Sara Lund sentenced Talvane to three years in prison.
Holtmark Shipping was ordered to pay a fine of 8 million euros.
Talvane's lawyer, Petra Vogt, said her client would appeal.
Holtmark shares fell 4% in Brevik trading after the verdict.
"""

STRIKE_SEED = """Kestrel Wire - Dunmore
Cabin crew at Corvid Air will strike for 48 hours from Friday in a dispute over pay, the Flight Staff Union said.
Up to 300 flights may be cancelled during the strike, Corvid Air said.
The union rejected a pay offer of 3% over two years.
Union leader Mara Quinn said members wanted a rise of at least 8%.
Corvid Air shares fell 2% in morning trading.
"""

TALKS_SEED = """Japan and Brazil opened two days of trade talks in Lisbon on Monday, focused on tariffs on soybeans and cars.
The two sides hope to agree a framework on soybean quotas and car tariffs by Tuesday evening.
Officials said export licences for soybeans were the main sticking point in the talks.
"""


def _seed(text, title, **hints):
    return extract_seed(text, title=title, published_at=T0, hints=StoryHints(**hints) if hints else None)


def _join(*sents):
    return " ".join(sents)


# ---------------------------------------------------------------- relevance: court domain
def test_court_follow_up_relevant_and_place_only_negative_rejected():
    seed = _seed(COURT_SEED, "Former Holtmark Shipping chief jailed in Brevik bribery case")
    rel = relevance_of_article(seed, "Talvane lodges appeal against bribery verdict", _join(
        "Erik Talvane has lodged an appeal against his three-year prison sentence, his lawyer said.",
        "Holtmark Shipping said it would pay the 8 million euro fine.",
        "The appeal court in Brevik is expected to hear the case next year."))
    assert rel.relevant, rel.reason
    # another company fined in the same city, same kind of case: shares only the place and topic words
    neg = relevance_of_article(seed, "Grainer Logistics fined 2 million euros over bribes", _join(
        "A court in Brevik fined Grainer Logistics 2 million euros for paying bribes to customs inspectors.",
        "Grainer said it would not appeal the verdict.",
        "Grainer shares fell 1% in Brevik trading."))
    assert not neg.relevant, neg.reason


def test_generic_part_of_a_seed_name_is_no_anchor():
    seed = _seed(COURT_SEED, "Former Holtmark Shipping chief jailed in Brevik bribery case")
    # "Shipping" alone is a generic part of "Holtmark Shipping"
    neg = relevance_of_article(seed, "Shipping group Norrline fined over harbour bribes", _join(
        "Shipping group Norrline was fined 3 million euros by a Brevik court over bribes paid to harbour inspectors.",
        "Norrline said it accepted the ruling and would not appeal.",
        "Norrline's former manager received a suspended prison sentence."))
    assert not neg.relevant, neg.reason


# ---------------------------------------------------------------- relevance: labour domain
def test_strike_at_another_airline_rejected_even_naming_the_seed_airline():
    seed = _seed(STRIKE_SEED, "Corvid Air cabin crew to strike for 48 hours over pay")
    neg_title, neg_summary = "Pelican Air pilots accept 6% pay offer, averting strike", "Pilots at the rival carrier back a deal."
    neg_text = _join(
        "Pilots at Pelican Air, a rival of Corvid Air, voted to accept a 6% pay offer over two years, averting a strike.",
        "Up to 200 flights would have been cancelled had the walkout gone ahead, the airline said.",
        "The pilots' union had rejected an earlier pay offer of 4%.",
        "Pelican Air shares rose 1% on the news.")
    assert not relevance_of_article(seed, neg_title, neg_text).relevant
    pos = relevance_of_article(seed, "Corvid Air strike called off after improved offer", _join(
        "Corvid Air cabin crew called off their strike after the airline improved its pay offer to 6%.",
        "The Flight Staff Union said members would vote on the deal next week.",
        "Flights will operate as normal on Friday, Corvid Air said."))
    assert pos.relevant, pos.reason
    # the feed prefilter stays generous for entries that name the seed's actors
    assert relevance_of_entry(seed, "Corvid Air crew strike goes ahead", "Talks collapse over pay.").relevant


def test_user_hint_keywords_still_anchor():
    seed = _seed(STRIKE_SEED, "Cabin crew to strike for 48 hours over pay", keywords=("Corvid",))
    r = relevance_of_article(seed, "Corvid walkout: what passengers need to know", _join(
        "Passengers booked on Corvid flights on Friday can rebook free of charge.",
        "The strike by cabin crew is set to last 48 hours.",
        "The union said talks over pay had failed."))
    assert r.relevant, r.reason
    seed_x = _seed(STRIKE_SEED, "Cabin crew to strike", exclude_keywords=("Pelican",))
    assert not relevance_of_entry(seed_x, "Pelican Air news", "Corvid Air strike latest").relevant


# ---------------------------------------------------------------- relevance: diplomacy (countries)
def test_country_pairing_weak_anchors_and_foreign_headline():
    seed = _seed(TALKS_SEED, "Japan and Brazil hold trade talks in Lisbon")
    pos = relevance_of_article(seed, "Japan and Brazil agree soybean quota framework", _join(
        "Japan and Brazil agreed a framework on soybean quotas after two days of talks.",
        "Brazil will get larger export licences for soybeans, while Japan cuts car tariffs.",
        "The framework on soybeans and car tariffs still needs approval from both governments."))
    assert pos.relevant, pos.reason
    neg = relevance_of_article(seed, "Japan and Mexico sign car tariff deal", _join(
        "Japan and Mexico signed a deal cutting car tariffs on Thursday.",
        "Mexico will lower tariffs on Japanese cars while Japan opens its market to Mexican avocados.",
        "Mexican officials said the deal would take effect in July."))
    assert not neg.relevant, neg.reason
    # a place-only match: another story set in the same city
    neg2 = relevance_of_article(seed, "Lisbon office rents hit record", _join(
        "Office rents in central Lisbon reached a record this quarter as tech firms compete for space.",
        "Landlords are in talks with tenants over new leases.",
        "Vacancy in Lisbon is well below the European average."))
    assert not neg2.relevant, neg2.reason


# ---------------------------------------------------------------- relevance: demo pages
DEMO = Path(__file__).resolve().parents[2] / "demo" / "london-talks"
NEGATIVE_SLUGS = ("st-jamess-office-rents", "eu-readies-countermeasures", "japan-deep-sea-rare-earth",
                  "canadian-lumber", "australian-rare-earth-processor", "trump-announces-vietnam")


@pytest.mark.skipif(not DEMO.exists(), reason="demo pages not present")
def test_demo_pages_relevance():
    from sources.extract import extract_article

    seed_text = (DEMO.parents[1] / "seeds" / "london-talks" / "seed.txt").read_text(encoding="utf-8")
    seed = extract_seed(seed_text, title="US–China trade talks in London",
                        published_at=datetime(2025, 6, 10, 20, 30, tzinfo=timezone.utc))
    wrong = []
    for page in sorted(DEMO.glob("tick*/pages/*.html")):
        art = extract_article(page.read_bytes())
        neg = page.name.startswith(NEGATIVE_SLUGS)
        r = relevance_of_article(seed, art.title, art.text)
        if r.relevant == neg:
            wrong.append((page.name, r.reason))
    assert not wrong, wrong


def test_relevance_is_fast_on_a_long_article():
    seed = _seed(STRIKE_SEED, "Corvid Air cabin crew to strike for 48 hours over pay")
    para = _join("Corvid Air cabin crew walked out on Friday as the strike over pay began.",
                 "The Flight Staff Union said 300 flights had been cancelled and talks would resume next week.",
                 "Passengers were offered refunds or rebooking free of charge by the airline.")
    text = "\n\n".join([para] * 25)  # ~1,000 words
    relevance_of_article(seed, "Corvid Air strike day one", text)
    t = time.perf_counter()
    for _ in range(5):
        relevance_of_article(seed, "Corvid Air strike day one", text)
    assert (time.perf_counter() - t) / 5 < 0.05


# ---------------------------------------------------------------- development tracking
def _f(kind, fid, text, i=0):
    return Finding(kind=kind, fact_id=fid, evidence=text, sentence_index=i, confidence=0.8)


def test_updates_of_one_fact_group_by_new_value_across_rewrites():
    idx = DevelopmentIndex()
    # court domain: the same cut fine, worded differently, units written differently
    assert idx.add(_f("updates", "F03", "The court of appeal on Thursday reduced the fine on Holtmark to 5 million euros from 8 million."))
    assert not idx.add(_f("updates", "F03", "A higher court has trimmed Holtmark's penalty by 3 million euros, to 5 million."))
    # a different new value of the same fact is a further development
    assert idx.add(_f("updates", "F03", "The supreme court later raised the penalty to 7 million euros."))
    # labour domain: a moved meeting, the old day after "instead of" is not the new value
    idx2 = DevelopmentIndex()
    assert idx2.add(_f("updates", "F06", "Talks between Corvid Air and the union have been brought forward by a day to Wednesday, the mediator said."))
    assert not idx2.add(_f("updates", "F06", "Mediated negotiations will now take place on Wednesday instead of Thursday."))


def test_cross_kind_needs_a_shared_figure_and_tiny_counts_do_not_identify_news():
    idx = DevelopmentIndex()
    assert idx.add(_f("contradicts", "F01", "The company said 11 workers were underground, not 14 as it had said on Monday."))
    # the same correction, reported as new by the diff elsewhere, with the figure in words
    assert not idx.add(_f("new", None, "The operator revised the number of missing workers to eleven, saying three had left early."))
    idx2 = DevelopmentIndex()
    assert idx2.add(_f("updates", "F02", "The airline cancelled 412 flights over the first two days of the strike."))
    # shares only "two" (a tiny count) with the earlier finding: another development
    assert idx2.add(_f("new", None, "Mediated talks broke up after two hours without a deal."))


def _obs(kind, fid, text, hours):
    t = T0 + timedelta(hours=hours)
    return Observation(kind=kind, fact_id=fid, evidence=text, article_url=f"https://x.example/{hours}",
                       published_at=t, detected_at=t)


def test_roll_up_changes_are_not_undone_by_later_repeats_and_contradictions_stick():
    seed = _seed(STRIKE_SEED, "Corvid Air cabin crew to strike for 48 hours over pay")
    fid_offer = next(f.fact_id for f in seed.facts if "3% over two years" in f.sentence)
    fid_flights = next(f.fact_id for f in seed.facts if "300 flights" in f.sentence)
    obs = [
        _obs("updates", fid_offer, "Corvid Air raised its pay offer to 6% over two years.", 1),
        _obs("confirms", fid_offer, "The union had rejected a 3% offer last week.", 5),  # stale background
        _obs("contradicts", fid_flights, "Corvid Air said reports that 300 flights would be cancelled were wrong.", 1),
        _obs("updates", fid_flights, "The carrier said 120 departures were scrapped on Saturday.", 6),  # another development
    ]
    st = {s.fact_id: s.state for s in roll_up(seed, obs)}
    assert st[fid_offer] == "updated"
    assert st[fid_flights] == "contradicted"
    # an update that builds on the contradiction (repeats its figure) does supersede it
    obs.append(_obs("updates", fid_flights, "Only 300 flights were in fact affected, and all have now been rebooked.", 8))
    st = {s.fact_id: s.state for s in roll_up(seed, obs)}
    assert st[fid_flights] == "updated"
