from datetime import datetime, timezone

from facts import extract_dates, extract_numbers, is_boilerplate, modality, negated, split_sentences

PUB = datetime(2025, 6, 11, 9, 0, tzinfo=timezone.utc)  # a Wednesday


def test_split_abbreviations_and_decimals():
    text = "The U.S. economy grew 2.5% in May. Mr. Smith said growth may slow. Dr. J. Watson agreed."
    assert split_sentences(text) == [
        "The U.S. economy grew 2.5% in May.",
        "Mr. Smith said growth may slow.",
        "Dr. J. Watson agreed.",
    ]


def test_split_quotes_and_paragraphs():
    text = 'He said: "We are done." Then he left.\n\nA new paragraph starts here'
    assert split_sentences(text) == ['He said: "We are done."', "Then he left.", "A new paragraph starts here"]


def test_boilerplate():
    assert is_boilerplate("Original source: https://www.example.com/article/1834594985233483/")
    assert is_boilerplate("Disclaimer: This article solely represents the author's viewpoint.")
    assert is_boilerplate("By Staff Reporter, Markets Desk")
    assert is_boilerplate("Copyright 2025 Harbor Business Wire. All rights reserved.")
    assert is_boilerplate("Sign up for our morning briefing to get the top stories in your inbox.")
    assert not is_boilerplate("The company said profits rose 5% in the first quarter.")


def _by_kind(nums):
    return {(n["kind"], n["unit"], n["value"]) for n in nums}


def test_numbers_with_units():
    nums = _by_kind(extract_numbers(
        "The offer values it at $4.2 billion, a 27% premium; 12 people died after seven hours of rain, "
        "and 353 tonnes were shipped on a third day."))
    assert ("money", "USD", 4.2e9) in nums
    assert ("percent", "%", 27.0) in nums
    assert ("count", "people", 12.0) in nums
    assert ("duration", "hour", 7.0) in nums
    assert ("measure", "t", 353.0) in nums
    assert ("ordinal", "day", 3.0) in nums


def test_years_and_dates_are_not_counts():
    nums = extract_numbers("In 2024 the vote was set for May 14 at 8 PM.")
    assert nums == []


def test_dates_resolved_against_published_at():
    ds = {d["text"]: d for d in extract_dates(
        "Basant left on the evening of the 10th; Tuesday's talks resumed at 8 PM local time and may go on "
        "until Wednesday. The vote is on May 14.", PUB)}
    assert ds["the 10th"]["date"] == "2025-06-10"
    assert ds["Tuesday"]["date"] == "2025-06-10"
    assert ds["Wednesday"]["date"] == "2025-06-11"
    assert ds["8 PM local time"]["time"] == "20:00"
    assert ds["May 14"]["date"] == "2025-05-14"


def test_weekday_future_cue():
    ds = extract_dates("The board will meet on Friday.", PUB)
    assert ds[0]["date"] == "2025-06-13"
    ds = extract_dates("The board met on Friday.", PUB)
    assert ds[0]["date"] == "2025-06-06"


def test_modality_and_negation():
    assert modality("The talks may extend to a third day.") == "hedged"
    assert modality("The talks reportedly stalled.") == "hedged"
    assert modality("He plans to request the licences.") == "planned"
    assert modality("The deal is expected to close in the third quarter.") == "expected"
    assert modality("The talks ended on Tuesday.") == "asserted"
    assert negated("The talks did not extend to a third day.")
    assert negated("There was no news about the outcome.")
    assert not negated("The talks ended on Tuesday.")
