"""The fact engine: pure functions from text to dataclasses. No I/O, no network, no models to download.

Public API (see facts/model.py for the dataclasses):

    seed = extract_seed(text, title=..., published_at=..., hints=StoryHints(...))
    seed.facts                                  -> tuple[SeedFact, ...]
    relevance_of_entry(seed, title, summary)    -> Relevance   (cheap prefilter before fetching)
    relevance_of_article(seed, title, text)     -> Relevance   (final decision on cleaned text)
    diff_article(seed, title=..., text=..., published_at=..., skip_sentences=())
                                                -> list[Finding]
    DevelopmentIndex(previous evidence)         -> groups the same development across sources
    roll_up(seed, observations)                 -> list[FactStatus]  (one per seed fact)
"""
