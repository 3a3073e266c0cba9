"""Round-2 diff mechanisms on small invented examples from several domains (transport, energy, health,
finance, courts). None of these names occur in the corpus."""
from datetime import datetime, timedelta, timezone

import facts
from facts import engine, nlp

PUB = datetime(2025, 4, 6, 10, 0, tzinfo=timezone.utc)  # a Sunday
LATER = PUB + timedelta(days=2)

FERRY = """A ferry carrying 40 passengers ran aground off the island of Tesmor on Sunday, the coast guard said.
Radio contact with the ferry's crew has not yet been established.
The harbour authority said it would ask the navy to send a tug.
A coast guard inspector warned in March that the ferry's engines needed repairs.
The inquiry hearing is scheduled for April 24.
The harbour master will brief reporters at 14:00."""

REFINERY = """Operations at the Dalvik refinery have been halted after a fire on Sunday, the owner Norcap Energy said.
Norcap Energy is expected to raise its fuel prices by 5% next week.
The board of Norcap Energy is expected to vote on the dividend on Thursday.
Norcap Energy said the fire was caused by a lightning strike.
A shareholder meeting is scheduled for April 24.
The chief executive will present the results at 10:00."""


def _seed(text):
    return facts.extract_seed(text, title="x", published_at=PUB)


def _diff(seed, sentence):
    return facts.diff_article(seed, title="x", text=sentence, published_at=LATER)


def _one(seed, sentence):
    out = _diff(seed, sentence)
    assert len(out) == 1, out
    f = out[0]
    text = next((x.sentence for x in seed.facts if x.fact_id == f.fact_id), None)
    return f.kind, text


# --- boilerplate: a sentence opening with "Contact" is not a contact line ------------------------
def test_contact_sentence_is_not_boilerplate():
    assert not nlp.is_boilerplate("Contact with the crew has not yet been established.")
    assert nlp.is_boilerplate("Contact: press office, Norcap Energy.")
    assert nlp.is_boilerplate("Media contact: press office")
    seed = _seed(FERRY)
    assert any("Radio contact" in f.text for f in seed.facts)


# --- irregular verbs share a stem with their base form -----------------------------------------------
def test_irregular_verbs_stem_to_base():
    assert nlp.stem("sold") == nlp.stem("sell")
    assert nlp.stem("grown") == nlp.stem("grow")
    assert nlp.stem("brought") == nlp.stem("bring")


# --- negation scope ----------------------------------------------------------------------------------------
def test_negated_terms():
    assert nlp.negated_terms("it had received no warning from inspectors") == {"warn"}
    assert "establish" in nlp.negated_terms("Contact has not yet been established.")
    assert nlp.negated_terms("The company has not sold any bonds") == {"sell"}


def test_negated_seed_predicate_contradicts_in_two_domains():
    kind, text = _one(_seed(FERRY), "The ferry operator said it had received no warning from any coast guard "
                                     "inspector about the ferry's engines.")
    assert kind == "contradicts" and "warned in March" in text
    seed = _seed(REFINERY)
    kind, text = _one(seed, "Norcap Energy said the fire was not caused by a lightning strike after all.")
    assert kind == "contradicts" and "lightning" in text


# --- a planned/expected act reported done: "vote" -> "voted" (verbs ending in -e) ------------------------
def test_planned_vote_done_is_update():
    kind, text = _one(_seed(REFINERY), "The board of Norcap Energy voted on the dividend on Thursday, cutting it.")
    assert kind == "updates" and "vote on the dividend" in text


def test_planned_act_negated_is_update():
    kind, text = _one(_seed(FERRY), "The harbour authority did not ask the navy for a tug after all.")
    assert kind == "updates" and "ask the navy" in text


# --- rescheduling -----------------------------------------------------------------------------------------
def test_rather_than_marks_the_old_date():
    seed = _seed(REFINERY)
    out = _diff(seed, "The shareholder meeting will take place on May 2 rather than April 24.")
    assert out and out[0].kind == "updates"
    ch = [c for c in out[0].changes if c.field == "date"]
    assert ch and ch[0].new == "2025-05-02"


def test_time_moved_is_update_in_two_domains():
    out = _diff(_seed(FERRY), "The harbour master's briefing for reporters has been pushed back half an hour, to 14:30.")
    assert out and out[0].kind == "updates" and any(c.field == "time" for c in out[0].changes)
    out = _diff(_seed(REFINERY), "The chief executive will now present the results at 11:00, an hour later than planned.")
    assert out and out[0].kind == "updates"


def test_relative_postponement_without_new_date():
    out = _diff(_seed(FERRY), "The inquiry hearing has been pushed back a week.")
    assert out and out[0].kind == "updates" and any(c.field == "date" for c in out[0].changes)


# --- generic synonyms: halted ~ suspended, production ~ output ----------------------------------------------
def test_stoppage_synonyms_confirm():
    kind, text = _one(_seed(REFINERY), "Operations at the Dalvik refinery remain suspended, Norcap Energy said.")
    assert kind == "confirms" and "halted" in text


# --- numbers: "number of X ... to N", number words, durations across units ----------------------------------
def test_number_of_head_noun_gives_the_unit():
    ns = nlp.extract_numbers("Officials revised the number of missing boats to eleven, citing a new list.")
    assert ns and ns[0]["value"] == 11 and ns[0]["unit"] == "boat"
    ns = nlp.extract_numbers("The number of patients has grown to about 200.")
    assert ns and ns[0]["value"] == 200 and ns[0]["unit"] == "people"
    assert nlp.extract_numbers("One of the two said so.") == []


def test_durations_compare_across_units():
    a = nlp.extract_numbers("Divers expect to reach the wreck within 48 hours.")[0]
    b = nlp.extract_numbers("Divers reached the wreck after three days.")[0]
    c = nlp.extract_numbers("Divers still hope to reach the wreck within two days.")[0]
    assert engine._comparable(a, b) and engine._nv(b) != engine._nv(a)
    assert engine._nv(c) == engine._nv(a)


def test_planned_embedded_verb_done_is_update():
    seed = _seed(FERRY)
    kind, text = _one(seed, "The navy sent a tug to Tesmor on Monday at the harbour authority's request.")
    assert kind == "updates" and "ask the navy" in text


# --- the month May is not a hedge ------------------------------------------------------------------------------
def test_month_may_is_not_hedge():
    assert nlp.modality("Members will vote at a meeting scheduled for May 14.") == "planned"
    assert nlp.modality("The ferry line opened on 3 May.") == "asserted"
    assert nlp.modality("The strike may spread.") == "hedged"


# --- moves in opposite directions are different figures ------------------------------------------------------------
def test_opposite_moves_are_not_comparable():
    a = nlp.extract_numbers("The lira has weakened about 4% against the dollar since June.")[0]
    b = nlp.extract_numbers("The lira jumped 1.2% against the dollar after the vote.")[0]
    c = nlp.extract_numbers("The lira has now weakened 6% against the dollar.")[0]
    assert a["dir"] == "-" and b["dir"] == "+"
    assert not engine._comparable(a, b)
    assert engine._comparable(a, c)
    d = nlp.extract_numbers("Refinery output fell by 3% in May.")[0]
    assert d["dir"] == "-"


# --- a denial of a dated seed claim is news, not background ---------------------------------------------------------
def test_denial_of_dated_claim_is_not_background():
    seed = _seed(FERRY)
    out = _diff(seed, "The ferry operator dismissed reports that a coast guard inspector warned in March about "
                      "the engines, saying no such warning was issued.")
    assert out and out[0].kind == "contradicts"
    assert "warned in March" in next(f.sentence for f in seed.facts if f.fact_id == out[0].fact_id)


# --- an open forecast resolved with figures ------------------------------------------------------------------------
def test_forecast_resolved_with_new_figures_is_update():
    seed = _seed("""The statistics bureau of Ardana will publish new population estimates on Friday, officials said.
The Ardana census covered 312 villages in the north.""")
    out = _diff(seed, "In estimates published on Friday, the statistics bureau put the Ardana population at 4.2 million, "
                      "up from 3.9 million.")
    assert out and out[0].kind == "updates"


# --- corrections naming the old figure ------------------------------------------------------------------------------
def test_rather_than_first_reported_is_correction():
    assert nlp.is_denial("He was given three years rather than the four years first reported.")
    assert not nlp.is_denial("The company argues that the court wrongly held it liable.")
    assert nlp.is_denial("Early reports had wrongly put the toll at nine.")
    seed = _seed("""A court in Pelmora jailed the former mayor Oskar Vint for four years on Friday.
The city of Pelmora was fined 2 million euros.""")
    out = _diff(seed, "Oskar Vint, who led Pelmora until 2019, was given three and a half years in jail rather than "
                      "the four years first reported.")
    assert out and out[0].kind == "contradicts"


# --- a change amount is not a level ----------------------------------------------------------------------------------
def test_delta_is_not_compared_with_level():
    a = nlp.extract_numbers("Dock workers will strike for 48 hours from Friday.")[0]
    b = nlp.extract_numbers("The union extended the strike by 24 hours to Sunday.")[0]
    assert b.get("delta") and not a.get("delta")
    assert not engine._comparable(a, b)


# --- the planned verb's synonym done, and "speed" is not a past form ----------------------------------------------------
def test_done_verb_synonyms_and_false_past():
    assert engine._done_verb("The figures were released on Friday.", ("publi",), frozenset({"publish"}))
    assert not engine._done_verb("Officials pressed them to speed up.", ("accel",), frozenset({"speed"}))
    assert engine._done_verb("The two sides agreed on Friday.", ("agree",), frozenset())


def test_phrasal_runs_out_is_not_timeless():
    assert not engine._TIMELESS.search("The lease runs out in March.")
    assert engine._TIMELESS.search("The company runs three ferries.")


# --- alignment first, relation second -----------------------------------------------------------------------------------
def test_best_aligned_confirmation_beats_weaker_modality_change():
    seed = _seed("""Defence lawyer Petra Lund said her client may appeal and would decide within two weeks.
"My client never touched the bribe money," Lund told reporters outside the court in Varnis.
The court in Varnis fined the builder 3 million euros.""")
    kind, text = _one(seed, "Lund again insisted that her client had never touched any of the bribe money.")
    assert kind == "confirms" and "never touched" in text
    seed = _seed("""The ministry may raise the fuel tax and would decide by June, officials in Ostra said.
"We never planned a fuel subsidy cut," Finance Minister Ivo Prag told parliament in Ostra.""")
    kind, text = _one(seed, "Prag again insisted that the government had never planned a fuel subsidy cut.")
    assert kind == "confirms" and "subsidy" in text
