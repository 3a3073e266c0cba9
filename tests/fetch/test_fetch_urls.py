"""canonicalize_url: examples and properties."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sources.urls import TRACKING_PARAMS, canonicalize_url


@pytest.mark.parametrize(
    "url, expected",
    [
        ("HTTP://Example.COM:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com./a", "https://example.com/a"),
        ("https://example.com/a#section", "https://example.com/a"),
        ("https://example.com/a/./b/../c", "https://example.com/a/c"),
        ("https://example.com/%7euser/%2f%c3%a9", "https://example.com/~user/%2F%C3%A9"),
        ("https://example.com/a b/é", "https://example.com/a%20b/%C3%A9"),
        ("https://example.com/100%", "https://example.com/100%25"),
        ("https://example.com/?b=2&a=1&utm_source=tw&utm_medium=social", "https://example.com/?a=1&b=2"),
        ("https://example.com/?fbclid=x&gclid=y&mc_cid=1&mc_eid=2&igshid=3&id=9", "https://example.com/?id=9"),
        ("https://example.com/?ref_src=twsrc%5Etfw&q=flood", "https://example.com/?q=flood"),
        ("https://example.com/?ref=rss", "https://example.com/"),
        ("https://github.com/o/r/blob/x?ref=main", "https://github.com/o/r/blob/x?ref=main"),
        ("https://example.com/search?q=a+b&page=2", "https://example.com/search?page=2&q=a+b"),
        ("https://example.com/?a=2&a=1", "https://example.com/?a=2&a=1"),  # repeated keys keep order
        ("https://example.com/news/amp/flood-2026", "https://example.com/news/flood-2026"),
        ("https://example.com/news/flood-2026/amp", "https://example.com/news/flood-2026"),
        ("https://example.com/news/flood-2026/amp/", "https://example.com/news/flood-2026/"),
        ("https://example.com/news/flood.amp.html", "https://example.com/news/flood.html"),
        ("https://example.com/news/flood.amp", "https://example.com/news/flood"),
        ("https://example.com/news/flood?amp=1", "https://example.com/news/flood"),
        ("https://example.com/news/flood?outputType=amp", "https://example.com/news/flood"),
        ("https://amp.example.com/news/flood", "https://example.com/news/flood"),
        ("https://www-example-com.cdn.ampproject.org/c/s/www.example.com/news/flood", "https://www.example.com/news/flood"),
        ("https://münchen.example/straße", "https://xn--mnchen-3ya.example/stra%C3%9Fe"),
        ("https://example.com/example-amplifier", "https://example.com/example-amplifier"),
        ("mailto:someone@example.com", "mailto:someone@example.com"),
        ("https://example.com/index.php?rss", "https://example.com/index.php?rss"),  # a feed URL stays usable
        ("https://example.com/?p=1&source=rss_feed", "https://example.com/?p=1"),
    ],
)
def test_examples(url, expected):
    assert canonicalize_url(url) == expected
    assert canonicalize_url(expected) == expected


def test_relative_against_base():
    base = "https://news.example/feeds/world.xml"
    assert canonicalize_url("../story/1?utm_campaign=x", base) == "https://news.example/story/1"
    assert canonicalize_url("story/2#c", base) == "https://news.example/feeds/story/2"
    assert canonicalize_url("//cdn.example/x", base) == "https://cdn.example/x"
    assert canonicalize_url("https://other.example/a", base) == "https://other.example/a"


def test_surrounding_whitespace_and_newlines():
    assert canonicalize_url("  \n https://example.com/a\n\tb  ") == "https://example.com/ab"


# --- properties -------------------------------------------------------------------------

_host = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9-]{0,10}[A-Za-z0-9])?(\.[A-Za-z]{2,6}){1,2}", fullmatch=True)
_seg = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/?#"), max_size=8)
_key = st.sampled_from(["q", "id", "page", "utm_source", "utm_medium", "fbclid", "gclid", "ref", "amp", "a", "B", "mc_cid"])
_val = st.text(alphabet="abcXYZ019-_.~%+é&=", max_size=6)


@st.composite
def urls(draw):
    scheme = draw(st.sampled_from(["http", "https", "HTTP", "HtTpS"]))
    host = draw(_host)
    if draw(st.booleans()):
        host = "amp." + host
    port = draw(st.sampled_from(["", ":80", ":443", ":8080"]))
    path = "/".join(draw(st.lists(st.one_of(_seg, st.sampled_from(["amp", ".", "..", "x.amp.html"])), max_size=5)))
    query = "&".join(f"{k}={v}" for k, v in draw(st.lists(st.tuples(_key, _val), max_size=5)))
    frag = draw(st.text(max_size=5))
    return f"{scheme}://{host}{port}/{path}" + (f"?{query}" if query else "") + (f"#{frag}" if frag else "")


@settings(max_examples=150, deadline=None)
@given(urls())
def test_idempotent_on_url_like_input(url):
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60), st.one_of(st.none(), st.text(max_size=30), urls()))
def test_never_raises_and_idempotent_on_arbitrary_text(text, base):
    once = canonicalize_url(text, base)
    assert isinstance(once, str)
    assert canonicalize_url(once) == once


@settings(max_examples=150, deadline=None)
@given(urls())
def test_fragment_and_tracking_params_removed(url):
    out = canonicalize_url(url)
    parts = urlsplit(out)
    assert parts.fragment == "" and "#" not in out
    assert parts.scheme in ("http", "https") and parts.hostname == parts.hostname.lower()
    for key, _ in parse_qsl(parts.query, keep_blank_values=True):
        k = key.lower()
        assert not k.startswith("utm_") and k not in TRACKING_PARAMS, out
    assert not parts.hostname.startswith("amp.")
    assert "amp" not in [s.lower() for s in parts.path.split("/")]


@settings(max_examples=100, deadline=None)
@given(urls(), st.sampled_from(["utm_source=x", "fbclid=abc", "gclid=1", "utm_campaign=spring"]))
def test_adding_tracking_param_does_not_change_result(url, tracking):
    # trailing spaces/controls of a whole URL are stripped, so drop them here too
    base = url.split("#", 1)[0].rstrip("".join(map(chr, range(33))) + "\x7f")
    sep = "&" if "?" in base else "?"
    assert canonicalize_url(base + sep + tracking) == canonicalize_url(base)
