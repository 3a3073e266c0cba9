"""The `storywatch` command. Commands that need no flow (status, updates, facts, clean) never
import Prefect, so they answer in a fraction of a second."""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from datetime import datetime, timedelta, timezone

from flows.report import KIND_MARK, STATE_MARK, safe_text, when
from flows.settings import default_db_path

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3


def _quiet_prefect() -> None:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    # The temporary API server a process starts without PREFECT_API_URL can need more than
    # Prefect's default 20 s on a busy 2-core machine (its first start creates the database).
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


def parse_since(value: str | None) -> datetime | None:
    """ISO-8601, or a span back from now: 30m, 6h, 2d, 1w."""
    if not value:
        return None
    m = re.fullmatch(r"\s*(\d+)\s*([mhdw])\s*", value)
    if m:
        unit = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}[m.group(2)]
        return datetime.now(timezone.utc) - timedelta(**{unit: int(m.group(1))})
    from flows.story import parse_time

    return parse_time(value, "--since")


def _story_id(story: str | None) -> str | None:
    """--story takes a story id, or a story folder (as `run --story` does)."""
    if story and os.path.isfile(os.path.join(story, "story.toml")):
        from flows.story import load_story

        return load_story(story).story_id
    return story


# ---------------------------------------------------------------- commands


def cmd_run(args) -> int:
    _quiet_prefect()
    from flows.monitor import RunInProgress, extract_checked_seed, monitor_story, resolve_story
    from flows.story import StoryConfigError

    if not args.story and not args.seed:
        print("storywatch run: give --story DIR, or --seed FILE with one or more --feed URL", file=sys.stderr)
        return EXIT_USAGE
    try:
        # Check the story before starting a flow run, so a typo is a usage error, not a failed run.
        extract_checked_seed(resolve_story(args.story, args.seed, args.title, args.published, args.feed or None,
                                           args.allow_private_network, args.allow_host or None))
        summary = monitor_story(
            story=args.story, seed=args.seed, title=args.title, published=args.published, feeds=args.feed or None,
            db=args.db, allow_private_network=args.allow_private_network, allow_hosts=args.allow_host or None,
            trigger="manual",
        )
    except StoryConfigError as exc:
        print(f"storywatch run: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except RunInProgress as exc:
        print(f"storywatch run: {exc}", file=sys.stderr)
        return EXIT_BUSY
    if args.json:
        print(json.dumps(summary, default=str, indent=2))
        return EXIT_OK
    print_run_summary(summary)
    print()
    return cmd_status(argparse.Namespace(db=args.db, story=summary["story_id"], json=False))


def print_run_summary(summary: dict) -> None:
    c = summary["counts"]
    print(
        f"run {summary['run_id']} of {summary['story_id']}: {c['feeds_polled']} feeds polled "
        f"({c['feeds_failed']} failed, {c['feeds_skipped']} skipped), {c['entries_new']} new or changed entries, "
        f"{c['pages_fetched']} pages fetched ({c['pages_failed']} failed), {c['alerts']} alerts, "
        f"{summary['timings'].get('total', 0):.1f}s"
    )
    for url, reason in summary.get("skipped_feeds", {}).items():
        print(f"  skipped {safe_text(url)}: {safe_text(reason)}")
    for e in summary.get("errors", [])[:20]:
        print(f"  error [{e['stage']}] {safe_text(e['url'], 100)}: {safe_text(e['message'], 160)}")


def cmd_status(args) -> int:
    from storage import repo
    from storage.db import read_connection

    db = args.db or default_db_path()
    args.story = _story_id(args.story)
    try:
        with read_connection(db) as con:
            stories = [args.story] if args.story else [s["story_id"] for s in repo.list_stories(con)]
            overviews = [repo.story_overview(con, s) for s in stories]
    except FileNotFoundError as exc:
        print(f"storywatch status: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.story and overviews == [None]:
        print(f"storywatch status: no story {args.story!r} in {db}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(json.dumps([o for o in overviews if o], default=str, indent=2))
        return EXIT_OK
    if not overviews:
        print(f"no stories in {db} yet")
    for overview in overviews:
        if overview:
            print_status(overview)
    return EXIT_OK


def print_status(o: dict) -> None:
    c, run = o["counts"], o["last_run"]
    print(f"== {safe_text(o['title'] or o['story_id'])}  [{o['story_id']}]")
    print(f"   seed published {when(o['seed_published_at'])} · {c['runs']} runs · {c['relevant_articles']} relevant articles "
          f"of {c['articles']} · {c['findings']} findings · {c['alerts']} alerts")
    if run:
        print(f"   last run {when(run['started_at'])}: {run['status']}, {run['pages_fetched'] or 0} pages fetched, "
              f"{run['pages_failed'] or 0} failed, {run['alerts'] or 0} alerts")
    print("   seed facts (state, as of the newest evidence by publication time):")
    for f in o["facts"]:
        mark = STATE_MARK.get(f["state"], " ")
        print(f"   {mark} {f['fact_id']:<4} {f['state']:<12} {safe_text(f['fact_text'], 110)}")
        if f["evidence"]:
            print(f"          ↳ {safe_text(f['evidence'], 150)}")
            print(f"            {safe_text(f['article_url'], 120)} ({when(f['as_of'])})")
    bad = [f for f in o["feeds"] if f["last_error"]]
    print(f"   feeds: {len(o['feeds'])} watched, {len(bad)} failing")
    for f in bad:
        print(f"   ! {safe_text(f['feed_url'], 90)}: {safe_text(f['last_error'], 120)} "
              f"({f['consecutive_failures']} in a row; next try {when(f['next_poll_at'])})")
    print()


def cmd_updates(args) -> int:
    from storage import repo
    from storage.db import read_connection

    db = args.db or default_db_path()
    args.story = _story_id(args.story)
    try:
        since = parse_since(args.since)
        with read_connection(db) as con:
            rows = repo.recent_updates(con, story_id=args.story, since=since, limit=args.limit, alerts_only=not args.all)
    except (FileNotFoundError, ValueError) as exc:
        print(f"storywatch updates: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(json.dumps(rows, default=str, indent=2))
        return EXIT_OK
    if not rows:
        print("no updates" + (f" since {when(since)}" if since else ""))
    for u in rows:
        fact = f" {u['fact_id']}" if u["fact_id"] else ""
        sources = f" [{u['sources']} sources]" if (u["sources"] or 0) > 1 else ""
        print(f"{when(u['published_at'])}  {KIND_MARK.get(u['kind'], ' ')} {u['kind']}{fact}{sources}  [{u['story_id']}]")
        print(f"    {safe_text(u['evidence'], 200)}")
        changes = json.loads(u["changes"]) if isinstance(u["changes"], str) else (u["changes"] or [])
        for ch in changes:
            print(f"    {safe_text(ch.get('field'))}: {safe_text(ch.get('old'), 60)} → {safe_text(ch.get('new'), 60)}")
        print(f"    {safe_text(u['article_url'], 150)}")
    return EXIT_OK


def cmd_facts(args) -> int:
    import facts
    from flows.story import StoryConfigError, load_story, story_from_args

    try:
        config = load_story(args.story) if args.story else story_from_args(args.seed, title=None, published=args.published, feeds=[])
    except StoryConfigError as exc:
        print(f"storywatch facts: {exc}", file=sys.stderr)
        return EXIT_USAGE
    seed = facts.extract_seed(config.seed_text, title=config.title, published_at=config.published_at, hints=config.hints)
    if args.json:
        print(json.dumps([f.to_dict() for f in seed.facts], default=str, indent=2, ensure_ascii=False))
        return EXIT_OK
    for f in seed.facts:
        print(f"{f.fact_id}  {safe_text(f.text)}")
        details = {k: v for k, v in (f.details or {}).items() if v}
        if details:
            print(f"      {safe_text(json.dumps(details, default=str, ensure_ascii=False), 400)}")
    return EXIT_OK


def cmd_clean(args) -> int:
    from sources.clean_cli import clean_command

    def fetch(url: str):
        from flows.settings import FetchSettings
        from sources.http import FetchPolicy, HttpClient
        from sources.netpolicy import AddressPolicy

        settings = FetchSettings(allow_private_network=args.allow_private_network, allow_hosts=tuple(args.allow_host or ()))
        client = HttpClient(FetchPolicy(user_agent=settings.user_agent, address_policy=AddressPolicy(
            allow_private_network=settings.allow_private_network, allowed=settings.allow_hosts)))
        result = client.get(url)
        if not result.ok:
            raise RuntimeError(result.error)
        return result.body, result.headers.get("content-type"), result.final_url

    return clean_command(args.inputs, args.json, fetch=fetch)


def cmd_serve(args) -> int:
    _quiet_prefect()
    from flows.serve import serve

    return serve(args.story, interval_minutes=args.interval, cron=args.cron, db=args.db,
                 allow_hosts=args.allow_host or [], allow_private_network=args.allow_private_network)


def cmd_demo(args) -> int:
    _quiet_prefect()
    from flows.demo import run_demo

    return run_demo(db=args.db, ticks=args.ticks)


def cmd_evaluate(args) -> int:
    from facts.evaluate import main as evaluate_main

    return evaluate_main(args.rest)


# ---------------------------------------------------------------- argument parsing


def _add_db(p) -> None:
    p.add_argument("--db", help=f"DuckDB file (default: $STORYWATCH_DB or {default_db_path()})")


def _add_network(p) -> None:
    p.add_argument("--allow-host", action="append", metavar="HOST[:PORT]|CIDR",
                   help="allow fetching from this private/loopback origin, host or network (repeatable), "
                        "e.g. 127.0.0.1:8765")
    p.add_argument("--allow-private-network", action="store_true",
                   help="allow every private, loopback and link-local address (broad; prefer --allow-host)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="storywatch", description="Follow a developing news story from a seed article.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="run the monitoring flow once, now")
    p.add_argument("--story", metavar="DIR", help="story folder with story.toml and the seed text")
    p.add_argument("--seed", metavar="FILE", help="seed article text (instead of --story)")
    p.add_argument("--title", help="story title (with --seed)")
    p.add_argument("--published", metavar="ISO-8601", help="seed publication time (with --seed)")
    p.add_argument("--feed", action="append", metavar="URL", help="feed to watch (repeatable); replaces the story's feeds for this run")
    p.add_argument("--json", action="store_true", help="print the run summary as JSON")
    _add_db(p)
    _add_network(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("status", help="latest status of each story's seed facts")
    p.add_argument("--story", metavar="ID")
    p.add_argument("--json", action="store_true")
    _add_db(p)
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("updates", help="recent updates (alerts), newest first")
    p.add_argument("--since", metavar="WHEN", help="ISO-8601 time or a span such as 6h, 2d, 1w")
    p.add_argument("--story", metavar="ID")
    p.add_argument("--all", action="store_true", help="include confirmations and repeat sources, not just alerts")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    _add_db(p)
    p.set_defaults(func=cmd_updates)

    p = sub.add_parser("facts", help="show the checkable facts extracted from a seed")
    p.add_argument("--story", metavar="DIR")
    p.add_argument("--seed", metavar="FILE")
    p.add_argument("--published", metavar="ISO-8601")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_facts)

    p = sub.add_parser("clean", help="extract the article text and metadata from HTML files or URLs")
    p.add_argument("inputs", nargs="+", metavar="FILE|URL")
    p.add_argument("--json", action="store_true", help="one JSON object per input")
    _add_network(p)
    p.set_defaults(func=cmd_clean)

    p = sub.add_parser("serve", help="run stories on a schedule (Prefect serve; needs a Prefect server)")
    p.add_argument("--story", action="append", required=True, metavar="DIR")
    p.add_argument("--interval", type=float, default=30.0, metavar="MINUTES")
    p.add_argument("--cron", help="cron schedule instead of --interval")
    _add_db(p)
    _add_network(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("demo", help="offline demo: replay the London talks coverage on 127.0.0.1 over three runs")
    p.add_argument("--db", help="DuckDB file for the demo (default: a fresh demo.duckdb in the current folder)")
    p.add_argument("--ticks", type=int, default=3)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("evaluate", help="score the fact engine on the labelled corpus (python -m facts.evaluate)")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_evaluate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `storywatch status | head`: the reader left; not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # storage busy, schema too new, ...: a clear message, not a trace
        from storage.db import DatabaseBusy, SchemaTooNew

        if isinstance(exc, (DatabaseBusy, SchemaTooNew)):
            print(f"storywatch {args.command}: {exc}", file=sys.stderr)
            return EXIT_BUSY
        raise


if __name__ == "__main__":
    raise SystemExit(main())
