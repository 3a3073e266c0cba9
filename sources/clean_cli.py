"""`storywatch clean`: print the extracted text and metadata of pages.

Inputs are file paths (``.gz`` files are gunzipped) or http(s) URLs, fetched via
the ``fetch`` callable the CLI passes in (``fetch(url) -> (body, content_type,
final_url)``).  Text output escapes control characters so a hostile page cannot
drive the terminal; ``--json`` prints one JSON object per input per line.
"""
from __future__ import annotations

import gzip
import json
import sys
import unicodedata
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Callable, TextIO

from sources.extract import extract_article
from sources.models import Article

Fetch = Callable[[str], tuple[bytes, str | None, str]]

__all__ = ["clean_command", "article_to_dict", "escape_terminal"]


def escape_terminal(text: str, keep_newlines: bool = True) -> str:
    """Replace control/format characters (ESC, CSI, bidi overrides, ...) by visible escapes."""
    out = []
    for ch in text:
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch == "\t":
            out.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") and ch not in "\u200d":
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def _jsonable(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def article_to_dict(article: Article, source: str) -> dict:
    data = {"source": source}
    data.update(_jsonable(asdict(article)))
    return data


def _read_input(item: str, fetch: Fetch | None) -> tuple[bytes, str | None, str | None]:
    """(body, content_type, url) for one input; raises ValueError/OSError with a clear message."""
    if item.startswith(("http://", "https://")):
        if fetch is None:
            raise ValueError(f"{item}: URLs need a fetcher (run through `storywatch clean`), or save the page to a file")
        body, content_type, final_url = fetch(item)
        return body or b"", content_type, final_url or item
    path = Path(item)
    if not path.is_file():
        raise OSError(f"{item}: no such file")
    body = path.read_bytes()
    if item.endswith(".gz") or body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError) as exc:
            raise OSError(f"{item}: not a valid gzip file ({exc})") from None
    return body, None, None


def _print_text(article: Article, source: str, out: TextIO) -> None:
    e = escape_terminal
    lines = [f"== {e(source, keep_newlines=False)} =="]
    fields = [
        ("Title", article.title),
        ("Published", article.published_at.isoformat() if article.published_at else None),
        ("Modified", article.modified_at.isoformat() if article.modified_at else None),
        ("Authors", ", ".join(article.authors) if article.authors else None),
        ("Canonical", article.canonical_url),
        ("Language", article.language),
        ("Site", article.site_name),
        ("Description", article.description),
    ]
    for label, value in fields:
        if value:
            lines.append(f"{label}: {e(value, keep_newlines=False)}")
    flags = [name for name, on in (("paywalled", article.paywalled), ("truncated", article.truncated),
                                   ("live blog", article.live_blog)) if on]
    if flags:
        lines.append("Flags: " + ", ".join(flags))
    lines.append("")
    if article.live_entries:
        for entry in article.live_entries:
            when = entry.published_at.isoformat() if entry.published_at else "?"
            lines.append(f"-- [{when}] {e(entry.title or '', keep_newlines=False)}".rstrip())
            lines.append(e(entry.text))
            lines.append("")
    else:
        lines.append(e(article.text) if article.text else "(no article text found)")
        lines.append("")
    out.write("\n".join(lines) + "\n")


def clean_command(inputs: list[str], as_json: bool, fetch: Fetch | None = None,
                  out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Extract and print each input; returns 0 when all succeeded, 1 otherwise."""
    out = out or sys.stdout
    err = err or sys.stderr
    status = 0
    for item in inputs:
        try:
            body, content_type, url = _read_input(item, fetch)
        except Exception as exc:  # missing file, fetch failure, ...
            status = 1
            msg = str(exc) or type(exc).__name__
            if as_json:
                out.write(json.dumps({"source": item, "error": msg}) + "\n")
            else:
                err.write(f"error: {escape_terminal(msg, keep_newlines=False)}\n")
            continue
        article = extract_article(body, url=url, content_type=content_type)
        # JSON stays ASCII: fetched control and bidi characters arrive as \u escapes, never raw.
        if as_json:
            out.write(json.dumps(article_to_dict(article, item)) + "\n")
        else:
            _print_text(article, item, out)
    return status
