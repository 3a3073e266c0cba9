"""Faults through a whole run: every broken feed or page is recorded where users look, the run
completes, the healthy feeds are processed, and nothing stored before is lost."""
from __future__ import annotations

import gzip

import duckdb
import pytest

from flows.monitor import monitor_story
from tests.conftest import STORY_DIR
from tests.fetch.fetchkit import FaultServer

pytestmark = pytest.mark.usefixtures("prefect_server")

ON_STORY = "US and China end London trade talks with a framework on rare earths and export controls"


def _rss(items: str, prolog: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?>{prolog}<rss version="2.0"><channel><title>Faults</title>'
            f"{items}</channel></rss>").encode()


def _item(guid: str, link: str | None, title: str = ON_STORY) -> str:
    link_xml = f"<link>{link}</link>" if link else ""
    return (f"<item><guid>{guid}</guid><title>{title}</title>{link_xml}"
            f"<description>{ON_STORY}. Negotiators in London agreed the framework.</description>"
            "<pubDate>Wed, 11 Jun 2025 08:00:00 +0000</pubDate></item>")


def _snapshot(db):
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            "articles": set(con.execute("SELECT url, version, content_hash FROM articles").fetchall()),
            "updates": set(con.execute("SELECT article_url, kind, fact_id, evidence FROM updates").fetchall()),
        }


def test_a_run_survives_every_kind_of_broken_feed_and_page(tmp_path, replay, demo_feeds):
    db = tmp_path / "story.duckdb"

    def run(feeds):
        return monitor_story(story=str(STORY_DIR), feeds=feeds, db=str(db), allow_hosts=["127.0.0.1"])

    run(demo_feeds)
    before = _snapshot(db)
    assert before["articles"] and before["updates"]

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN-4242")
    bomb = gzip.compress(b"\0" * (60 << 20), compresslevel=9)
    srv = FaultServer("127.0.0.1").start()
    internal = FaultServer("127.0.0.2").start()
    try:
        internal.static("/feed.xml", _rss(_item("i1", "http://127.0.0.2/page")))
        srv.static("/page-404.html", b"no", 404)
        srv.static("/page-bomb.html", bomb, headers={"Content-Encoding": "gzip", "Content-Type": "text/html"})
        srv.static("/page-empty.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
                   headers={"Content-Type": "text/html"})
        srv.static("/page-binary.html", bytes(range(256)) * 64, headers={"Content-Type": "text/html"})
        failing = {
            "gzip bomb": (srv.static("/bomb.xml", bomb, headers={"Content-Encoding": "gzip"}), "decompression_bomb"),
            "429 Retry-After": (srv.static("/busy.xml", b"slow down", 429, {"Retry-After": "3600"}), "http_429"),
            "503": (srv.static("/unavailable.xml", b"down", 503), "http_5xx"),
            "500": (srv.static("/error.xml", b"oops", 500), "http_5xx"),
            "404": (srv.static("/missing.xml", b"", 404), "http_404"),
            "410": (srv.static("/gone.xml", b"", 410), "http_410"),
            "connection reset": (srv.add("/reset.xml", lambda h: h.reset()), "reset"),
            "redirect loop": (srv.add("/loop.xml", lambda h: h.reply(302, b"", {"Location": "/loop.xml"})), None),
            "redirect to an internal address": (
                srv.add("/inside.xml", lambda h: h.reply(302, b"", {"Location": internal.url("/feed.xml")})),
                "refused_address"),
            "truncated gzip": (srv.static("/trunc.xml", gzip.compress(_rss(_item("t", None)))[:-30],
                                          headers={"Content-Encoding": "gzip"}), None),
            "JSON instead of a feed": (srv.static("/json.xml", b'{"items": []}', headers={"Content-Type": "application/json"}), "not_a_feed"),
            "HTML page instead of a feed": (srv.static("/page.xml", b"<html><body><p>Hello</p></body></html>",
                                                       headers={"Content-Type": "text/html"}), "not_a_feed"),
        }
        survivable = {
            "billion laughs": srv.static("/laughs.xml", _rss(_item("b1", None), (
                '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'))),
            "external entity": srv.static("/xxe.xml", _rss(_item("x1", None, "&xxe;"), (
                f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'))),
            "empty feed": srv.static("/empty.xml", _rss("")),
            "broken pages": srv.static("/pages.xml", _rss(
                _item("p1", srv.url("/page-404.html")) + _item("p2", srv.url("/page-bomb.html"))
                + _item("p3", srv.url("/page-empty.html")) + _item("p4", srv.url("/page-binary.html"))
                + _item("p5", None) + _item("p6", "javascript:alert(1)"))),
        }
        feeds = [*demo_feeds, *(u for u, _ in failing.values()), *survivable.values()]
        summary = run(feeds)

        assert summary["counts"]["feeds_failed"] == len(failing)
        assert internal.hits["/feed.xml"] == 0, "a redirect reached an internal address"
        with duckdb.connect(str(db), read_only=True) as con:
            assert con.execute("SELECT status FROM runs ORDER BY started_at").fetchall() == [("completed",)] * 2
            health = {url: (kind, msg) for url, kind, msg in con.execute(
                "SELECT feed_url, last_error_kind, last_error FROM feed_health").fetchall()}
            for name, (url, kind) in failing.items():
                got_kind, message = health[url]
                assert message, f"{name}: no error recorded"
                if kind:
                    assert got_kind == kind, f"{name}: {got_kind} {message}"
            for name, url in survivable.items():
                assert health[url][1] is None, f"{name} should parse (with a warning at most): {health[url]}"
            for url in demo_feeds:
                assert health[url] == (None, None)
            page_errors = {u: k for u, k in con.execute("SELECT url, error_kind FROM errors WHERE stage <> 'feed' AND stage <> 'feed-warning'").fetchall()}
            assert page_errors.get(srv.url("/page-404.html")) == "http_404"
            assert page_errors.get(srv.url("/page-bomb.html")) == "decompression_bomb"
            assert page_errors.get(srv.url("/page-empty.html")) == "no_article_text"
            assert srv.url("/page-binary.html") in page_errors
            dump = " ".join(str(v) for t in ("entries", "articles", "article_versions", "updates", "errors", "feed_health")
                            for row in con.execute(f"SELECT * FROM {t}").fetchall() for v in row)
            assert "TOP-SECRET-TOKEN" not in dump
        after = _snapshot(db)
        assert before["articles"] <= after["articles"] and before["updates"] <= after["updates"]

        # The next by-hand run respects the server that asked us to wait, and says so.
        again = run(feeds)
        assert "Retry-After" in again["skipped_feeds"][failing["429 Retry-After"][0]]
        assert srv.hits["/busy.xml"] == 1
    finally:
        srv.close()
        internal.close()
