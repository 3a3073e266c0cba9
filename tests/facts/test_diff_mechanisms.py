"""Per-sentence diff mechanisms, on small invented examples from several domains (labour, courts,
disasters, companies). None of these names occur in the corpus."""
from datetime import datetime, timedelta, timezone

import facts
from facts import engine, nlp

PUB = datetime(2025, 4, 6, 10, 0, tzinfo=timezone.utc)  # a Sunday
LATER = PUB + timedelta(days=2)

COURT = """A court in Pelmora on Friday found Ivo Ranek, the former head of Corvel Transport, guilty of fraud.
Judge Mira Ostal sentenced Ranek to three years in prison.
Corvel Transport was ordered to pay a fine of 8 million euros.
Ranek denied all charges during the trial.
A Corvel spokesman said the company had not yet decided whether to challenge the fine."""

LABOUR = """Nurses at Halvik General Hospital will strike for 24 hours from Thursday over pay, the Care Workers Union said.
The union rejected a pay offer of 3% over two years.
Halvik General Hospital has already postponed 90 operations scheduled for Thursday, a hospital source said.
Talks between the two sides are planned for Wednesday."""


def _seed(text):
    return facts.extract_seed(text, title="x", published_at=PUB)


def _diff(seed, sentence):
    return facts.diff_article(seed, title="x", text=sentence, published_at=LATER)


def _fact_of(seed, finding):
    return next(f.text for f in seed.facts if f.fact_id == finding.fact_id)


# --- denials ---------------------------------------------------------------------------------
def test_rejecting_an_offer_is_not_a_denial():
    assert not nlp.is_denial("The union has dismissed the two-year, 3% proposal as inadequate.")
    assert not nlp.is_denial("Shareholders rejected the bid on Tuesday.")
    assert nlp.is_denial("The hospital rejected union claims that it hired agency staff.")
    assert nlp.is_denial("The company dismissed reports that an inspector had flagged the fault.")


def test_not_as_it_had_said_is_a_correction():
    assert nlp.is_denial("The operator said 11 workers were underground, not 14 as it had said on Monday.")
    assert nlp.FIGURE_CORRECTION.search("The toll is 9, not 12 as officials had reported.")


def test_restated_seed_denial_is_not_a_contradiction():
    seed = _seed(COURT)
    fs = _diff(seed, "Ranek has consistently rejected all of the accusations against him.")
    assert not any(f.kind == "contradicts" for f in fs)


def test_denial_with_shared_figure_contradicts_despite_weekday():
    seed = _seed(LABOUR)
    fs = _diff(seed, "The hospital said reports that 90 Thursday operations had already been postponed were wrong.")
    assert fs and fs[0].kind == "contradicts"
    assert "90 operations" in _fact_of(seed, fs[0])


# --- open claims resolved --------------------------------------------------------------------
def test_open_question_is_hedged():
    assert nlp.modality("the company had not yet decided whether to challenge the fine") == "hedged"
    assert nlp.modality("Contact with the crew has not yet been established.") == "hedged"


def test_open_question_resolved_updates():
    seed = _seed(COURT)
    fs = _diff(seed, "Corvel Transport has decided to contest the fine at the court of appeal.")
    assert fs and fs[0].kind == "updates"
    assert "challenge the fine" in _fact_of(seed, fs[0])


# --- alignment by stems and synonyms ---------------------------------------------------------
def test_derivational_stems_align():
    assert nlp.stem("mediation") == nlp.stem("mediated")
    assert nlp.stem("conviction") == nlp.stem("convicted")
    assert nlp.stem("re-tender") == nlp.stem("tender")


def test_generic_synonyms_align():
    syn = engine._syn
    assert syn(nlp.stem("accusations")) == syn(nlp.stem("charges"))
    assert syn(nlp.stem("walkout")) == syn(nlp.stem("strike"))
    assert syn(nlp.stem("proposal")) == syn(nlp.stem("offer"))
    toks, _, _ = engine.sentence_tokens(engine.Registry(), "US stock markets rose")
    assert "share" not in toks  # a stock market is not a company's shares


# --- background and boilerplate --------------------------------------------------------------
def test_editorial_notes_and_reader_comments_are_boilerplate():
    assert nlp.is_boilerplate("(Corrects paragraph 1 to show the fine was 8 million euros, not 9 million)")
    assert nlp.is_boilerplate('Reader comment: "Three years is nothing." - a reader')
    assert not nlp.is_boilerplate("The court corrected its earlier statement on the fine.")


def test_irregular_past_is_eventive():
    assert nlp.PAST.search("The appeals court upheld the conviction.")
    assert nlp.PAST.search("Talks broke up late on Wednesday.")


def test_weak_topic_new_in_relevant_article():
    # names no seed claim, but a party of the story and a fresh event: new, not dropped
    seed = _seed(LABOUR)
    fs = _diff(seed, "The Care Workers Union said its members would meet hospital managers again on Friday.")
    assert fs and fs[0].kind in ("new", "confirms", "updates")
    seed = _seed(COURT)
    fs = _diff(seed, "Corvel Transport appointed an interim chief executive.")
    assert fs and fs[0].kind == "new"


def test_mentions_are_cached_but_fresh_lists():
    from facts.entities import find_mentions
    a = find_mentions("Judge Mira Ostal sentenced Ranek.")
    a.clear()
    assert find_mentions("Judge Mira Ostal sentenced Ranek.")
