from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import given, settings, strategies as st

from sources.extract import extract_article
from sources.models import Article


def _extract(fixture_bytes, name, **kw):
    return extract_article(fixture_bytes(name), **kw)


# ----------------------------------------------------------------------------- boilerplate


def test_boilerplate_page_keeps_only_article_text(fixture_bytes):
    a = _extract(fixture_bytes, "boilerplate.html", url="https://courier.example/local/x?utm=1")
    assert a.paragraphs[0].startswith("The little passenger ferry")
    assert a.paragraphs[-1].startswith("Residents who bought season passes")
    assert "Fares stay frozen" in a.paragraphs  # sub-heading kept
    assert len(a.paragraphs) == 6
    for junk in ("cookies", "Accept all", "Share on", "Email this story", "By Mira Falkner", "08:30",
                 "dry dock", "Photo:", "Advertisement", "Related stories", "Lighthouse museum",
                 "morning briefing", "Sign up", "About time too", "hybrids at sea", "Copyright",
                 "Ferries", "script text", "Harbour ferry service to resume"):
        assert junk not in a.text, junk


def test_boilerplate_page_metadata(fixture_bytes):
    a = _extract(fixture_bytes, "boilerplate.html", url="https://courier.example/local/x?utm=1")
    assert a.title == "Harbour ferry service to resume after winter repairs"
    assert a.published_at == datetime(2024, 2, 11, 7, 30, tzinfo=timezone.utc)
    assert a.modified_at == datetime(2024, 2, 11, 9, 5, tzinfo=timezone.utc)
    assert a.authors == ("Mira Falkner",)
    assert a.canonical_url == "https://courier.example/local/harbour-ferry-returns"
    assert a.language == "en-GB"
    assert a.site_name == "The Coastline Courier"
    assert a.description.startswith("The small passenger ferry")
    assert not (a.paywalled or a.truncated or a.live_blog)


def test_paragraphs_are_separated_by_blank_lines(fixture_bytes):
    a = _extract(fixture_bytes, "boilerplate.html")
    assert "\n\n" in a.text and "\n\n\n" not in a.text
    assert all(p == p.strip() for p in a.text.split("\n\n"))


# ----------------------------------------------------------------------------- page shapes


def test_live_blog_entries_from_json_ld(fixture_bytes):
    a = _extract(fixture_bytes, "live_blog.html")
    assert a.live_blog
    assert [e.title for e in a.live_entries] == ["Bridge closed to traffic", "Schools send pupils home",
                                                 "Warning level raised"]
    first, second = a.live_entries[0], a.live_entries[1]
    assert first.published_at == datetime(2024, 3, 4, 9, 40, tzinfo=timezone.utc)
    assert second.published_at == datetime(2024, 3, 4, 7, 15, tzinfo=timezone.utc)  # +01:00 -> UTC
    assert "old stone bridge" in first.text and "bypass" in first.text
    assert a.authors == ("Oskar Lind", "Tove Berg")
    assert "Share this update" not in a.text


def test_live_blog_entries_from_page_markup(fixture_bytes):
    a = _extract(fixture_bytes, "live_blog_page_only.html")
    assert a.live_blog
    assert len(a.live_entries) == 3
    assert a.live_entries[0].title == "Winner crosses the line"
    assert a.live_entries[0].published_at == datetime(2024, 4, 21, 9, 2, tzinfo=timezone.utc)
    assert "sprint finish" in a.live_entries[0].text
    assert "cathedral square" in a.live_entries[2].text


def test_paywalled_article_is_flagged_and_prompt_dropped(fixture_bytes):
    a = _extract(fixture_bytes, "paywall.html")
    assert a.paywalled and a.truncated
    assert "retired bus driver" in a.text and "handful of keepers" in a.text
    assert "Subscribe" not in a.text and "unlimited access" not in a.text
    assert a.authors == ("Dana Whitlock",)
    assert a.published_at == datetime(2024, 5, 2, 16, 0, tzinfo=timezone.utc)


def test_body_only_in_json_ld(fixture_bytes):
    a = _extract(fixture_bytes, "jsonld_body.html")
    assert len(a.paragraphs) == 3
    assert a.paragraphs[0].startswith("Die Stadtbibliothek öffnet ab Februar")
    assert "JavaScript" not in a.text and "geladen" not in a.text
    assert a.canonical_url == "https://stadtanzeiger.example/kultur/bibliothek"
    assert a.language == "de"
    assert a.site_name == "Stadtanzeiger"
    assert a.authors == ("Jana Sommerfeld",)


def test_tables_and_lists_are_kept(fixture_bytes):
    a = _extract(fixture_bytes, "table_list.html")
    assert "Greystone Lake | 71% | -3" in a.paragraphs
    assert "Run washing machines only with full loads." in a.paragraphs
    assert a.paragraphs[-1].startswith("The next update is due")
    for junk in ("Home", "Contact", "Most read", "Town fair"):
        assert junk not in a.text


@pytest.mark.parametrize(
    "name, content_type, expected, lang",
    [
        ("cp1251_header.html", "text/html; charset=windows-1251", "пешеходного моста", "ru"),
        ("cp1251_meta.html", None, "пешеходного моста", "ru"),
        ("shift_jis.html", None, "図書館は五階建て", "ja"),
        ("wrong_charset_utf8.html", None, "La charpente métallique", "fr"),
        ("wrong_charset_cp1252.html", "text/html; charset=utf-8", "La ampliación del horario", "es"),
    ],
)
def test_non_utf8_and_non_english_pages(fixture_bytes, name, content_type, expected, lang):
    a = extract_article(fixture_bytes(name), content_type=content_type)
    assert expected in a.text
    assert "\ufffd" not in a.text
    assert a.language == lang
    assert len(a.paragraphs) == 3
    for junk in ("Главная", "Ремонт набережной", "ホーム", "シェア"):
        assert junk not in a.text


def test_str_input_and_relative_canonical(fixture_bytes):
    html = fixture_bytes("boilerplate.html").decode("utf-8")
    a = extract_article(html, url="https://courier.example/a/b")
    assert a.canonical_url == "https://courier.example/local/harbour-ferry-returns"


# ----------------------------------------------------------------------------- robustness


@pytest.mark.parametrize("junk", [b"", b"\x00\x01\x02", b"<<<>>>", "<html><body></body></html>", b"\xff" * 50,
                                  "<p>" * 5000, "<div>" * 3000 + "deep text" + "</div>" * 3000, None, 42])
def test_garbage_never_raises(junk):
    a = extract_article(junk)
    assert isinstance(a, Article)
    assert isinstance(a.text, str)


def test_broken_json_ld_and_dates_are_ignored():
    html = ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", "datePublished": '
            '"yesterday", </script><meta property="article:published_time" content="not a date">'
            '</head><body><p>' + "A sentence of ordinary article text. " * 10 + "</p></body></html>")
    a = extract_article(html)
    assert a.published_at is None
    assert a.text.startswith("A sentence of ordinary article text.")


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abcdpivmetascriptbody&;#x\n")), max_size=400))
def test_fuzzed_markup_never_raises(s):
    a = extract_article(s)
    assert isinstance(a.text, str)
