"""When to poll a feed next: pure politeness and backoff arithmetic (no I/O, no clock).

* :func:`next_poll_interval` follows how often the feed publishes: half the median gap
  between its recent entries (so a new item waits at most about half a publishing
  interval), stretched when the feed has been quiet for longer than that, clamped to
  ``[min_s, max_s]``. No usable history -> ``max_s``.
* :func:`failure_backoff` grows exponentially with consecutive failures, is capped, and
  never gives up on a feed (a site down for a week is polled again after the cap).
* :func:`decide_poll` says whether to poll now and why. A server's ``Retry-After`` and
  our failure backoff are honoured even by a run started by hand; the regular schedule
  is not (by hand means "now").
"""
from __future__ import annotations

import random
import statistics
from datetime import datetime, timezone

RECENT_ENTRIES = 20  # how much history the interval looks at


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def _clamp(value: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, value))


def next_poll_interval(
    entry_times: list[datetime], now: datetime, min_s: float = 300, max_s: float = 86400
) -> float:
    """Seconds until the next regular poll, from the feed's publishing times.

    Times after ``now`` and ``None`` values are ignored; naive datetimes are taken as UTC.
    """
    if min_s > max_s:
        min_s, max_s = max_s, min_s
    now = _utc(now)
    times = sorted({_utc(t) for t in entry_times if t is not None and _utc(t) <= now}, reverse=True)
    times = times[:RECENT_ENTRIES]
    if not times:
        return float(max_s)
    since_last = (now - times[0]).total_seconds()
    if len(times) == 1:
        return _clamp(since_last / 2, min_s, max_s)
    gaps = [(a - b).total_seconds() for a, b in zip(times, times[1:])]
    interval = statistics.median(gaps) / 2
    # A feed quiet for longer than usual slows down gradually instead of being hammered.
    if since_last > 2 * interval:
        interval = max(interval, since_last / 4)
    return _clamp(interval, min_s, max_s)


def failure_backoff(
    consecutive_failures: int,
    base_s: float = 300,
    cap_s: float = 7 * 86400,
    jitter: float = 0.1,
    rng: random.Random | None = None,
) -> float:
    """Seconds to wait after ``consecutive_failures`` failures in a row (0 -> 0).

    ``base_s * 2**(n-1)``, capped at ``cap_s``, then reduced by up to ``jitter``
    (a fraction, 0..1) at random so that feeds which failed together spread out.
    The result is always within ``[raw * (1 - jitter), raw]`` with ``raw <= cap_s``.
    """
    if consecutive_failures <= 0:
        return 0.0
    exponent = min(consecutive_failures - 1, 64)
    raw = min(float(cap_s), float(base_s) * (2.0**exponent))
    j = _clamp(jitter, 0.0, 1.0)
    if j:
        r = (rng or random).random()
        raw *= 1.0 - j * r
    return raw


def decide_poll(
    now: datetime,
    next_poll_at: datetime | None,
    retry_after_until: datetime | None,
    backoff_until: datetime | None,
    by_hand: bool,
) -> tuple[bool, str]:
    """(should_poll, reason). Retry-After first, then failure backoff, then the schedule."""
    now = _utc(now)
    if retry_after_until is not None and _utc(retry_after_until) > now:
        return False, f"server asked us to wait (Retry-After) until {_utc(retry_after_until).isoformat()}"
    if backoff_until is not None and _utc(backoff_until) > now:
        return False, f"in failure backoff until {_utc(backoff_until).isoformat()}"
    if by_hand:
        return True, "run by hand: polling now"
    if next_poll_at is None:
        return True, "never polled: polling now"
    if _utc(next_poll_at) <= now:
        return True, "due"
    return False, f"not due until {_utc(next_poll_at).isoformat()}"
