"""Hostile and broken feed documents, served by the fault server, fetched with
HttpClient.get and parsed with parse_feed."""
from __future__ import annotations

import time
from datetime import datetime, timezone

from sources.feeds import parse_feed
from sources.http import FEED_ACCEPT, HttpClient

from .fetchkit import make_policy

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


def fetch_and_parse(server, path, body, headers=None, **kw):
    url = server.static(path, body, headers=headers or {"Content-Type": "application/rss+xml"})
    r = HttpClient(make_policy()).get(url, accept=FEED_ACCEPT)
    assert r.ok, r.error
    return parse_feed(r.body, feed_url=r.final_url, headers=r.headers, now=NOW, **kw), url


def rss(items: str, extra_head: str = "", decl: str = '<?xml version="1.0" encoding="utf-8"?>') -> bytes:
    return (
        f'{decl}{extra_head}<rss version="2.0"><channel><title>Feed</title>'
        f"<link>https://news.example/</link>{items}</channel></rss>"
    ).encode("utf-8")


def test_non_xml_body(server):
    p, _ = fetch_and_parse(server, "/feed-json", b'{"version": "https://jsonfeed.org/version/1"}')
    assert p.entries == () and p.error.startswith("not a feed: the body is JSON")
    p, _ = fetch_and_parse(server, "/feed-text", b"Service temporarily unavailable, try later")
    assert p.error.startswith("not a feed: the body is not XML") and "Service temporarily" in p.error


def test_html_page_instead_of_feed_names_the_advertised_feed(server):
    html = b"""<!DOCTYPE html><html><head><title>News</title>
    <link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml?utm_source=x">
    </head><body><p>Welcome</p></body></html>"""
    p, url = fetch_and_parse(server, "/feed-html", html, {"Content-Type": "text/html"})
    assert p.error.startswith("not a feed: the server sent an HTML page")
    assert p.discovered_feeds == (server.url("/rss.xml"),)
    assert server.url("/rss.xml") in p.error


def test_invalid_utf8_keeps_entries_with_warning(server):
    body = rss("<item><guid>1</guid><title>Café ok</title><link>https://news.example/a</link></item>")
    body = body.replace(b"ok", b"\xff\xfe bad")
    p, _ = fetch_and_parse(server, "/feed-bad-utf8", body)
    assert p.error is None
    assert p.entries[0].title == "Café \ufffd\ufffd bad"
    assert "invalid UTF-8" in p.warning


def test_wrong_declared_charset(server):
    # Declared ISO-8859-1 (XML declaration and HTTP header) but the bytes are UTF-8.
    body = rss(
        "<item><guid>1</guid><title>Zürich – café</title><link>https://news.example/z</link></item>",
        decl='<?xml version="1.0" encoding="ISO-8859-1"?>',
    )
    p, _ = fetch_and_parse(server, "/feed-wrong-charset", body, {"Content-Type": "text/xml; charset=iso-8859-1"})
    assert p.entries[0].title == "Zürich – café"
    assert "valid UTF-8" in p.warning


def test_latin1_declared_utf8_falls_back(server):
    body = rss("<item><guid>1</guid><title>Münster</title><link>https://news.example/m</link></item>")
    body = body.decode("utf-8").encode("latin-1")
    p, _ = fetch_and_parse(server, "/feed-latin1", body)
    assert p.entries[0].title == "Münster"
    assert "Windows-1252" in p.warning


def test_lone_surrogates_and_control_chars_removed(server):
    body = rss("<item><guid>1</guid><title>A&#xD800;B&#0;C\x01D</title><link>https://news.example/s</link></item>")
    body = body.replace(b"D<", b"D\xed\xa0\x80<")  # a UTF-8-encoded surrogate: invalid UTF-8
    p, _ = fetch_and_parse(server, "/feed-surrogates", body)
    assert p.error is None
    title = p.entries[0].title
    assert title.startswith("ABCD")
    assert all(not 0xD800 <= ord(c) <= 0xDFFF for c in title)
    title.encode("utf-8")  # storable


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><guid>b1</guid><title>&lol9;</title><description>&lol9;</description><link>https://news.example/b</link></item>
</channel></rss>"""


def test_billion_laughs_not_expanded(server):
    t0 = time.monotonic()
    p, _ = fetch_and_parse(server, "/feed-lol", BILLION_LAUGHS)
    assert time.monotonic() - t0 < 2
    assert p.error is None and len(p.entries) == 1
    assert "lollollol" not in p.entries[0].title + p.entries[0].summary + (p.title or "")
    assert len(p.entries[0].title) < 100
    assert "entities were not expanded" in p.warning


def test_quadratic_blowup_not_expanded(server):
    big = "A" * 50_000
    body = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "{big}">]>'
        '<rss version="2.0"><channel><title>q</title><item><guid>q</guid><title>'
        + "&a;" * 5_000
        + "</title><link>https://news.example/q</link></item></channel></rss>"
    ).encode()
    p, _ = fetch_and_parse(server, "/feed-quadratic", body)
    assert p.error is None
    assert "AAAA" not in p.entries[0].title


def test_external_entity_never_reads_local_file(server, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-7f3a9c")
    body = f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}"> <!ENTITY % pe SYSTEM "file://{secret}"> %pe;]>
<rss version="2.0"><channel><title>x &xxe;</title>
<item><guid>x1</guid><title>&xxe;</title><description>see &xxe;</description><link>https://news.example/x</link></item>
</channel></rss>""".encode()
    p, _ = fetch_and_parse(server, "/feed-xxe", body)
    dump = repr(p)
    assert "TOP-SECRET-7f3a9c" not in dump
    assert p.entries and p.entries[0].url == "https://news.example/x"


def test_external_dtd_and_http_entities_are_never_fetched(server):
    server.static("/evil.dtd", b'<!ENTITY leak "LEAKED-FROM-DTD">')
    server.static("/evil-entity", b"LEAKED-FROM-ENTITY")
    body = rss(
        "<item><guid>d</guid><title>t &leak; &remote;</title><link>https://news.example/d</link></item>",
        extra_head=(
            f'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "{server.url("/evil.dtd")}" '
            f'[<!ENTITY remote SYSTEM "{server.url("/evil-entity")}">]>'
        ),
    )
    p, _ = fetch_and_parse(server, "/feed-dtd", body)
    assert p.error is None and len(p.entries) == 1
    assert "external DTD removed" in p.warning
    assert "LEAKED" not in repr(p)
    assert server.hits["/evil.dtd"] == 0 and server.hits["/evil-entity"] == 0


def test_empty_feed(server):
    p, _ = fetch_and_parse(server, "/feed-empty", rss(""))
    assert p.error is None and p.entries == () and p.title == "Feed"


def test_empty_body(server):
    url = server.static("/feed-empty-body", b"")
    r = HttpClient(make_policy()).get(url)
    assert r.ok and r.body == b""
    p = parse_feed(r.body, feed_url=url)
    assert p.error == "empty body: the server sent no feed"


def test_duplicate_guids_collapse(server):
    items = "".join(
        f"<item><guid>same</guid><title>Version {i}</title><link>https://news.example/v{i}</link></item>" for i in range(3)
    ) + "<item><guid>other</guid><title>Other</title><link>https://news.example/o</link></item>"
    p, _ = fetch_and_parse(server, "/feed-dups", rss(items))
    assert [e.entry_key for e in p.entries] == ["same", "other"]
    assert p.entries[0].title == "Version 0"  # first occurrence wins
    assert "2 entries with a duplicate id dropped" in p.warning


def test_items_without_links_or_dates(server):
    items = (
        "<item><title>No link, no date</title><description>text only</description></item>"
        "<item><title>Bad date</title><link>https://news.example/bd</link><pubDate>yesterday-ish</pubDate></item>"
    )
    p, _ = fetch_and_parse(server, "/feed-nolinks", rss(items))
    a, b = p.entries
    assert a.url is None and a.published_at is None and a.entry_key.startswith("sha256:")
    assert b.url == "https://news.example/bd" and b.published_at is None and b.updated_at is None


def test_relative_links_resolved_and_canonicalized(server):
    items = (
        "<item><guid>r1</guid><title>rel</title><link>/world/story-1?utm_source=rss&amp;id=7#top</link></item>"
        '<item xml:base="https://cdn.example/base/"><guid>r2</guid><title>base</title><link>sub/story-2</link></item>'
    )
    p, url = fetch_and_parse(server, "/feeds/feed-relative", rss(items))
    assert p.entries[0].url == server.url("/world/story-1?id=7")
    assert p.entries[1].url == "https://cdn.example/base/sub/story-2"


def test_atom_feed_dates_and_summary(server):
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title><id>urn:f</id>
<link href="https://news.example/"/>
<entry><id>urn:e1</id><title type="html">&lt;b&gt;Bold&lt;/b&gt; news</title>
<link rel="alternate" href="https://news.example/e1"/>
<published>2026-11-29T10:00:00+02:00</published><updated>2026-11-29T11:30:00Z</updated>
<summary type="html">&lt;p&gt;First&lt;/p&gt;&lt;script&gt;evil()&lt;/script&gt;&lt;p&gt;Second &amp;amp; last&lt;/p&gt;</summary></entry>
<entry><id>urn:e2</id><title>Future</title><link href="https://news.example/e2"/>
<published>2031-01-01T00:00:00Z</published></entry>
</feed>"""
    p, _ = fetch_and_parse(server, "/atom", atom, {"Content-Type": "application/atom+xml"})
    e1, e2 = p.entries
    assert e1.entry_key == "urn:e1" and e1.title == "Bold news"
    assert e1.published_at == datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)
    assert e1.updated_at == datetime(2026, 11, 29, 11, 30, tzinfo=timezone.utc)
    assert "evil" not in e1.summary and e1.summary == "First\nSecond & last"
    assert e2.published_at is None  # more than a day in the future


def test_malformed_feed_keeps_what_parses(server):
    body = rss(
        "<item><guid>m1</guid><title>Good</title><link>https://news.example/m1</link></item>"
        "<item><guid>m2</guid><title>Unclosed <b>tag</title><link>https://news.example/m2</link></item>"
    ).replace(b"</channel></rss>", b"")
    p, _ = fetch_and_parse(server, "/feed-malformed", body)
    assert p.error is None
    assert p.warning and "malformed feed" in p.warning
    assert [e.entry_key for e in p.entries][:1] == ["m1"]


def test_max_items_cap(server):
    items = "".join(f"<item><guid>g{i}</guid><title>t{i}</title><link>https://news.example/{i}</link></item>" for i in range(30))
    p, _ = fetch_and_parse(server, "/feed-many", rss(items), max_items=10)
    assert len(p.entries) == 10 and p.entries[-1].entry_key == "g9"
    assert "kept the first 10" in p.warning


def test_not_a_feed_xml_root(server):
    p, _ = fetch_and_parse(server, "/sitemap", b'<?xml version="1.0"?><urlset><url><loc>https://x/</loc></url></urlset>')
    assert p.error == "not a feed: XML root element is <urlset>, not rss, feed or rdf:RDF"


def test_content_hash_changes_with_content(server):
    p1, _ = fetch_and_parse(server, "/feed-h1", rss("<item><guid>h</guid><title>A</title><link>https://news.example/h</link></item>"))
    p2, _ = fetch_and_parse(server, "/feed-h2", rss("<item><guid>h</guid><title>A (updated)</title><link>https://news.example/h</link></item>"))
    assert p1.entries[0].entry_key == p2.entries[0].entry_key
    assert p1.entries[0].content_hash != p2.entries[0].content_hash


def test_gzipped_feed_end_to_end(server):
    import gzip

    body = rss("<item><guid>z</guid><title>Zipped</title><link>https://news.example/z</link></item>")
    p, _ = fetch_and_parse(server, "/feed.gz", gzip.compress(body), {"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"})
    assert p.entries[0].title == "Zipped"
