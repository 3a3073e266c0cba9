"""Schedule arithmetic: examples and properties."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from sources.schedule import decide_poll, failure_backoff, next_poll_interval

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


def _hours_ago(*hours: float) -> list[datetime]:
    return [NOW - timedelta(hours=h) for h in hours]


def test_interval_follows_publishing_rate():
    hourly = _hours_ago(*range(0, 12))
    assert next_poll_interval(hourly, NOW) == 1800  # half the median gap
    daily = _hours_ago(*range(0, 24 * 10, 24))
    assert next_poll_interval(daily, NOW) == 43200
    busy = [NOW - timedelta(minutes=m) for m in range(0, 60, 2)]
    assert next_poll_interval(busy, NOW) == 300  # clamped to min_s


def test_interval_without_history_is_max():
    assert next_poll_interval([], NOW) == 86400
    assert next_poll_interval([NOW + timedelta(days=3)], NOW) == 86400  # future dates ignored


def test_quiet_feed_slows_down():
    old_hourly = [NOW - timedelta(days=5, hours=h) for h in range(10)]
    assert next_poll_interval(old_hourly, NOW) > 1800
    assert next_poll_interval(old_hourly, NOW) <= 86400


def test_naive_times_taken_as_utc():
    naive = [t.replace(tzinfo=None) for t in _hours_ago(*range(0, 12))]
    assert next_poll_interval(naive, NOW) == 1800


_times = st.lists(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(timezone.utc)),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(_times, st.floats(min_value=1, max_value=1e5), st.floats(min_value=1, max_value=1e6))
def test_interval_is_always_clamped(times, lo, hi):
    lo, hi = min(lo, hi), max(lo, hi)
    value = next_poll_interval(times, NOW, min_s=lo, max_s=hi)
    assert lo <= value <= hi


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.floats(min_value=1, max_value=3600), st.floats(min_value=60, max_value=30 * 86400))
def test_backoff_monotonic_and_capped_without_jitter(n, base, cap):
    a = failure_backoff(n, base_s=base, cap_s=cap, jitter=0)
    b = failure_backoff(n + 1, base_s=base, cap_s=cap, jitter=0)
    assert 0 <= a <= b <= max(cap, 0)
    if n == 0:
        assert a == 0


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=200), st.floats(min_value=0, max_value=1), st.integers())
def test_backoff_jitter_stays_in_band(n, jitter, seed):
    raw = failure_backoff(n, jitter=0)
    value = failure_backoff(n, jitter=jitter, rng=random.Random(seed))
    assert raw * (1 - jitter) - 1e-9 <= value <= raw <= 7 * 86400


def test_backoff_examples():
    assert failure_backoff(1, jitter=0) == 300
    assert failure_backoff(2, jitter=0) == 600
    assert failure_backoff(5, jitter=0) == 4800
    assert failure_backoff(1_000_000, jitter=0) == 7 * 86400  # never dropped, never overflows


def test_decide_poll():
    later = NOW + timedelta(minutes=10)
    earlier = NOW - timedelta(minutes=1)
    assert decide_poll(NOW, earlier, None, None, by_hand=False) == (True, "due")
    ok, why = decide_poll(NOW, later, None, None, by_hand=False)
    assert not ok and why.startswith("not due until 2026-11-30T12:10")
    assert decide_poll(NOW, later, None, None, by_hand=True) == (True, "run by hand: polling now")
    ok, why = decide_poll(NOW, earlier, later, None, by_hand=True)
    assert not ok and "Retry-After" in why
    ok, why = decide_poll(NOW, earlier, None, later, by_hand=True)
    assert not ok and "failure backoff" in why
    assert decide_poll(NOW, None, earlier, earlier, by_hand=False) == (True, "never polled: polling now")


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(st.none(), st.integers(-10_000, 10_000)),
    st.one_of(st.none(), st.integers(-10_000, 10_000)),
    st.one_of(st.none(), st.integers(-10_000, 10_000)),
    st.booleans(),
)
def test_decide_poll_never_polls_while_server_or_backoff_says_wait(nxt, ra, bo, by_hand):
    at = lambda s: None if s is None else NOW + timedelta(seconds=s)  # noqa: E731
    ok, why = decide_poll(NOW, at(nxt), at(ra), at(bo), by_hand)
    assert isinstance(why, str) and why
    if (ra is not None and ra > 0) or (bo is not None and bo > 0):
        assert not ok
    elif by_hand:
        assert ok
