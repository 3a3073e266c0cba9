"""storage/: migrations, the documented schema, lock handling and the write/read round trip."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta, timezone

import duckdb
import pytest

from facts.model import FactStatus, SeedFact
from storage import repo
from storage.db import DatabaseBusy, SchemaTooNew, migrate, read_connection, schema_version, write_connection
from storage.records import EntryRow, FeedPoll, PageOutcome, StoredFinding
from storage.schema import CURRENT_VERSION

NOW = datetime(2025, 6, 11, 12, 0, tzinfo=timezone.utc)


def test_migrate_creates_documented_interface_and_is_idempotent(tmp_path):
    db = tmp_path / "s.duckdb"
    with write_connection(db) as con:
        assert schema_version(con) == CURRENT_VERSION
        assert migrate(con) == CURRENT_VERSION  # a second migrate is a no-op
        assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == CURRENT_VERSION
        columns = {
            (t, c)
            for t, c in con.execute("SELECT table_name, column_name FROM information_schema.columns").fetchall()
        }
    documented = {
        "stories": ["story_id", "title", "seed_published_at"],
        "seed_facts": ["story_id", "fact_id", "text"],
        "articles": ["story_id", "url", "title", "published_at", "fetched_at", "feed_url", "relevant"],
        "updates": ["story_id", "article_url", "kind", "fact_id", "evidence", "published_at", "detected_at"],
        "latest_status": ["story_id", "fact_id", "fact_text", "state", "evidence", "article_url", "as_of"],
        "feed_health": ["feed_url", "last_status", "last_error", "next_poll_at"],
        "runs": ["run_id", "started_at", "finished_at", "status", "pages_fetched", "timings"],
    }
    for table, names in documented.items():
        for name in names:
            assert (table, name) in columns, f"{table}.{name} missing"


def test_newer_schema_is_refused(tmp_path):
    db = tmp_path / "s.duckdb"
    with write_connection(db) as con:
        con.execute("INSERT INTO schema_version VALUES (?, 'from the future', now())", [CURRENT_VERSION + 1])
    with pytest.raises(SchemaTooNew):
        with read_connection(db):
            pass


def test_reader_waits_for_a_writer_in_another_process(tmp_path):
    db = tmp_path / "s.duckdb"
    with write_connection(db):
        pass
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, time, sys
            con = duckdb.connect({str(db)!r})
            print("locked", flush=True)
            time.sleep(1.5)
            con.close()
        """)],
        stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    started = time.monotonic()
    with read_connection(db, wait_s=20) as con:  # retries until the writer lets go
        assert con.execute("SELECT 1").fetchone() == (1,)
    assert time.monotonic() - started > 0.3
    holder.wait(timeout=10)


def test_reader_gives_a_clear_error_when_the_lock_persists(tmp_path):
    db = tmp_path / "s.duckdb"
    with write_connection(db):
        pass
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('locked', flush=True); time.sleep(5)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(DatabaseBusy, match="locked by another storywatch process"):
            with read_connection(db, wait_s=0.5):
                pass
    finally:
        holder.kill()
        holder.wait()


def test_missing_database_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no storywatch database"):
        with read_connection(tmp_path / "nope.duckdb"):
            pass


def _facts():
    return [
        SeedFact("F01", 1, "Talks may extend to a third day.", "Talks may extend to a third day.", {"modality": "hedged"}),
        SeedFact("F02", 2, "A framework was reached.", "A framework was reached.", {}),
    ]


def _save(con, sha="abc"):
    repo.save_story(con, story_id="s1", title="T", published_at=NOW, seed_text="seed", sha=sha, config={"feeds": []},
                    facts=_facts(), now=NOW)


def test_round_trip_of_a_run(tmp_path):
    db = tmp_path / "s.duckdb"
    with write_connection(db) as con:
        _save(con)
        assert repo.start_run(con, run_id="r1", story_id="s1", flow_run_id="fr", trigger="manual", now=NOW) == 0
        poll = FeedPoll(feed_url="http://a/feed", polled=True, polled_at=NOW, status=200, ok=True, etag='"x"',
                        next_poll_at=NOW + timedelta(minutes=30), entries_count=1)
        bad = FeedPoll(feed_url="http://b/feed", polled=True, polled_at=NOW, status=503, ok=False,
                       error="HTTP 503", error_kind="http_5xx", consecutive_failures=1)
        entry = EntryRow(url="http://a/1", feed_url="http://a/feed", entry_key="1", title="t", summary="s",
                         published_at=NOW, content_hash="h1", state="pending", prefilter_score=0.9)
        repo.record_polls(con, story_id="s1", run_id="r1", polls=[poll, bad], entries=[entry], now=NOW)
        state = repo.load_run_state(con, "s1", recheck_since=NOW - timedelta(days=2))
        assert state.feeds["http://a/feed"].etag == '"x"'
        assert [i.url for i in state.retry_items] == ["http://a/1"]
        outcome = PageOutcome(
            url="http://a/1", feed_url="http://a/feed", fetched_at=NOW, reason="new", ok=True, changed=True,
            title="Talks end", text="The talks ended on the second day.", published_at=NOW, content_hash="c1",
            relevant=True, relevance_score=0.8, fingerprint=123,
            findings=[StoredFinding("updates", "F01", "The talks ended on the second day.", 0.9,
                                    [{"field": "status", "old": "may extend", "new": "ended"}], 0, "D1", True)],
        )
        statuses = [FactStatus("F01", "updated", "The talks ended on the second day.", "http://a/1", NOW)]
        repo.record_results(con, story_id="s1", run_id="r1", outcomes=[outcome], statuses=statuses, now=NOW,
                            finish={"status": "completed", "counts": {"pages_fetched": 1}, "timings": {"total": 1.0}})
    with read_connection(db) as con:
        rows = con.execute("SELECT fact_id, state, article_url FROM latest_status ORDER BY fact_id").fetchall()
        assert rows == [("F01", "updated", "http://a/1"), ("F02", "unconfirmed", None)]
        assert con.execute("SELECT relevant, version FROM articles").fetchall() == [(True, 1)]
        assert con.execute("SELECT state FROM entries").fetchall() == [("done",)]
        assert con.execute("SELECT status, pages_fetched FROM runs").fetchall() == [("completed", 1)]
        health = dict(con.execute("SELECT feed_url, last_error FROM feed_health").fetchall())
        assert health == {"http://a/feed": None, "http://b/feed": "HTTP 503"}
        assert con.execute("SELECT stage, url FROM errors").fetchall() == [("feed", "http://b/feed")]
        overview = repo.story_overview(con, "s1")
        assert overview["counts"]["alerts"] == 1
        assert [u["kind"] for u in repo.recent_updates(con, story_id="s1", since=None)] == ["updates"]


def test_failed_page_stays_pending_then_gives_up(tmp_path):
    db = tmp_path / "s.duckdb"
    with write_connection(db) as con:
        _save(con)
        entry = EntryRow(url="http://a/1", feed_url="f", entry_key="1", title="t", summary="s",
                         published_at=NOW, content_hash="h1", state="pending")
        repo.record_polls(con, story_id="s1", run_id="r0", polls=[], entries=[entry], now=NOW)
        for attempt in range(repo.MAX_PAGE_ATTEMPTS):
            run = f"r{attempt}"
            repo.start_run(con, run_id=run, story_id="s1", flow_run_id=None, trigger="manual", now=NOW)
            failed = PageOutcome(url="http://a/1", feed_url="f", fetched_at=NOW, reason="retry", ok=False,
                                 error="timed out", error_kind="timeout", attempts=attempt)
            repo.record_results(con, story_id="s1", run_id=run, outcomes=[failed], statuses=[], now=NOW,
                                finish={"status": "completed", "counts": {}, "timings": {}})
            state = con.execute("SELECT state, attempts FROM entries").fetchone()
            expected = "failed" if attempt + 1 >= repo.MAX_PAGE_ATTEMPTS else "pending"
            assert state == (expected, attempt + 1)
        assert con.execute("SELECT count(*) FROM errors WHERE error_kind = 'timeout'").fetchone()[0] == repo.MAX_PAGE_ATTEMPTS


def test_interrupted_runs_are_marked_crashed(tmp_path):
    with write_connection(tmp_path / "s.duckdb") as con:
        _save(con)
        repo.start_run(con, run_id="r1", story_id="s1", flow_run_id=None, trigger="manual", now=NOW)
        assert repo.start_run(con, run_id="r2", story_id="s1", flow_run_id=None, trigger="manual", now=NOW) == 1
        assert con.execute("SELECT run_id, status FROM runs ORDER BY run_id").fetchall() == [("r1", "crashed"), ("r2", "running")]


def test_seed_facts_replaced_only_when_seed_changes(tmp_path):
    with write_connection(tmp_path / "s.duckdb") as con:
        _save(con, sha="a")
        con.execute("UPDATE seed_facts SET details = '{\"kept\": true}'")
        _save(con, sha="a")
        assert con.execute("SELECT count(*) FROM seed_facts WHERE details->>'kept' = 'true'").fetchone()[0] == 2
        _save(con, sha="b")
        assert con.execute("SELECT count(*) FROM seed_facts WHERE details->>'kept' = 'true'").fetchone()[0] == 0


def test_one_article_through_two_links_in_one_run_gets_one_version(tmp_path):
    with write_connection(tmp_path / "s.duckdb") as con:
        _save(con)
        repo.start_run(con, run_id="r1", story_id="s1", flow_run_id=None, trigger="manual", now=NOW)
        entries = [EntryRow(url=u, feed_url="f", entry_key=u, title="t", summary="s", published_at=NOW,
                            content_hash=u, state="pending") for u in ("http://a/1", "http://a/out?id=1")]
        repo.record_polls(con, story_id="s1", run_id="r1", polls=[], entries=entries, now=NOW)
        outcomes = [
            PageOutcome(url=e.url, feed_url="f", fetched_at=NOW, reason="new", ok=True, changed=True,
                        article_url="http://a/1", title="T", text="Same text.", content_hash="c1", relevant=True)
            for e in entries
        ]
        repo.record_results(con, story_id="s1", run_id="r1", outcomes=outcomes, statuses=[], now=NOW,
                            finish={"status": "completed", "counts": {}, "timings": {}})
        assert con.execute("SELECT url, version FROM article_versions").fetchall() == [("http://a/1", 1)]
        assert con.execute("SELECT url, state, article_url FROM entries ORDER BY url").fetchall() == [
            ("http://a/1", "done", "http://a/1"), ("http://a/out?id=1", "done", "http://a/1")]
