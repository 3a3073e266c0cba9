"""Dates in parse_feed: properties (hypothesis) plus a few fixed cases."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from xml.sax.saxutils import escape

from hypothesis import given, settings
from hypothesis import strategies as st

from sources.feeds import parse_feed

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)

_offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
_moments = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1), timezones=_offsets
).map(lambda d: d.replace(microsecond=0))


def _rss(pub: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>d</title>'
        f"<item><guid>d1</guid><title>t</title><link>https://n.example/d</link><pubDate>{escape(pub)}</pubDate></item>"
        "</channel></rss>"
    ).encode("utf-8")


def _atom(published: str) -> bytes:
    return (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>d</title><id>urn:f</id>'
        f'<entry><id>urn:d1</id><title>t</title><link href="https://n.example/d"/><published>{escape(published)}</published></entry>'
        "</feed>"
    ).encode("utf-8")


def _expected(moment: datetime) -> datetime | None:
    utc = moment.astimezone(timezone.utc)
    return None if utc > NOW + timedelta(days=1) else utc


@settings(max_examples=150, deadline=None)
@given(_moments)
def test_rfc822_dates_become_aware_utc(moment):
    p = parse_feed(_rss(format_datetime(moment)), feed_url="https://n.example/feed", now=NOW)
    got = p.entries[0].published_at
    assert got == _expected(moment)
    if got is not None:
        assert got.tzinfo is not None and got.utcoffset() == timedelta(0)


@settings(max_examples=150, deadline=None)
@given(_moments)
def test_iso8601_dates_become_aware_utc(moment):
    p = parse_feed(_atom(moment.isoformat()), feed_url="https://n.example/feed", now=NOW)
    assert p.entries[0].published_at == _expected(moment)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_garbage_dates_never_raise_and_are_none_or_plausible(text):
    p = parse_feed(_rss(text), feed_url="https://n.example/feed", now=NOW)
    assert p.error is None and len(p.entries) == 1
    got = p.entries[0].published_at
    assert got is None or (got.tzinfo is not None and datetime(1900, 1, 1, tzinfo=timezone.utc) <= got <= NOW + timedelta(days=1))


def test_future_tolerance_boundary():
    just_inside = NOW + timedelta(hours=23)
    too_far = NOW + timedelta(hours=25)
    p1 = parse_feed(_rss(format_datetime(just_inside)), feed_url="https://n.example/f", now=NOW)
    p2 = parse_feed(_rss(format_datetime(too_far)), feed_url="https://n.example/f", now=NOW)
    assert p1.entries[0].published_at == just_inside
    assert p2.entries[0].published_at is None


def test_missing_timezone_is_taken_as_utc():
    p = parse_feed(_atom("2026-11-29T10:00:00"), feed_url="https://n.example/f", now=NOW)
    assert p.entries[0].published_at == datetime(2026, 11, 29, 10, 0, tzinfo=timezone.utc)


def test_named_zones():
    p = parse_feed(_rss("Sun, 29 Nov 2026 10:00:00 EST"), feed_url="https://n.example/f", now=NOW)
    assert p.entries[0].published_at == datetime(2026, 11, 29, 15, 0, tzinfo=timezone.utc)
