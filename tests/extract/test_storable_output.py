"""Whatever a page contains, the extractor returns text that can be encoded, stored and printed."""
from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from sources.extract import extract_article

BODY = "<p>The harbour authority said on Monday that the new quay would open in the spring after two years of work.</p>"


def _page(headline: str, body: str) -> str:
    ld = json.dumps({"@type": "NewsArticle", "headline": headline, "articleBody": body, "author": {"name": headline}})
    return f'<html><head><script type="application/ld+json">{ld}</script></head><body><article>{BODY}{BODY}</article></body></html>'


def _assert_storable(article) -> None:
    for value in (article.text, article.title or "", article.description or "", article.site_name or "", *article.authors):
        value.encode("utf-8")  # raises on a lone surrogate


def test_json_ld_escaped_lone_surrogates_become_replacement_characters():
    # json.dumps writes the lone surrogate as the escape \ud83d, exactly as hostile pages do.
    article = extract_article(_page("Quay opens \ud83d", "Body \udc00 text " * 20))
    _assert_storable(article)
    assert article.title and "\ufffd" in article.title


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=0, max_size=80), st.text(min_size=0, max_size=300))
def test_any_structured_data_gives_storable_output(headline, body):
    _assert_storable(extract_article(_page(headline, body)))
