from __future__ import annotations

import codecs

from hypothesis import given, settings, strategies as st

from sources.charset import decode_html, declared_charsets


def test_header_charset_wins_for_cp1251(fixture_bytes):
    body = fixture_bytes("cp1251_header.html")
    text = decode_html(body, "text/html; charset=windows-1251")
    assert "Новый мост через реку" in text
    # without the header the bytes are not UTF-8; the fallback must still give Cyrillic
    guessed = decode_html(body, None)
    assert "\ufffd" not in guessed[:2000]


def test_meta_http_equiv_charset(fixture_bytes):
    text = decode_html(fixture_bytes("cp1251_meta.html"), "text/html")
    assert "пешеходного моста" in text


def test_meta_charset_shift_jis(fixture_bytes):
    text = decode_html(fixture_bytes("shift_jis.html"), None)
    assert "図書館" in text and "\ufffd" not in text


def test_declared_latin1_but_utf8_bytes(fixture_bytes):
    text = decode_html(fixture_bytes("wrong_charset_utf8.html"), None)
    assert "marché couvert" in text and "Ã" not in text


def test_declared_utf8_but_cp1252_bytes(fixture_bytes):
    text = decode_html(fixture_bytes("wrong_charset_cp1252.html"), "text/html; charset=utf-8")
    assert "ampliación" in text and "miércoles" in text


def test_wrong_header_is_overridden_by_valid_utf8():
    body = "<p>Größere Brücke über den Fluss</p>".encode("utf-8")
    assert "Größere Brücke" in decode_html(body, "text/html; charset=ISO-8859-1")


def test_bom_beats_header():
    body = codecs.BOM_UTF16_LE + "<p>naïve café</p>".encode("utf-16-le")
    assert decode_html(body, "text/html; charset=windows-1252") == "<p>naïve café</p>"
    assert decode_html(codecs.BOM_UTF8 + "é".encode(), None) == "é"


def test_declared_charsets_order_and_unknown_labels():
    body = b'<meta charset="bogus-charset"><meta http-equiv="content-type" content="text/html; charset=koi8-r">'
    assert declared_charsets(body, "text/html; charset=x-sjis") == ["cp932", "koi8-r"]


def test_empty_and_ascii():
    assert decode_html(b"", None) == ""
    assert decode_html(b"<p>plain</p>", "text/html; charset=nonsense") == "<p>plain</p>"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000), st.one_of(st.none(), st.text(max_size=60)))
def test_never_raises(body, content_type):
    assert isinstance(decode_html(body, content_type), str)
