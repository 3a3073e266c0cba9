"""`storywatch demo`: a real monitoring run, offline.

Serves the bundled replay of the London talks coverage (demo/london-talks) on 127.0.0.1 and
runs the monitoring flow once per tick as the story develops, printing the status after each.
"""
from __future__ import annotations

import argparse
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEMO_ROOT = REPO / "demo" / "london-talks"
STORY_DIR = REPO / "seeds" / "london-talks"
FEEDS = ("feeds/world.rss", "feeds/markets.atom", "feeds/asia.rss")


def _fresh(db: Path) -> None:
    for path in [db, Path(f"{db}.wal"), *db.parent.glob(f"{db.name}.*.runlock")]:
        path.unlink(missing_ok=True)


def run_demo(db: str | None = None, ticks: int = 3) -> int:
    from flows.cli import cmd_status, print_run_summary
    from flows.monitor import monitor_story
    from flows.replay import ReplayServer
    from flows.report import KIND_MARK, safe_text
    from storage import repo
    from storage.db import read_connection

    db_path = Path(db or "demo.duckdb").resolve()
    _fresh(db_path)
    print(f"storywatch demo: replaying follow-up coverage of the London talks from {DEMO_ROOT.relative_to(REPO)}")
    print(f"database: {db_path}\n")
    with ReplayServer(DEMO_ROOT) as server:
        feeds = [server.url(f) for f in FEEDS]
        for tick in range(1, ticks + 1):
            server.tick = tick
            print(f"━━━ run {tick} of {ticks}: the replay now shows tick {tick} of the story ━━━")
            summary = monitor_story(
                story=str(STORY_DIR), feeds=feeds, db=str(db_path), trigger="manual",
                allow_hosts=[server.base_url.removeprefix("http://")],  # this one origin, not all of 127.0.0.1
            )
            print_run_summary(summary)
            with read_connection(db_path) as con:
                fresh = repo.run_alerts(con, summary["run_id"])
            print(f"\nnew developments in this run ({len(fresh)}):")
            for u in fresh:
                fact = f" {u['fact_id']}" if u["fact_id"] else ""
                print(f"  {KIND_MARK.get(u['kind'], ' ')} {u['kind']}{fact}: {safe_text(u['evidence'], 140)}")
            print()
            cmd_status(argparse.Namespace(db=str(db_path), story=summary["story_id"], json=False))
    print(f"Query it yourself: storywatch status --db {db_path}, storywatch updates --db {db_path},\n"
          f"or any DuckDB client on {db_path}: SELECT * FROM latest_status")
    return 0


if __name__ == "__main__":
    raise SystemExit(run_demo())
