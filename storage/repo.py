"""Every query storywatch runs. Callers pass a connection from storage.db and plain records."""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb

from storage.db import transaction
from storage.records import EntryRow, FeedPoll, FeedState, PageOutcome, PreviousVersion, WorkItem

MAX_PAGE_ATTEMPTS = 5


def _json(value) -> str | None:
    return None if value is None else json.dumps(value, default=str, ensure_ascii=False)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence = ()) -> list[dict]:
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


# ---------------------------------------------------------------- stories and seed facts


def seed_sha(con, story_id: str) -> str | None:
    row = con.execute("SELECT seed_sha256 FROM stories WHERE story_id = ?", [story_id]).fetchone()
    return row[0] if row else None


def save_story(con, *, story_id, title, published_at, seed_text, sha, config: dict, facts, now) -> None:
    """Insert or refresh a story; its seed facts are replaced only when the seed text changed."""
    with transaction(con):
        old_sha = seed_sha(con, story_id)
        if old_sha is None:
            con.execute(
                "INSERT INTO stories VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [story_id, title, published_at, seed_text, sha, _json(config), now, now],
            )
        else:
            con.execute(
                "UPDATE stories SET title = ?, seed_published_at = ?, seed_text = ?, seed_sha256 = ?,"
                " config = ?, updated_at = ? WHERE story_id = ?",
                [title, published_at, seed_text, sha, _json(config), now, story_id],
            )
        if old_sha != sha:
            con.execute("DELETE FROM seed_facts WHERE story_id = ?", [story_id])
        if old_sha != sha and facts:
            con.executemany(
                "INSERT INTO seed_facts VALUES (?, ?, ?, ?, ?, ?)",
                [[story_id, f.fact_id, f.ordinal, f.text, f.sentence, _json(f.details)] for f in facts],
            )


# ---------------------------------------------------------------- runs


def start_run(con, *, run_id, story_id, flow_run_id, trigger, now) -> int:
    """Record a new run; runs of this story still marked running were interrupted. Returns how many."""
    with transaction(con):
        crashed = con.execute(
            "UPDATE runs SET status = 'crashed', message = coalesce(message, 'interrupted; its work was redone by run ' || ?)"
            " WHERE story_id = ? AND status = 'running' RETURNING run_id",
            [run_id, story_id],
        ).fetchall()
        con.execute(
            "INSERT INTO runs (run_id, story_id, flow_run_id, trigger, status, started_at) VALUES (?, ?, ?, ?, 'running', ?)",
            [run_id, story_id, flow_run_id, trigger, now],
        )
    return len(crashed)


def finish_run(con, *, run_id, now, status, counts: dict, timings: dict, message: str | None = None) -> None:
    """Close a run that is still running (a finished run is never re-marked)."""
    con.execute(
        """UPDATE runs SET status = ?, finished_at = ?, feeds_polled = ?, feeds_skipped = ?, feeds_failed = ?,
               entries_new = ?, pages_fetched = ?, pages_failed = ?, articles_relevant = ?, updates_found = ?,
               alerts = ?, timings = ?, message = ? WHERE run_id = ? AND status = 'running'""",
        [
            status, now, counts.get("feeds_polled", 0), counts.get("feeds_skipped", 0), counts.get("feeds_failed", 0),
            counts.get("entries_new", 0), counts.get("pages_fetched", 0), counts.get("pages_failed", 0),
            counts.get("articles_relevant", 0), counts.get("updates_found", 0), counts.get("alerts", 0),
            _json(timings), message, run_id,
        ],
    )


# ---------------------------------------------------------------- what a run starts from


@dataclass
class RunState:
    feeds: dict[str, FeedState]
    known_entries: dict[str, tuple[str, str]]  # url -> (content_hash, state)
    retry_items: list[WorkItem]  # pending entries left by an earlier run (failed fetch or crash)
    recheck_items: list[WorkItem]  # relevant articles young enough to re-check for edits
    fingerprints: list[tuple[str, int]]  # (url, simhash) of stored articles
    observations: list[dict]  # stored findings of the story: every one about a seed fact (for the roll-up), and the
    # first of each distinct 'new' report (for the development index)


def load_run_state(con, story_id: str, *, recheck_since: datetime) -> RunState:
    feeds = {
        r["feed_url"]: FeedState(**r)
        for r in _rows(
            con,
            "SELECT feed_url, etag, last_modified, last_polled_at, next_poll_at, retry_after_until, backoff_until,"
            " consecutive_failures, poll_interval_s FROM feed_health WHERE story_id = ?",
            [story_id],
        )
    }
    known = {
        r["url"]: (r["content_hash"], r["state"])
        for r in _rows(con, "SELECT url, content_hash, state FROM entries WHERE story_id = ?", [story_id])
    }
    retry_items = [
        WorkItem(
            url=r["url"], feed_url=r["feed_url"], title=r["title"] or "", summary=r["summary"] or "",
            published_at=r["published_at"], reason="retry", attempts=r["attempts"],
        )
        for r in _rows(
            con,
            "SELECT url, feed_url, title, summary, published_at, attempts FROM entries"
            " WHERE story_id = ? AND state = 'pending' ORDER BY first_seen_at",
            [story_id],
        )
    ]
    recheck = [
        WorkItem(
            url=r["url"], feed_url=r["feed_url"], title=r["title"] or "", summary=r["summary"] or "",
            published_at=r["published_at"], reason="recheck", attempts=0,
        )
        for r in _rows(
            con,
            """SELECT a.url, a.feed_url, e.title, e.summary, coalesce(e.published_at, a.published_at) AS published_at
               FROM articles a LEFT JOIN entries e USING (story_id, url)
               WHERE a.story_id = ? AND a.relevant AND a.first_fetched_at >= ? ORDER BY a.url""",
            [story_id, recheck_since],
        )
    ]
    fingerprints = [
        (r["url"], r["fingerprint"])
        for r in _rows(
            con, "SELECT url, fingerprint FROM articles WHERE story_id = ? AND fingerprint IS NOT NULL", [story_id]
        )
    ]
    # The roll-up reads every finding about a seed fact; 'new' findings only feed the development
    # index, which needs each distinct report once (see flows.pipeline.assign_developments): repeats
    # of a 'new' report are not loaded, so a long story's history costs less to read and to hold.
    observations = _rows(
        con,
        """SELECT kind, fact_id, evidence, article_url, published_at, detected_at, development_id, is_alert
           FROM (SELECT *, row_number() OVER (PARTITION BY evidence, kind, fact_id ORDER BY update_id) AS nth
                 FROM updates WHERE story_id = ?)
           WHERE kind <> 'new' OR nth = 1 ORDER BY update_id""",
        [story_id],
    )
    return RunState(feeds, known, retry_items, recheck, fingerprints, observations)


def previous_versions(con, story_id: str, urls: Iterable[str]) -> dict[str, PreviousVersion]:
    """The latest stored version of each of these articles: only what this run will fetch, so the
    cost follows the new work, not the story's history."""
    urls = list(urls)
    if not urls:
        return {}
    return {
        r["url"]: PreviousVersion(
            version=r["version"], content_hash=r["content_hash"], text=r["text"] or "",
            etag=r["etag"], last_modified=r["last_modified"], first_fetched_at=r["first_fetched_at"],
        )
        for r in _rows(
            con,
            # A link may have led to an article stored under its own URL (entries.article_url).
            """WITH wanted AS (SELECT unnest(?::VARCHAR[]) AS link),
                    keyed AS (SELECT w.link, coalesce(e.article_url, w.link) AS key
                              FROM wanted w LEFT JOIN entries e ON e.story_id = ? AND e.url = w.link)
               SELECT k.link AS url, a.version, a.etag, a.last_modified, a.first_fetched_at, v.content_hash, v.text
               FROM keyed k
               JOIN articles a ON a.story_id = ? AND a.url = k.key
               JOIN article_versions v ON v.story_id = a.story_id AND v.url = a.url AND v.version = a.version""",
            [urls, story_id, story_id],
        )
    }


# ---------------------------------------------------------------- poll phase


def record_polls(con, *, story_id: str, run_id: str, polls: list[FeedPoll], entries: list[EntryRow], now) -> None:
    """Feed health and newly seen or changed entries, in one transaction, so no seen item is ever lost.
    Feed health is written set-based: one upsert for all polled feeds (a story's feeds are distinct)."""
    with transaction(con):
        # A warning is recorded in `errors` when it appears or changes, not again at every run.
        known_warnings = dict(
            con.execute("SELECT feed_url, last_warning FROM feed_health WHERE story_id = ?", [story_id]).fetchall()
        )
        _upsert_feed_health(con, story_id, [p for p in polls if p.polled])
        for p in polls:
            if not p.polled:
                con.execute(
                    "INSERT INTO feed_health (story_id, feed_url, consecutive_failures) VALUES (?, ?, 0)"
                    " ON CONFLICT DO NOTHING",
                    [story_id, p.feed_url],
                )
            elif not p.ok:
                add_error(con, story_id=story_id, run_id=run_id, at=now, stage="feed", url=p.feed_url,
                          kind=p.error_kind, message=p.error or "feed failed")
            elif p.warning and p.warning != known_warnings.get(p.feed_url):
                add_error(con, story_id=story_id, run_id=run_id, at=now, stage="feed-warning", url=p.feed_url,
                          kind="malformed_feed", message=p.warning)
        if entries:
            con.execute("CREATE OR REPLACE TEMP TABLE new_entries AS SELECT * FROM entries LIMIT 0")
            appender = con.appender("new_entries")
            appender.append_rows(
                [
                    (story_id, e.url, e.feed_url, e.entry_key, e.title, e.summary, e.published_at, e.content_hash,
                     now, now, e.state, e.prefilter_score, None, 0, None)
                    for e in entries
                ]
            )
            appender.flush()
            con.execute(
                """INSERT INTO entries SELECT * FROM new_entries
                   ON CONFLICT (story_id, url) DO UPDATE SET
                       title = excluded.title, summary = excluded.summary, published_at = excluded.published_at,
                       content_hash = excluded.content_hash, last_seen_at = excluded.last_seen_at,
                       state = excluded.state, prefilter_score = excluded.prefilter_score"""
            )
            con.execute("DROP TABLE new_entries")


def _upsert_feed_health(con, story_id: str, polled: list[FeedPoll]) -> None:
    if not polled:
        return
    _append_temp(
        con, "polled_feeds",
        "SELECT feed_url, feed_title, last_polled_at, last_ok_at, last_status, last_error, last_error_kind, last_warning,"
        " consecutive_failures, etag, last_modified, poll_interval_s, next_poll_at, retry_after_until, backoff_until,"
        " entries_last_poll FROM feed_health LIMIT 0",
        [
            (p.feed_url, p.feed_title, p.polled_at, p.polled_at if p.ok else None, p.status, p.error, p.error_kind,
             p.warning, p.consecutive_failures, p.etag, p.last_modified, p.poll_interval_s, p.next_poll_at,
             p.retry_after_until, p.backoff_until, p.entries_count)
            for p in polled
        ],
    )
    con.execute(
        """INSERT INTO feed_health (story_id, feed_url, feed_title, last_polled_at, last_ok_at, last_status,
               last_error, last_error_kind, last_warning, consecutive_failures, etag, last_modified,
               poll_interval_s, next_poll_at, retry_after_until, backoff_until, entries_last_poll)
           SELECT ?, * FROM polled_feeds
           ON CONFLICT (story_id, feed_url) DO UPDATE SET
               feed_title = coalesce(excluded.feed_title, feed_health.feed_title),
               last_polled_at = excluded.last_polled_at,
               last_ok_at = coalesce(excluded.last_ok_at, feed_health.last_ok_at),
               last_status = excluded.last_status,
               last_error = excluded.last_error,
               last_error_kind = excluded.last_error_kind,
               last_warning = excluded.last_warning,
               consecutive_failures = excluded.consecutive_failures,
               etag = coalesce(excluded.etag, feed_health.etag),
               last_modified = coalesce(excluded.last_modified, feed_health.last_modified),
               poll_interval_s = coalesce(excluded.poll_interval_s, feed_health.poll_interval_s),
               next_poll_at = excluded.next_poll_at,
               retry_after_until = excluded.retry_after_until,
               backoff_until = excluded.backoff_until,
               entries_last_poll = excluded.entries_last_poll""",
        [story_id],
    )
    con.execute("DROP TABLE polled_feeds")


def touch_entries(con, *, story_id: str, urls: Iterable[str], now) -> None:
    """Entries seen again unchanged: only their last_seen_at moves."""
    urls = list(urls)
    if urls:
        con.execute(
            "UPDATE entries SET last_seen_at = ? WHERE story_id = ? AND url IN (SELECT unnest(?::VARCHAR[]))",
            [now, story_id, urls],
        )


def add_error(con, *, story_id, run_id, at, stage, url, kind, message) -> None:
    con.execute(
        "INSERT INTO errors VALUES (?, ?, ?, ?, ?, ?, ?)", [story_id, run_id, at, stage, url, kind, message]
    )


# ---------------------------------------------------------------- results phase


def record_results(
    con, *, story_id: str, run_id: str, outcomes: list[PageOutcome], statuses: list, now,
    finish: dict,
) -> None:
    """Articles, versions, findings, fact status and the run's row: one transaction.

    Set-based: a few statements per run whatever the number of pages (appender into temp tables,
    then UPDATE ... FROM / INSERT ... SELECT), not several statements per page."""
    with transaction(con):
        update_rows = _record_pages(con, story_id, run_id, outcomes, now)
        if update_rows:
            con.execute(
                "CREATE OR REPLACE TEMP TABLE new_updates AS SELECT * EXCLUDE (update_id) FROM updates LIMIT 0"
            )
            appender = con.appender("new_updates")
            appender.append_rows(update_rows)
            appender.flush()
            con.execute("INSERT INTO updates BY NAME SELECT * FROM new_updates")
            con.execute("DROP TABLE new_updates")
        con.execute("DELETE FROM fact_status WHERE story_id = ?", [story_id])
        if statuses:
            con.executemany(
                "INSERT INTO fact_status VALUES (?, ?, ?, ?, ?, ?, ?)",
                [[story_id, s.fact_id, s.state, s.evidence, s.article_url, s.as_of, now] for s in statuses],
            )
        finish_run(con, run_id=run_id, now=now, **finish)


_UPSERT_ARTICLE = """ON CONFLICT (story_id, url) DO UPDATE SET
                       title = excluded.title, published_at = coalesce(articles.published_at, excluded.published_at),
                       modified_at = excluded.modified_at, fetched_at = excluded.fetched_at,
                       relevant = excluded.relevant, relevance_score = excluded.relevance_score,
                       relevance_reason = excluded.relevance_reason, version = excluded.version,
                       content_hash = excluded.content_hash, fingerprint = excluded.fingerprint,
                       final_url = excluded.final_url, site_name = excluded.site_name, authors = excluded.authors,
                       language = excluded.language, etag = excluded.etag, last_modified = excluded.last_modified"""


def _article_row(story_id: str, key: str, version: int, o: PageOutcome) -> tuple:
    return (
        story_id, key, o.title, o.published_at, o.modified_at, o.fetched_at, o.fetched_at, o.feed_url,
        o.relevant, o.relevance_score, o.relevance_reason, version, o.content_hash, o.fingerprint,
        o.duplicate_of, o.final_url, o.site_name, _json(list(o.authors)), o.language, o.etag, o.last_modified,
    )


def _finding_rows(story_id: str, key: str, version: int, o: PageOutcome, now, run_id: str) -> list[tuple]:
    return [
        (story_id, key, version, f.kind, f.fact_id, f.evidence, f.confidence, _json(f.changes),
         f.sentence_index, f.development_id, f.is_alert, o.published_at, now, run_id)
        for f in o.findings
    ]


def _append_temp(con, name: str, like_sql: str, rows: list[tuple]) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {like_sql}")
    if rows:
        appender = con.appender(name)
        appender.append_rows(rows)
        appender.flush()


def _record_pages(con, story_id: str, run_id: str, outcomes: list[PageOutcome], now) -> list[tuple]:
    """One article reached through several links in a run gets at most one new version (the first
    changed outcome, in order); the other links only mark their entries done and touch it."""
    ok = [o for o in outcomes if o.ok]
    latest = {}
    if ok:
        latest = {
            url: (version, digest)
            for url, version, digest in con.execute(
                "SELECT url, version, content_hash FROM articles WHERE story_id = ? AND url IN (SELECT unnest(?::VARCHAR[]))",
                [story_id, [o.key for o in ok]],
            ).fetchall()
        }
    states, errors, versions, articles, update_rows = [], [], [], [], []
    touches: dict[str, tuple] = {}
    versioned: set[str] = set()
    for o in outcomes:
        if not o.ok:
            attempts = o.attempts + 1
            state = "failed" if attempts >= MAX_PAGE_ATTEMPTS else "pending"
            states.append((o.url, attempts, o.error, state, None))
            errors.append((story_id, run_id, now, o.stage, o.url, o.error_kind, o.error or "failed"))
            continue
        key = o.key
        states.append((o.url, None, None, "done", o.article_url))
        before = latest.get(key)
        # Unchanged, or the same text reached through another link: nothing new to store.
        if o.not_modified or not o.changed or (before and before[1] == o.content_hash) or key in versioned:
            touches[key] = (key, o.fetched_at, o.etag, o.last_modified)
            continue
        versioned.add(key)
        version = (before[0] if before else 0) + 1
        versions.append((story_id, key, version, o.fetched_at, o.content_hash, o.title, o.text, run_id))
        articles.append(_article_row(story_id, key, version, o))
        update_rows.extend(_finding_rows(story_id, key, version, o, now, run_id))
    if states:
        _append_temp(con, "page_states", "SELECT url, attempts, last_error, state, article_url FROM entries LIMIT 0", states)
        con.execute(
            """UPDATE entries SET attempts = coalesce(p.attempts, entries.attempts), last_error = p.last_error,
                   state = p.state, article_url = coalesce(p.article_url, entries.article_url)
               FROM page_states p WHERE entries.story_id = ? AND entries.url = p.url""",
            [story_id],
        )
        con.execute("DROP TABLE page_states")
    if errors:
        _append_temp(con, "page_errors", "SELECT * FROM errors LIMIT 0", errors)
        con.execute("INSERT INTO errors SELECT * FROM page_errors")
        con.execute("DROP TABLE page_errors")
    if touches:
        _append_temp(con, "page_touches", "SELECT url, fetched_at, etag, last_modified FROM articles LIMIT 0",
                     list(touches.values()))
        con.execute(
            """UPDATE articles SET fetched_at = t.fetched_at, etag = coalesce(t.etag, articles.etag),
                   last_modified = coalesce(t.last_modified, articles.last_modified)
               FROM page_touches t WHERE articles.story_id = ? AND articles.url = t.url""",
            [story_id],
        )
        con.execute("DROP TABLE page_touches")
    if versions:
        _append_temp(con, "page_versions", "SELECT * FROM article_versions LIMIT 0", versions)
        con.execute("INSERT INTO article_versions SELECT * FROM page_versions")
        con.execute("DROP TABLE page_versions")
        _append_temp(con, "page_articles", "SELECT * FROM articles LIMIT 0", articles)
        con.execute("INSERT INTO articles SELECT * FROM page_articles " + _UPSERT_ARTICLE)
        con.execute("DROP TABLE page_articles")
    return update_rows


# ---------------------------------------------------------------- reads for the CLI


def list_stories(con) -> list[dict]:
    return _rows(
        con,
        """SELECT s.story_id, s.title, s.seed_published_at,
                  (SELECT max(started_at) FROM runs r WHERE r.story_id = s.story_id) AS last_run_at
           FROM stories s ORDER BY last_run_at DESC NULLS LAST, s.story_id""",
    )


def story_overview(con, story_id: str) -> dict | None:
    rows = _rows(con, "SELECT story_id, title, seed_published_at FROM stories WHERE story_id = ?", [story_id])
    if not rows:
        return None
    overview = rows[0]
    overview["last_run"] = next(
        iter(_rows(con, "SELECT * FROM runs WHERE story_id = ? ORDER BY started_at DESC LIMIT 1", [story_id])), None
    )
    overview["counts"] = _rows(
        con,
        """SELECT (SELECT count(*) FROM articles WHERE story_id = $1) AS articles,
                  (SELECT count(*) FROM articles WHERE story_id = $1 AND relevant) AS relevant_articles,
                  (SELECT count(*) FROM updates WHERE story_id = $1) AS findings,
                  (SELECT count(*) FROM updates WHERE story_id = $1 AND is_alert) AS alerts,
                  (SELECT count(*) FROM runs WHERE story_id = $1) AS runs""",
        [story_id],
    )[0]
    overview["facts"] = _rows(
        con, "SELECT * FROM latest_status WHERE story_id = ? ORDER BY ordinal", [story_id]
    )
    overview["feeds"] = _rows(
        con,
        "SELECT feed_url, last_status, last_error, consecutive_failures, last_polled_at, next_poll_at"
        " FROM feed_health WHERE story_id = ? ORDER BY feed_url",
        [story_id],
    )
    return overview


def recent_updates(con, *, story_id: str | None, since: datetime | None, limit: int = 50,
                   alerts_only: bool = True) -> list[dict]:
    return _rows(
        con,
        """SELECT u.story_id, u.kind, u.fact_id, f.text AS fact_text, u.evidence, u.changes, u.article_url,
                  a.title AS article_title, u.published_at, u.detected_at, u.development_id, u.is_alert,
                  (SELECT count(DISTINCT article_url) FROM updates d
                    WHERE d.story_id = u.story_id AND d.development_id = u.development_id) AS sources
           FROM updates u
           LEFT JOIN seed_facts f ON f.story_id = u.story_id AND f.fact_id = u.fact_id
           LEFT JOIN articles a ON a.story_id = u.story_id AND a.url = u.article_url
           WHERE ($1::VARCHAR IS NULL OR u.story_id = $1)
             AND ($2::TIMESTAMPTZ IS NULL OR u.detected_at >= $2 OR u.published_at >= $2)
             AND (NOT $3 OR u.is_alert)
           ORDER BY u.published_at DESC NULLS LAST, u.update_id DESC
           LIMIT $4""",
        [story_id, since, alerts_only, limit],
    )


def errors_for_run(con, run_id: str) -> list[dict]:
    return _rows(con, "SELECT * FROM errors WHERE run_id = ? ORDER BY occurred_at", [run_id])


def run_alerts(con, run_id: str) -> list[dict]:
    """The alerts a run raised: first reports of developments, oldest publication first."""
    return _rows(
        con,
        "SELECT kind, fact_id, evidence, article_url, published_at FROM updates"
        " WHERE run_id = ? AND is_alert ORDER BY published_at NULLS LAST, update_id",
        [run_id],
    )
