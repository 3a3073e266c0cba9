"""parse_feed never raises and always returns storable text, whatever the bytes."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sources.feeds import parse_feed

SEED = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>F</title>'
    b"<item><guid>a</guid><title>T&amp;U</title><link>/a</link><description>&lt;p&gt;x&lt;/p&gt;</description>"
    b"<pubDate>Mon, 30 Nov 2026 01:00:00 +0100</pubDate></item></channel></rss>"
)


def _check(p):
    assert (p.error is None) or (p.entries == ())
    for e in p.entries:
        for text in (e.entry_key, e.title, e.summary, e.url or ""):
            text.encode("utf-8")  # no lone surrogates
        assert e.url is None or e.url.startswith(("http://", "https://"))
        assert e.published_at is None or e.published_at.utcoffset().total_seconds() == 0


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes(body):
    _check(parse_feed(body, feed_url="https://n.example/f"))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(SEED) - 1), st.binary(min_size=0, max_size=4)), max_size=6))
def test_mutated_feed(mutations):
    body = bytearray(SEED)
    for pos, data in mutations:
        body[pos : pos + len(data)] = data
    _check(parse_feed(bytes(body), feed_url="https://n.example/f"))
