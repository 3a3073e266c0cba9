"""Round 7: inside a relevant article the run of on-topic sentences carries across paragraph breaks (live blog
entries), whatever the previous finding's kind; reader comments are boilerplate."""
from datetime import datetime, timezone

import facts
from facts import nlp

REF = datetime(2025, 11, 18, 10, 0, tzinfo=timezone.utc)

SEED = ("A tunnel collapsed at the Dovren quarry on Monday, trapping six workers. "
        "Rescuers are pumping air to the trapped workers, the operator Halvane Stone said. "
        "The operator said heavy rain caused the collapse.")


def _seed():
    return facts.extract_seed(SEED, title="Six trapped in Dovren quarry collapse", published_at=REF)


def test_reader_comment_is_boilerplate():
    assert nlp.is_boilerplate("Comment from a reader: Good news for the families, I hope.")
    assert nlp.is_boilerplate("Comments from our readers: about time.")
    assert not nlp.is_boilerplate("A reader of the report said the figures were wrong.")


def test_eventive_sentence_after_a_finding_in_a_new_paragraph_is_new():
    seed = _seed()
    text = ("10:40 - Rescuers are still pumping air to the six trapped workers at the Dovren quarry.\n\n"
            "10:05 - A medic was lowered on a winch to treat two injured men on Tuesday.\n\n")
    fs = facts.diff_article(seed, title="Live: quarry rescue", text=text, published_at=REF)
    by_sent = {f.sentence_index: f.kind for f in fs}
    assert by_sent.get(1) == "new"


def test_run_breaks_after_a_sentence_without_finding():
    seed = _seed()
    text = ("Rescuers are still pumping air to the six trapped workers at the Dovren quarry.\n\n"
            "Is the region's mining safe?\n\n"
            "A medic was lowered on a winch to treat two injured men on Tuesday.")
    fs = facts.diff_article(seed, title="Quarry rescue", text=text, published_at=REF)
    assert not [f for f in fs if f.sentence_index == 2]
