from __future__ import annotations

import gzip
import io
import json
import sys

from sources.clean_cli import clean_command, escape_terminal
from .conftest import FIXTURES


def _run(inputs, as_json=False, fetch=None):
    out, err = io.StringIO(), io.StringIO()
    rc = clean_command(inputs, as_json, fetch=fetch, out=out, err=err)
    return rc, out.getvalue(), err.getvalue()


def test_text_output_for_file_and_gz(tmp_path):
    gz = tmp_path / "page.html.gz"
    gz.write_bytes(gzip.compress((FIXTURES / "boilerplate.html").read_bytes()))
    rc, out, err = _run([str(FIXTURES / "boilerplate.html"), str(gz)])
    assert rc == 0 and err == ""
    assert out.count("Title: Harbour ferry service to resume after winter repairs") == 2
    assert "Published: 2024-02-11T07:30:00+00:00" in out
    assert "The little passenger ferry" in out


def test_json_lines_with_metadata(tmp_path):
    rc, out, _ = _run([str(FIXTURES / "live_blog.html"), str(tmp_path / "missing.html")], as_json=True)
    assert rc == 1
    lines = out.strip().split("\n")
    assert len(lines) == 2
    first, second = (json.loads(x) for x in lines)
    assert first["source"].endswith("live_blog.html")
    assert first["live_blog"] is True and first["published_at"] == "2024-03-04T06:00:00+00:00"
    assert first["live_entries"][0]["published_at"] == "2024-03-04T09:40:00+00:00"
    assert {"text", "title", "authors", "canonical_url", "language", "paywalled"} <= first.keys()
    assert second["source"].endswith("missing.html") and "no such file" in second["error"]


def test_url_needs_fetch_and_uses_it():
    rc, out, err = _run(["https://news.example/a"])
    assert rc == 1 and "fetcher" in err
    body = (FIXTURES / "cp1251_header.html").read_bytes()
    calls = []

    def fetch(url):
        calls.append(url)
        return body, "text/html; charset=windows-1251", "https://news.example/final"

    rc, out, err = _run(["https://news.example/a"], as_json=True, fetch=fetch)
    assert rc == 0 and calls == ["https://news.example/a"]
    data = json.loads(out)
    assert "пешеходного моста" in data["text"]


def test_control_characters_are_escaped():
    evil = ("<html><head><title>Bad \x1b]0;pwned\x07 title</title></head><body><p>"
            + "Text with an escape \x1b[2J sequence inside a long enough paragraph of prose. " * 3
            + "</p></body></html>").encode()

    def fetch(url):
        return evil, "text/html", url

    rc, out, _ = _run(["https://evil.example/"], fetch=fetch)
    assert rc == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b[2J" in out
    assert escape_terminal("a\u202eb\nc") == "a\\u202eb\nc"


def test_clean_cli_does_not_import_prefect():
    import subprocess

    code = "import sys, sources.clean_cli; sys.exit(1 if 'prefect' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code], cwd=str(FIXTURES.parents[2])).returncode == 0
