"""The monitoring flow: poll a story's feeds, fetch and clean new pages, diff them against the
seed's facts, and write everything to DuckDB. Run it from the CLI (`storywatch run`),
`python -m flows.monitor`, or a Prefect deployment (prefect.yaml)."""
from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner

import facts
from flows import pipeline
from flows.report import run_artifact
from flows.settings import FetchSettings, default_db_path, run_lock_path
from flows.story import StoryConfig, StoryConfigError, load_story, story_from_args, with_feeds
from sources.feeds import parse_feed
from sources.http import FEED_ACCEPT, HTML_ACCEPT, FetchPolicy, HttpClient
from sources.models import ParsedFeed
from sources.netpolicy import AddressPolicy
from sources.schedule import decide_poll, failure_backoff, next_poll_interval
from storage import repo
from storage.db import write_connection
from storage.records import FeedPoll, FeedState, PageOutcome, WorkItem

PAGE_BATCH_SIZE = 10
# A run fetches at most this many pages; the rest stay `pending` in `entries` for the next run, so
# a huge backlog (a first run over big feeds) is worked off in bounded runs instead of one that
# could outgrow its timeout and redo everything.
MAX_PAGES_PER_RUN = int(os.environ.get("STORYWATCH_MAX_PAGES_PER_RUN", "600"))
PAGE_WORKERS = 8


class RunInProgress(RuntimeError):
    """Another run of the same story holds the run lock."""


@contextlib.contextmanager
def run_lock(db_path: str, story_id: str):
    """One run per story and database at a time, whoever started it. The OS drops the lock if
    the process dies, so a killed run never blocks the next one."""
    path = run_lock_path(db_path, story_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise RunInProgress(f"another run of story {story_id!r} is in progress on {db_path}") from exc
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


_clients: dict[FetchSettings, HttpClient] = {}
_clients_lock = threading.Lock()


def http_client(settings: FetchSettings) -> HttpClient:
    """One client per settings in a process, so the per-host politeness limit is shared by all tasks."""
    with _clients_lock:
        client = _clients.get(settings)
        if client is None:
            policy = FetchPolicy(
                user_agent=settings.user_agent,
                connect_timeout_s=settings.connect_timeout_s,
                read_timeout_s=settings.read_timeout_s,
                total_timeout_s=settings.total_timeout_s,
                max_body_bytes=settings.max_body_bytes,
                per_host_concurrency=settings.per_host_concurrency,
                retries=settings.retries,
                address_policy=AddressPolicy(
                    allow_private_network=settings.allow_private_network, allowed=settings.allow_hosts
                ),
            )
            client = _clients[settings] = HttpClient(policy)
        return client


def _failed_poll(feed_url: str, state: FeedState | None, now: datetime, *, error: str, kind: str | None,
                 status: int | None = None, retry_after: datetime | None = None) -> FeedPoll:
    failures = (state.consecutive_failures if state else 0) + 1
    retry_at = now + timedelta(seconds=failure_backoff(failures))
    # One failure may be a blip: only a feed that failed twice in a row is "broken" and makes
    # by-hand runs wait too. Scheduled runs wait out the backoff either way.
    backoff_until = retry_at if failures >= 2 else None
    return FeedPoll(
        feed_url=feed_url, polled=True, polled_at=now, status=status, ok=False, error=error, error_kind=kind,
        consecutive_failures=failures, backoff_until=backoff_until, retry_after_until=retry_after,
        next_poll_at=max(retry_at, retry_after) if retry_after else retry_at,
    )


# No task timeout: Prefect cannot interrupt a thread; the HTTP client enforces its own deadlines.
@task(name="poll-feed", retries=1, retry_delay_seconds=2, cache_policy=NO_CACHE)
def poll_feed(feed_url: str, state: FeedState | None, settings: FetchSettings, by_hand: bool,
              now: datetime) -> tuple[FeedPoll, ParsedFeed | None, dict]:
    """Fetch one feed (conditionally) and parse it. Failures come back as a FeedPoll, never raised."""
    logger = get_run_logger()
    should, reason = decide_poll(
        now,
        state.next_poll_at if state else None,
        state.retry_after_until if state else None,
        state.backoff_until if state else None,
        by_hand,
    )
    if not should:
        logger.info("skipping %s: %s", feed_url, reason)
        return FeedPoll(feed_url=feed_url, polled=False, skip_reason=reason), None, {}
    t0 = time.perf_counter()
    fetched = http_client(settings).get(
        feed_url, etag=state.etag if state else None, last_modified=state.last_modified if state else None,
        accept=FEED_ACCEPT,
    )
    t1 = time.perf_counter()
    timings = {"poll": t1 - t0, SPANS: [("poll", t0, t1)]}
    if not fetched.ok:
        logger.warning("feed %s failed: %s", feed_url, fetched.error)
        return _failed_poll(feed_url, state, now, error=fetched.error, kind=fetched.error_kind,
                            status=fetched.status, retry_after=fetched.retry_after), None, timings
    etag = fetched.headers.get("etag")
    last_modified = fetched.headers.get("last-modified")
    if fetched.not_modified:
        interval = _previous_interval(state, now)
        return FeedPoll(
            feed_url=feed_url, polled=True, polled_at=now, status=fetched.status, ok=True, etag=etag,
            last_modified=last_modified, next_poll_at=now + timedelta(seconds=interval), poll_interval_s=interval,
        ), None, timings
    parsed = parse_feed(fetched.body, feed_url=fetched.final_url, headers=fetched.headers)
    t2 = time.perf_counter()
    timings["parse"] = t2 - t1
    timings[SPANS].append(("parse", t1, t2))
    parsed = replace(parsed, feed_url=feed_url)
    if parsed.error:
        logger.warning("feed %s unusable: %s", feed_url, parsed.error)
        return _failed_poll(feed_url, state, now, error=parsed.error, kind="not_a_feed", status=fetched.status), None, timings
    warning = parsed.warning
    if fetched.permanent_redirect and fetched.final_url != feed_url:
        # Keep polling the configured URL (the story's config is the user's), but say where it moved.
        moved = f"feed moved permanently to {fetched.final_url}: update the story's feeds"
        warning = f"{warning}; {moved}" if warning else moved
    interval = int(next_poll_interval([e.published_at for e in parsed.entries if e.published_at], now))
    logger.info("feed %s: %d entries", feed_url, len(parsed.entries))
    return FeedPoll(
        feed_url=feed_url, polled=True, polled_at=now, status=fetched.status, ok=True, warning=warning,
        etag=etag, last_modified=last_modified, feed_title=parsed.title, poll_interval_s=interval,
        next_poll_at=now + timedelta(seconds=interval), entries_count=len(parsed.entries),
    ), parsed, timings


def _previous_interval(state: FeedState | None, now: datetime) -> int:
    """The feed's own publishing interval, as last measured (failures and Retry-After never change it)."""
    if state and state.poll_interval_s:
        return min(86400, max(300, int(state.poll_interval_s)))
    return 1800


@task(name="process-pages", retries=0, cache_policy=NO_CACHE)
def process_pages(items: list[WorkItem], seed, settings: FetchSettings, now: datetime) -> tuple[list[PageOutcome], dict]:
    """Fetch a batch of pages (concurrently, within the per-host limit), clean them and diff them."""
    client = http_client(settings)
    timings = {"fetch": 0.0, "clean": 0.0, "diff": 0.0}
    spans: list = []
    t0 = time.perf_counter()

    def fetch(item: WorkItem):
        prev = item.previous
        return client.get(item.url, etag=prev.etag if prev else None, last_modified=prev.last_modified if prev else None,
                          accept=HTML_ACCEPT)

    with ThreadPoolExecutor(max_workers=min(PAGE_WORKERS, len(items)) or 1) as pool:
        fetched = list(pool.map(fetch, items))
    t1 = time.perf_counter()
    timings["fetch"] = t1 - t0
    spans.append(("fetch", t0, t1))
    outcomes = [pipeline.analyse_page(item, result, seed, now, timings, spans) for item, result in zip(items, fetched)]
    timings[SPANS] = spans
    failed = [o for o in outcomes if not o.ok]
    if failed:
        get_run_logger().warning("%d of %d pages failed in this batch", len(failed), len(items))
    return outcomes, timings


def resolve_story(story: str | None, seed: str | None, title: str | None, published: str | None,
                  feeds: list[str] | None, allow_private_network: bool, allow_hosts: list[str] | None) -> StoryConfig:
    if story:
        config = load_story(story)
    elif seed:
        config = story_from_args(seed, title=title, published=published, feeds=feeds or [])
    else:
        raise StoryConfigError("give a story folder (--story) or a seed file (--seed) with --feed URLs")
    config = with_feeds(config, feeds if story else None, allow_hosts or (), allow_private_network)
    if not config.feeds:
        raise StoryConfigError(f"story {config.story_id!r} has no feeds to watch (add feeds to story.toml or pass --feed)")
    return config


# Stage timings. Tasks run on threads, so a stage's seconds summed over threads ("thread
# seconds") can exceed the run's wall time. Every piece of stage work is therefore also recorded
# as a (stage, start, end) span; a stage's wall time is the union of its spans, and time covered
# by no span at all is the framework's and the glue's (summary["timings"]["idle"]).
SPANS = "_spans"
STAGES = ("seed", "poll", "parse", "select", "fetch", "clean", "diff", "write")


def extract_checked_seed(config: StoryConfig):
    """The seed's facts; a seed with none cannot be followed, which is the user's to fix."""
    seed = facts.extract_seed(config.seed_text, title=config.title, published_at=config.published_at, hints=config.hints)
    if not seed.facts:
        raise StoryConfigError(
            f"no checkable facts found in the seed of story {config.story_id!r} ({config.source}): "
            "give the article's full text, not just a headline or a teaser"
        )
    return seed


def _add(total: dict, part: dict) -> None:
    for key, value in part.items():
        if key == SPANS:
            total.setdefault(SPANS, []).extend(value)
        else:
            total[key] = total.get(key, 0.0) + value


def _span(timings: dict, stage: str, t0: float) -> None:
    """Main-thread work on `stage` from t0 until now."""
    t1 = time.perf_counter()
    timings[stage] = timings.get(stage, 0.0) + t1 - t0
    timings.setdefault(SPANS, []).append((stage, t0, t1))


def _union(intervals) -> float:
    covered, end = 0.0, float("-inf")
    for a, b in sorted(intervals):
        if b <= end:
            continue
        covered += b - max(a, end)
        end = b
    return covered


def wall_timings(timings: dict, started: float, finished: float) -> tuple[dict, dict]:
    """(wall seconds per stage + total + busy + idle, thread seconds per stage)."""
    spans = timings.get(SPANS, [])
    wall = {stage: _union((a, b) for s, a, b in spans if s == stage) for stage in STAGES}
    wall["busy"] = _union((a, b) for _, a, b in spans)
    wall["total"] = finished - started
    wall["idle"] = max(0.0, wall["total"] - wall["busy"])
    threads = {k: v for k, v in timings.items() if k != SPANS}
    return wall, threads


@flow(name="monitor_story", task_runner=ThreadPoolTaskRunner(max_workers=8), timeout_seconds=3600)
def monitor_story(
    story: str | None = None,
    seed: str | None = None,
    title: str | None = None,
    published: str | None = None,
    feeds: list[str] | None = None,
    db: str | None = None,
    allow_private_network: bool = False,
    allow_hosts: list[str] | None = None,
    trigger: str = "manual",
) -> dict:
    """Monitor one story once. `trigger="schedule"` respects each feed's poll interval; a manual run
    checks every feed now, except those a server asked to wait or that are backing off."""
    config = resolve_story(story, seed, title, published, feeds, allow_private_network, allow_hosts)
    db_path = db or default_db_path()
    with run_lock(db_path, config.story_id):
        return run_story(config, db_path, trigger)


def run_story(config: StoryConfig, db_path: str, trigger: str) -> dict:
    logger = get_run_logger()
    started = time.perf_counter()
    timings: dict[str, float] = {}
    now = datetime.now(timezone.utc)
    run_id = now.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    settings = FetchSettings(
        allow_private_network=config.allow_private_network, allow_hosts=tuple(config.allow_hosts), contact=config.contact
    )

    t = time.perf_counter()
    seed = extract_checked_seed(config)
    _span(timings, "seed", t)

    t = time.perf_counter()
    with write_connection(db_path) as con:
        repo.save_story(
            con, story_id=config.story_id, title=config.title, published_at=config.published_at,
            seed_text=config.seed_text, sha=config.seed_sha256, config=config.as_json(), facts=seed.facts, now=now,
        )
        crashed = repo.start_run(
            con, run_id=run_id, story_id=config.story_id, flow_run_id=str(flow_run.id or ""), trigger=trigger, now=now
        )
        state = repo.load_run_state(con, config.story_id, recheck_since=now - timedelta(hours=config.recheck_hours))
    _span(timings, "write", t)
    if crashed:
        logger.warning("%d earlier run(s) of this story were interrupted; their unfinished work is picked up now", crashed)
    try:
        return _run_body(config, db_path, trigger, run_id, now, settings, seed, state, timings, started, logger)
    except Exception as exc:
        # Record the failure where users look; the next run redoes whatever was left pending.
        with contextlib.suppress(Exception), write_connection(db_path) as con:
            repo.finish_run(con, run_id=run_id, now=datetime.now(timezone.utc), status="failed", counts={},
                            timings=wall_timings(timings, started, time.perf_counter())[0], message=f"{type(exc).__name__}: {exc}")
        raise


def _run_body(config, db_path, trigger, run_id, now, settings, seed, state, timings, started, logger) -> dict:
    by_hand = trigger != "schedule"
    futures = [poll_feed.submit(url, state.feeds.get(url), settings, by_hand, now) for url in config.feeds]
    polls: list[FeedPoll] = []
    parsed: list[ParsedFeed] = []
    for url, future in zip(config.feeds, futures):
        try:
            poll, feed, part = future.result()
        except Exception as exc:  # a bug or timeout on one feed is that feed's error, not the run's
            poll, feed, part = _failed_poll(url, state.feeds.get(url), now, error=f"unexpected failure: {exc!r}",
                                            kind="internal"), None, {}
        polls.append(poll)
        _add(timings, part)
        if feed is not None:
            parsed.append(feed)

    t = time.perf_counter()
    rows, fresh, unchanged = pipeline.select_entries(seed, parsed, state.known_entries)
    # Pending work from earlier runs first (oldest first), then new entries, then re-checks.
    work = pipeline.merge_work(state.retry_items, fresh, state.recheck_items)
    deferred = max(0, len(work) - MAX_PAGES_PER_RUN)
    work = work[:MAX_PAGES_PER_RUN]
    if deferred:
        logger.warning("%d pages left pending for the next run (at most %d per run)", deferred, MAX_PAGES_PER_RUN)
    _span(timings, "select", t)
    t = time.perf_counter()
    with write_connection(db_path) as con:
        repo.record_polls(con, story_id=config.story_id, run_id=run_id, polls=polls, entries=rows, now=now)
        repo.touch_entries(con, story_id=config.story_id, urls=unchanged, now=now)
        work = pipeline.attach_previous(work, repo.previous_versions(con, config.story_id, [w.url for w in work]))
    _span(timings, "write", t)
    logger.info("%d feeds polled, %d new or changed entries, %d pages to fetch", sum(p.polled for p in polls), len(rows), len(work))
    batches = [work[i : i + PAGE_BATCH_SIZE] for i in range(0, len(work), PAGE_BATCH_SIZE)]
    futures = [process_pages.submit(batch, seed, settings, now) for batch in batches]
    outcomes: list[PageOutcome] = []
    for batch, future in zip(batches, futures):
        try:
            batch_outcomes, part = future.result()
        except Exception as exc:
            batch_outcomes, part = [
                PageOutcome(url=i.url, feed_url=i.feed_url, fetched_at=now, reason=i.reason, ok=False, attempts=i.attempts,
                            error=f"batch failed: {exc!r}", error_kind="internal")
                for i in batch
            ], {}
        outcomes.extend(batch_outcomes)
        _add(timings, part)

    t = time.perf_counter()
    pipeline.collapse_aliases(outcomes)
    pipeline.link_duplicates(outcomes, state.fingerprints)
    observations = pipeline.assign_developments(seed, outcomes, state.observations)
    statuses = facts.roll_up(seed, observations)
    _span(timings, "diff", t)

    counts = {
        "feeds_polled": sum(p.polled for p in polls),
        "feeds_skipped": sum(not p.polled for p in polls),
        "feeds_failed": sum(p.polled and not p.ok for p in polls),
        "entries_new": len(rows),
        "pages_fetched": sum(o.ok for o in outcomes),
        "pages_failed": sum(not o.ok for o in outcomes),
        "articles_relevant": sum(o.ok and o.changed and o.relevant for o in outcomes),
        "updates_found": sum(len(o.findings) for o in outcomes if o.ok),
        "alerts": sum(f.is_alert for o in outcomes if o.ok for f in o.findings),
    }
    t = time.perf_counter()
    stored_timings = {k: round(v, 4) for k, v in wall_timings(timings, started, t)[0].items()}
    with write_connection(db_path) as con:
        repo.record_results(
            con, story_id=config.story_id, run_id=run_id, outcomes=outcomes, statuses=statuses,
            now=datetime.now(timezone.utc), finish={"status": "completed", "counts": counts, "timings": stored_timings},
        )
        status_rows = repo.story_overview(con, config.story_id)["facts"]
        new_updates = repo.run_alerts(con, run_id)
        errors = repo.errors_for_run(con, run_id)
    _span(timings, "write", t)
    wall, thread_seconds = wall_timings(timings, started, time.perf_counter())

    summary = {
        "run_id": run_id, "story_id": config.story_id, "title": config.title, "trigger": trigger,
        "counts": counts, "timings": {k: round(v, 4) for k, v in wall.items()},
        "thread_seconds": {k: round(v, 4) for k, v in thread_seconds.items()},
        "skipped_feeds": {p.feed_url: p.skip_reason for p in polls if not p.polled},
        "pages_deferred": deferred,
        "errors": [{"stage": e["stage"], "url": e["url"], "message": e["message"]} for e in errors],
    }
    try:
        create_markdown_artifact(
            key=f"storywatch-{pipeline.artifact_key(config.story_id)}",
            markdown=run_artifact(summary, new_updates, status_rows),
            description=f"storywatch run {run_id}",
        )
    except Exception as exc:  # the artifact is a view; the data is already stored
        logger.warning("could not create the run artifact: %s", exc)
    logger.info(
        "run %s done in %.1fs: %d pages fetched, %d failed, %d findings, %d alerts",
        run_id, wall["total"], counts["pages_fetched"], counts["pages_failed"], counts["updates_found"], counts["alerts"],
    )
    return summary


if __name__ == "__main__":  # python -m flows.monitor --story seeds/<story> ...: the same as `storywatch run`
    import sys

    from flows.cli import main

    raise SystemExit(main(["run", *sys.argv[1:]]))
