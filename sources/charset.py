"""Decode an HTML response body to text.

Order of evidence: byte-order mark, then the Content-Type header charset, then a
``<meta charset>`` / ``http-equiv`` declaration in the first bytes of the page.
A declared charset is only trusted when the bytes decode under it (nearly)
cleanly; a page that is valid, non-ASCII UTF-8 but declares a legacy single-byte
charset is decoded as UTF-8 (the common "wrong declared charset" case).  Without
usable evidence charset-normalizer is asked (when installed), then UTF-8, then
cp1252.  ``decode_html`` never raises.
"""
from __future__ import annotations

import codecs
import re

try:  # optional: present as a dependency of requests/trafilatura in most installs
    from charset_normalizer import from_bytes as _cn_from_bytes
except Exception:  # pragma: no cover - depends on the environment
    _cn_from_bytes = None

__all__ = ["decode_html", "declared_charsets", "normalize_charset"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([\w.:+-]+)""", re.I)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([\w.:+-]+)""", re.I
)

# WHATWG-style aliases: labels that browsers map onto a broader encoding.
_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "ansi_x3.4-1968": "cp1252",
    "iso-8859-9": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "big5": "big5hkscs",
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
    "x-user-defined": "cp1252",
}

# Python codec names of single-byte charsets (any byte string decodes "cleanly").
_UNIBYTE_PREFIXES = ("cp125", "iso8859", "koi8", "mac", "cp874", "cp437", "cp850", "cp866", "latin")


def normalize_charset(label: str | None) -> str | None:
    """Map a charset label to a Python codec name, or None when unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):
        return None
    if name in ("utf-16", "utf-32"):
        # a declared UTF-16 without a BOM on an HTML page is nearly always a lie
        return "utf-8"
    return _ALIASES.get(name, name)


def declared_charsets(body: bytes, content_type: str | None) -> list[str]:
    """Codec names from the header and the page's meta declarations, in that order."""
    out: list[str] = []
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        if m:
            name = normalize_charset(m.group(1))
            if name:
                out.append(name)
    for m in _META_CHARSET.finditer(body[:8192]):
        name = normalize_charset(m.group(1).decode("ascii", "ignore"))
        if name and name not in out:
            out.append(name)
    return out


def _is_unibyte(codec: str) -> bool:
    return codec.replace("-", "").startswith(_UNIBYTE_PREFIXES)


def _try_decode(body: bytes, codec: str, tolerance: float = 0.001) -> str | None:
    """Decode strictly; accept a few bad sequences (<tolerance of the bytes)."""
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        pass
    except Exception:
        return None
    try:
        text = body.decode(codec, errors="replace")
    except Exception:
        return None
    bad = text.count("\ufffd") - body.count(b"\xef\xbf\xbd")
    if bad <= max(1, int(len(body) * tolerance)):
        return text
    return None


def _looks_utf8(body: bytes) -> bool:
    """True when the body has non-ASCII bytes and is valid UTF-8."""
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode an HTML body to ``str``; never raises."""
    try:
        return _decode(body, content_type)
    except Exception:  # belt and braces: decoding must never break a pipeline
        try:
            return bytes(body or b"").decode("utf-8", errors="replace")
        except Exception:
            return ""


def _decode(body: bytes, content_type: str | None) -> str:
    if isinstance(body, str):
        return body
    body = bytes(body or b"")
    if not body:
        return ""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            try:
                return body[len(bom):].decode(codec, errors="replace")
            except Exception:
                break
    declared = declared_charsets(body, content_type)
    for codec in declared:
        if codec != "utf-8" and _is_unibyte(codec) and _looks_utf8(body):
            return body.decode("utf-8")  # declared legacy charset, bytes are clearly UTF-8
        text = _try_decode(body, codec)
        if text is not None:
            return text
    if body.isascii():
        return body.decode("ascii")
    text = _try_decode(body, "utf-8", tolerance=0.0005)
    if text is not None:
        return text
    if _cn_from_bytes is not None:
        try:
            best = _cn_from_bytes(body[:200_000]).best()
            if best is not None and best.encoding:
                codec = normalize_charset(best.encoding) or best.encoding
                return body.decode(codec, errors="replace")
        except Exception:
            pass
    return body.decode("cp1252", errors="replace")
