"""Round 6: forward-resolved yearless dates in future sentences, 'be used to' is not history, and a sentence
that confirms one fact while resolving an extension hedge yields a second finding."""
from datetime import datetime, timezone

import facts
from facts import engine, nlp

REF = datetime(2025, 11, 18, 10, 0, tzinfo=timezone.utc)


def test_future_month_resolves_forward():
    d = nlp.extract_dates("The claim will be heard in March, the court said.", REF)
    assert d[0]["date"] == "2026-03"
    d = nlp.extract_dates("Bids are due by Feb. 15.", REF)
    assert d[0]["date"] == "2026-02-15"


def test_past_month_stays_past():
    d = nlp.extract_dates("The claim was filed in March.", REF)
    assert d[0]["date"] == "2025-03"


def test_be_used_to_is_not_background():
    assert not engine.BACKGROUND_CUES.search("Crews started a hole that could be used to send down water.")
    assert engine.BACKGROUND_CUES.search("The site used to be a quarry.")


SEED = ("Delegates from Arland and Belmor held talks in Carrow on Monday. "
        "The minister Ana Voss stayed in Carrow for the talks. "
        "Officials said the talks might extend to Wednesday.")


def test_confirm_and_resolved_hedge_in_one_sentence():
    seed = facts.extract_seed(SEED, title="Arland-Belmor talks", published_at=REF)
    text = ("Ana Voss stayed in Carrow for the talks, which ended late that night instead of running into "
            "Wednesday.")
    fs = facts.diff_article(seed, title="Talks end", text=text, published_at=REF)
    kinds = {(f.kind, f.fact_id) for f in fs}
    hedge = next(f.fact_id for f in seed.facts if "extend to Wednesday" in f.text)
    assert ("updates", hedge) in kinds
    assert all(f.sentence_index == 0 for f in fs)
