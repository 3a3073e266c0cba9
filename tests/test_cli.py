"""The storywatch command as a user runs it: real processes, a real Prefect API, the replay on 127.0.0.1."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from flows.monitor import run_lock
from flows.report import safe_text
from tests.conftest import STORY_DIR

pytestmark = pytest.mark.usefixtures("prefect_server")
SEED_TEXT = (STORY_DIR / "seed.txt").read_text(encoding="utf-8")


def _env():
    from prefect.settings import PREFECT_API_URL

    env = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env["PREFECT_API_URL"] = PREFECT_API_URL.value()  # reuse the session's server: no temporary one per process
    return env


def storywatch(*args, check=True, timeout=300):
    proc = subprocess.run([sys.executable, "-m", "flows.cli", *map(str, args)], capture_output=True, text=True,
                          env=_env(), timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"storywatch {args} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def _table_counts(db):
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("stories", "articles", "updates", "runs", "feed_health")}


def test_by_hand_run_with_a_seed_file_fills_the_tables(tmp_path, replay, demo_feeds):
    seed = tmp_path / "seed.txt"
    seed.write_text("Title: Trade talks in London\nPublished: 2025-06-10T20:30:00Z\n\n" + SEED_TEXT, encoding="utf-8")
    db = tmp_path / "by-hand.duckdb"
    args = ["run", "--seed", seed, "--db", db, "--allow-host", "127.0.0.1"]
    for feed in demo_feeds[:2]:
        args += ["--feed", feed]
    out = storywatch(*args).stdout
    assert "run " in out and "seed facts" in out
    counts = _table_counts(db)
    assert counts["stories"] == 1 and counts["articles"] >= 3 and counts["updates"] > 0 and counts["feed_health"] == 2
    with duckdb.connect(str(db), read_only=True) as con:
        title, published = con.execute("SELECT title, seed_published_at FROM stories").fetchone()
    assert title == "Trade talks in London" and published.isoformat().startswith("2025-06-10T20:30")

    # The same seed text continues the same story; nothing new on the feeds adds nothing.
    storywatch(*args)
    again = _table_counts(db)
    assert again == {**counts, "runs": 2}

    status = json.loads(storywatch("status", "--db", db, "--json").stdout)
    assert len(status) == 1 and status[0]["story_id"].startswith("seed-") and len(status[0]["facts"]) >= 5
    updates = json.loads(storywatch("updates", "--db", db, "--since", "1h", "--json").stdout)
    assert updates and all(u["kind"] in ("updates", "contradicts", "new") for u in updates)


def test_reading_commands_do_not_import_prefect(tmp_path, replay, demo_feeds):
    db = tmp_path / "s.duckdb"
    storywatch("run", "--story", STORY_DIR, "--feed", demo_feeds[0], "--db", db, "--allow-host", "127.0.0.1")
    probe = (
        "import sys; from flows.cli import main\n"
        f"assert main(['status', '--db', {str(db)!r}]) == 0\n"
        f"assert main(['updates', '--db', {str(db)!r}, '--since', '2025-06-01']) == 0\n"
        f"assert main(['facts', '--story', {str(STORY_DIR)!r}]) == 0\n"
        f"assert main(['status', '--db', {str(db)!r}, '--story', {str(STORY_DIR)!r}]) == 0\n"
        "loaded = sorted(m for m in sys.modules if m == 'prefect' or m.startswith('prefect.'))\n"
        "assert not loaded, loaded\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=_env(), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "F01" in proc.stdout


def test_usage_errors_are_clear(tmp_path):
    proc = storywatch("run", "--seed", tmp_path / "missing.txt", "--feed", "http://127.0.0.1:9/x", check=False)
    assert proc.returncode == 2 and "seed file" in proc.stderr and "Traceback" not in proc.stderr
    proc = storywatch("run", "--story", STORY_DIR, "--feed", "ftp://example.org/feed", check=False)
    assert proc.returncode == 2 and "not an http(s) URL" in proc.stderr
    proc = storywatch("status", "--db", tmp_path / "none.duckdb", check=False)
    assert proc.returncode == 2 and "no storywatch database" in proc.stderr
    headline = tmp_path / "headline.txt"
    headline.write_text("Breaking news.\n\nMore to follow.\n")
    proc = storywatch("run", "--seed", headline, "--feed", "http://127.0.0.1:9/x", "--db", tmp_path / "h.duckdb", check=False)
    assert proc.returncode == 2 and "no checkable facts" in proc.stderr and "Traceback" not in proc.stderr


def test_a_second_run_of_the_same_story_is_refused_while_one_runs(tmp_path, replay, demo_feeds):
    db = tmp_path / "s.duckdb"
    with run_lock(str(db), "london-talks"):
        proc = storywatch("run", "--story", STORY_DIR, "--feed", demo_feeds[0], "--db", db,
                          "--allow-host", "127.0.0.1", check=False)
    assert proc.returncode == 3 and "in progress" in proc.stderr
    assert not db.exists() or _table_counts(db)["articles"] == 0


def test_kill_9_mid_run_then_rerun_matches_an_uninterrupted_run(tmp_path, replay, demo_feeds):
    reference = tmp_path / "reference.duckdb"
    crashed = tmp_path / "crashed.duckdb"
    base = ["--story", STORY_DIR, "--allow-host", "127.0.0.1"] + sum((["--feed", f] for f in demo_feeds), [])
    storywatch("run", *base, "--db", reference)

    replay.page_delay_s = 0.4
    replay.requests.clear()
    proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "run", *map(str, base), "--db", str(crashed)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env())
    deadline = time.monotonic() + 120
    while sum(p.startswith("/pages/") for p, _ in replay.requests) < 3:
        assert proc.poll() is None, "the run ended before it could be interrupted"
        assert time.monotonic() < deadline, "the run never reached the page fetches"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    replay.page_delay_s = 0.0

    with duckdb.connect(str(crashed), read_only=True) as con:  # consistent after the kill: it opens and reads
        pending = con.execute("SELECT count(*) FROM entries WHERE state = 'pending'").fetchone()[0]
        assert pending > 0, "the polled entries were stored before the pages were fetched"
    storywatch("run", *base, "--db", crashed)

    def snapshot(db):
        with duckdb.connect(str(db), read_only=True) as con:
            return {
                "articles": con.execute("SELECT url, version, content_hash, relevant FROM articles ORDER BY url").fetchall(),
                "updates": con.execute(
                    "SELECT article_url, kind, fact_id, evidence, is_alert FROM updates ORDER BY ALL").fetchall(),
                "status": con.execute("SELECT fact_id, state, evidence FROM latest_status ORDER BY fact_id").fetchall(),
                "entries": con.execute("SELECT url, state FROM entries ORDER BY url").fetchall(),
            }

    assert snapshot(crashed) == snapshot(reference)
    with duckdb.connect(str(crashed), read_only=True) as con:
        assert con.execute("SELECT status FROM runs ORDER BY started_at").fetchall() == [("crashed",), ("completed",)]


def test_terminal_output_escapes_control_characters():
    hostile = "Talks end\x1b[2J\x1b]0;pwned\x07 today\u202e"
    shown = safe_text(hostile)
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert shown.startswith("Talks end") and "today" in shown
