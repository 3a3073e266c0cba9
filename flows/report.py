"""Rendering run results for people: Prefect markdown artifacts and terminal text.

Everything shown comes from fetched pages, so it is escaped: markdown control characters in
artifacts, control characters (terminal escape sequences) on the terminal.
"""
from __future__ import annotations

import re
from datetime import datetime

# C0/C1 controls (terminal escape sequences) and bidirectional overrides/marks (text that reads
# differently from how it is stored).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")

STATE_MARK = {"unconfirmed": "?", "confirmed": "=", "updated": "~", "contradicted": "!"}
KIND_MARK = {"confirms": "=", "updates": "~", "contradicts": "!", "new": "+"}


def safe_text(value, limit: int | None = None) -> str:
    """Printable on a terminal: control characters replaced, whitespace folded, optionally cut."""
    if value is None:
        return ""
    text = " ".join(_CONTROL.sub("\ufffd", str(value)).split())
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def md(value, limit: int | None = None) -> str:
    return _MD_SPECIAL.sub(r"\\\1", safe_text(value, limit))


def when(value) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return safe_text(value) or "-"


def run_artifact(summary: dict, new_updates: list[dict], statuses: list[dict]) -> str:
    lines = [
        f"# storywatch run: {md(summary.get('title') or summary['story_id'])}",
        "",
        f"Run `{summary['run_id']}` · {summary['counts'].get('feeds_polled', 0)} feeds polled, "
        f"{summary['counts'].get('feeds_failed', 0)} failed · {summary['counts'].get('pages_fetched', 0)} pages fetched · "
        f"{summary['counts'].get('alerts', 0)} alerts",
        "",
        "## New in this run",
        "",
    ]
    if new_updates:
        lines += ["| kind | seed fact | evidence | source |", "|---|---|---|---|"]
        for u in new_updates:
            lines.append(
                f"| {u['kind']} | {md(u.get('fact_id') or '-')} | {md(u['evidence'], 300)} | {md(u['article_url'], 120)} |"
            )
    else:
        lines.append("Nothing new.")
    lines += ["", "## Latest status of the seed facts", "", "| fact | state | claim | latest evidence |", "|---|---|---|---|"]
    for s in statuses:
        lines.append(f"| {md(s['fact_id'])} | {s['state']} | {md(s['fact_text'], 160)} | {md(s.get('evidence'), 200)} |")
    errors = summary.get("errors") or []
    if errors:
        lines += ["", "## Errors (recorded in the `errors` table)", ""]
        lines += [f"- {md(e['stage'])} {md(e['url'], 120)}: {md(e['message'], 200)}" for e in errors[:30]]
    return "\n".join(lines) + "\n"
