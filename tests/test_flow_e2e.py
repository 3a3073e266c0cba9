"""The whole flow through Prefect, against the London talks replay on 127.0.0.1, checked in DuckDB."""
from __future__ import annotations

import duckdb
import pytest

from flows.monitor import monitor_story
from tests.conftest import STORY_DIR

pytestmark = pytest.mark.usefixtures("prefect_server")


def _run(db, feeds, **kw):
    return monitor_story(story=str(STORY_DIR), feeds=feeds, db=str(db), allow_hosts=["127.0.0.1"], **kw)


def _counts(db):
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("articles", "article_versions", "updates", "entries", "seed_facts")
        }


def test_story_develops_over_three_ticks(tmp_path, replay, demo_feeds):
    db = tmp_path / "story.duckdb"
    first = _run(db, demo_feeds)
    assert first["counts"]["feeds_failed"] == 0 and first["counts"]["pages_failed"] == 0
    assert first["counts"]["pages_fetched"] >= 5
    after_first = _counts(db)
    assert after_first["seed_facts"] >= 5 and after_first["updates"] > 0

    # Nothing new on the feeds: nothing is added, and the feeds answer 304 to our validators.
    replay.requests.clear()
    again = _run(db, demo_feeds)
    assert _counts(db) == after_first
    assert again["counts"]["entries_new"] == 0 and again["counts"]["alerts"] == 0
    feed_answers = [status for path, status in replay.requests if path.startswith("/feeds/")]
    assert feed_answers == [304, 304, 304]

    replay.tick = 2
    _run(db, demo_feeds)
    replay.tick = 3
    _run(db, demo_feeds)
    with duckdb.connect(str(db), read_only=True) as con:
        # The page edited in tick 2 is kept as a second version, not a new article.
        versions = con.execute(
            "SELECT version FROM article_versions WHERE url LIKE '%us-china-london-talks-end-with-framework%' ORDER BY version"
        ).fetchall()
        assert versions == [(1,), (2,)]
        assert con.execute("SELECT count(*) FROM articles WHERE url LIKE '%us-china-london-talks-end-with-framework%'").fetchone()[0] == 1
        # The tracking parameters in feed links are gone from stored URLs.
        assert con.execute("SELECT count(*) FROM articles WHERE url LIKE '%utm_%'").fetchone()[0] == 0
        kinds = {k for (k,) in con.execute("SELECT DISTINCT kind FROM updates").fetchall()}
        assert kinds <= {"confirms", "updates", "contradicts", "new"} and "updates" in kinds
        # Every fact-bearing finding names a seed fact that exists; 'new' names none.
        assert con.execute(
            "SELECT count(*) FROM updates u LEFT JOIN seed_facts f USING (story_id, fact_id)"
            " WHERE (u.kind = 'new') <> (u.fact_id IS NULL) OR (u.fact_id IS NOT NULL AND f.fact_id IS NULL)"
        ).fetchone()[0] == 0
        states = dict(con.execute("SELECT state, count(*) FROM latest_status GROUP BY state").fetchall())
        assert states.get("updated", 0) >= 1
        assert con.execute("SELECT count(*) FROM latest_status").fetchone()[0] == _counts(db)["seed_facts"]
        runs = con.execute("SELECT status, count(*) FROM runs GROUP BY status").fetchall()
        assert runs == [("completed", 4)]
        # Evidence is stored with provenance: the article, its version and publication time.
        assert con.execute(
            "SELECT count(*) FROM updates WHERE evidence = '' OR article_url IS NULL OR article_version IS NULL"
        ).fetchone()[0] == 0


def test_broken_feeds_are_recorded_and_the_run_goes_on(tmp_path, replay, demo_feeds):
    db = tmp_path / "story.duckdb"
    missing = replay.url("feeds/gone.rss")
    not_a_feed = replay.url("pages/what-is-in-the-us-china-london-framework.html")
    internal = "http://127.0.0.2:9/feed.xml"  # loopback but not allowed: must be refused, not fetched
    summary = _run(db, [*demo_feeds, missing, not_a_feed, internal])
    assert summary["counts"]["feeds_failed"] == 3
    assert summary["counts"]["pages_fetched"] >= 5
    with duckdb.connect(str(db), read_only=True) as con:
        health = dict(con.execute("SELECT feed_url, last_error_kind FROM feed_health WHERE last_error IS NOT NULL").fetchall())
        assert set(health) == {missing, not_a_feed, internal}
        assert health[internal] == "refused_address"
        assert con.execute("SELECT status FROM runs").fetchall() == [("completed",)]
        errors = con.execute("SELECT url FROM errors WHERE stage = 'feed'").fetchall()
        assert {u for (u,) in errors} == {missing, not_a_feed, internal}


def test_failed_pages_are_retried_by_the_next_run(tmp_path, replay, demo_feeds):
    db = tmp_path / "story.duckdb"
    replay.fail_paths = {"/pages/greer-says-no-further-meetings-scheduled.html"}
    first = _run(db, demo_feeds)
    assert first["counts"]["pages_failed"] == 1
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT state, attempts FROM entries WHERE url LIKE '%greer-says%'").fetchall() == [("pending", 1)]
    replay.fail_paths = set()
    second = _run(db, demo_feeds)
    assert second["counts"]["pages_failed"] == 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT state FROM entries WHERE url LIKE '%greer-says%'").fetchall() == [("done",)]
        assert con.execute("SELECT count(*) FROM articles WHERE url LIKE '%greer-says%'").fetchone()[0] == 1


def test_one_article_reached_through_several_links_is_stored_once(tmp_path, prefect_server):
    from flows.replay import ReplayServer
    from tests.conftest import DEMO_ROOT

    page = "us-china-london-talks-end-with-framework.html"
    root = tmp_path / "replay"
    (root / "tick1" / "feeds").mkdir(parents=True)
    (root / "tick1" / "pages").mkdir()
    (root / "tick1" / "pages" / page).write_bytes((DEMO_ROOT / "tick1" / "pages" / page).read_bytes())
    items = "".join(
        f"<item><title>US and China end London talks with a framework</title><link>{{{{BASE}}}}{link}</link>"
        f"<guid>{guid}</guid><description>Negotiators agreed a framework on rare earths and export controls.</description>"
        "<pubDate>Tue, 10 Jun 2025 23:40:00 +0000</pubDate></item>"
        for guid, link in [("a", f"/pages/{page}"), ("b", "/out/click?id=42"), ("c", f"/pages/{page}?utm_source=rss#top")]
    )
    (root / "tick1" / "feeds" / "one.rss").write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>One</title>{items}</channel></rss>', encoding="utf-8")
    (root / "tick1" / "feeds" / "two.rss").write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Two</title>{items}</channel></rss>', encoding="utf-8")
    db = tmp_path / "story.duckdb"
    with ReplayServer(root) as server:
        server.redirects["/out/click"] = f"/pages/{page}"
        feeds = [server.url("feeds/one.rss"), server.url("feeds/two.rss")]
        _run(db, feeds)
        _run(db, feeds)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT url FROM articles").fetchall() == [(server.url(f"pages/{page}"),)]
        assert con.execute("SELECT count(*) FROM article_versions").fetchone()[0] == 1
        # Two distinct links (the direct one, tracking parameters removed, and the redirect) both lead to it.
        links = con.execute("SELECT url, article_url FROM entries ORDER BY url").fetchall()
        assert len(links) == 2 and {a for _, a in links} == {server.url(f"pages/{page}")}
        # Each finding is stored once, not once per link (a sentence may carry findings on several facts).
        repeated = con.execute(
            "SELECT evidence, kind, fact_id, count(*) FROM updates GROUP BY ALL HAVING count(*) > 1").fetchall()
        assert repeated == []


def test_scheduled_runs_follow_each_feeds_poll_interval(tmp_path, replay, demo_feeds):
    db = tmp_path / "story.duckdb"
    first = _run(db, demo_feeds, trigger="schedule")
    assert first["counts"]["feeds_polled"] == 3
    replay.requests.clear()
    second = _run(db, demo_feeds, trigger="schedule")
    assert second["counts"]["feeds_polled"] == 0 and second["counts"]["feeds_skipped"] == 3
    assert all("not due until" in reason for reason in second["skipped_feeds"].values())
    assert not [p for p, _ in replay.requests if p.startswith("/feeds/")]
    with duckdb.connect(str(db), read_only=True) as con:
        intervals = [i for (i,) in con.execute("SELECT poll_interval_s FROM feed_health").fetchall()]
    assert intervals and all(300 <= i <= 86400 for i in intervals)
    # A by-hand run means "check now", whatever the schedule says.
    by_hand = _run(db, demo_feeds)
    assert by_hand["counts"]["feeds_polled"] == 3


def test_a_feed_that_moved_permanently_is_followed_and_flagged(tmp_path, replay, demo_feeds):
    db = tmp_path / "story.duckdb"
    old = replay.url("old/world.rss")
    replay.redirects["/old/world.rss"] = "/feeds/world.rss"
    replay.redirect_status = 301
    summary = _run(db, [old])
    assert summary["counts"]["feeds_failed"] == 0 and summary["counts"]["pages_fetched"] >= 1
    with duckdb.connect(str(db), read_only=True) as con:
        warning = con.execute("SELECT last_warning FROM feed_health WHERE feed_url = ?", [old]).fetchone()[0]
    assert "moved permanently" in warning and demo_feeds[0] in warning
    _run(db, [old])  # the same warning again is not recorded again
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM errors WHERE stage = 'feed-warning'").fetchone()[0] == 1


def test_a_backlog_is_worked_off_in_bounded_runs(tmp_path, replay, demo_feeds, monkeypatch):
    import flows.monitor

    monkeypatch.setattr(flows.monitor, "MAX_PAGES_PER_RUN", 3)
    db = tmp_path / "story.duckdb"
    first = _run(db, demo_feeds)
    assert first["counts"]["pages_fetched"] == 3 and first["pages_deferred"] > 0
    with duckdb.connect(str(db), read_only=True) as con:
        pending = con.execute("SELECT count(*) FROM entries WHERE state = 'pending'").fetchone()[0]
    assert pending == first["pages_deferred"]
    runs = 1
    while pending and runs < 10:
        _run(db, demo_feeds)
        runs += 1
        with duckdb.connect(str(db), read_only=True) as con:
            pending = con.execute("SELECT count(*) FROM entries WHERE state = 'pending'").fetchone()[0]
    assert pending == 0
    monkeypatch.setattr(flows.monitor, "MAX_PAGES_PER_RUN", 600)
    reference = tmp_path / "reference.duckdb"
    _run(reference, demo_feeds)
    with duckdb.connect(str(db), read_only=True) as a, duckdb.connect(str(reference), read_only=True) as b:
        query = "SELECT url, content_hash FROM articles ORDER BY url"
        assert a.execute(query).fetchall() == b.execute(query).fetchall()
