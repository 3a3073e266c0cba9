"""Turn the bytes of an RSS/Atom document into a :class:`ParsedFeed`. Pure: no I/O.

``parse_feed`` never raises and never lets feedparser touch the network or the file
system (it is only ever given an in-memory byte stream). Before feedparser sees the
document we:

1. **decode it ourselves** (BOM, then: valid UTF-8 wins even when the XML declaration
   or HTTP header claims another charset -- the most common real-world mistake; else
   the declared charset; else UTF-8 with replacement characters when the body is
   mostly UTF-8, else Windows-1252), and re-encode it as clean UTF-8 without an XML
   declaration;
2. **remove characters XML forbids** (control characters, lone surrogates, U+FFFE/F)
   and character references to them (``&#xD800;``, ``&#0;``);
3. **remove the DOCTYPE and every ENTITY declaration**: no entity is ever expanded, so
   billion-laughs / quadratic-blowup documents stay small, and external entities
   (XXE, ``SYSTEM "file:///etc/passwd"``) are never read. Entity references left
   dangling are kept as text by feedparser's lenient parser. A ``warning`` says so;
4. **refuse what is not a feed**: an empty body, a body that is not XML (JSON, plain
   text), an HTML page (``error`` names the feed URLs the page advertises, also in
   ``discovered_feeds``), or XML whose root is not rss / feed / rdf:RDF.

Entries: ``entry_key`` is the guid/id, else the canonical link, else
``sha256:<hash of title+summary>``; duplicates (same key) collapse to the first
occurrence. ``url`` is absolute (resolved against xml:base / the feed URL) and
canonicalized; None when the entry has no http(s) link (the caller skips those).
Titles and summaries are plain text. Dates are aware UTC; missing, unparseable,
before 1900, or more than one day in the future -> None (a future date is a
publisher's mistake; we do not guess the real one). At most ``max_items`` entries are
kept (the first ones, feeds list newest first), with a warning.
"""
from __future__ import annotations

import calendar
import hashlib
import io
import re
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from urllib.parse import urljoin

import feedparser

from .models import FeedEntry, ParsedFeed
from .urls import canonicalize_url

FEED_ROOTS = frozenset({"rss", "feed", "rdf", "channel"})
FUTURE_TOLERANCE = timedelta(days=1)
MAX_SUMMARY_CHARS = 20_000
MAX_TITLE_CHARS = 2_000

_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")
_ENTITY_DECL = re.compile(r"<!ENTITY\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.I)
_DECL_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.I)
_ROOT_NAME = re.compile(r"<([A-Za-z_][\w.:-]*)")


# --- decoding -----------------------------------------------------------------------


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    import codecs

    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode(body: bytes, header_charset: str | None) -> tuple[str, str | None]:
    """(text, warning). See the module doc for the order of guesses."""
    for bom, enc in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if body.startswith(bom):
            return body[len(bom) :].decode(enc, "replace"), None
    if body[:4] == b"<\x00?\x00":
        return body.decode("utf-16-le", "replace"), None
    if body[:4] == b"\x00<\x00?":
        return body.decode("utf-16-be", "replace"), None
    m = _DECL_ENCODING.match(body[:512])
    declared = _codec(m.group(1).decode("ascii")) if m else None
    from_header = _codec(header_charset)
    claimed = [c for c in (from_header, declared) if c]
    try:
        text = body.decode("utf-8")
        wrong = [c for c in claimed if c not in ("utf-8", "ascii")]
        if wrong and not text.isascii():
            return text, f"declared charset {wrong[0]} but the body is valid UTF-8; decoded as UTF-8"
        return text, None
    except UnicodeDecodeError:
        pass
    for enc in claimed:
        if enc in ("utf-8", "ascii") or enc.startswith(("utf-16", "utf-32")):
            continue
        try:
            return body.decode(enc), None
        except (UnicodeDecodeError, LookupError):
            continue
    text = body.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 0x7F) - bad
    # Valid multi-byte UTF-8 sequences almost never occur by chance in legacy 8-bit
    # text, so a few of them mean "UTF-8 with some garbage", not "Windows-1252".
    if good * 4 >= bad:
        return text, f"invalid UTF-8: {bad} undecodable byte sequence(s) replaced with U+FFFD"
    return body.decode("cp1252", "replace"), "body is not valid UTF-8; decoded as Windows-1252"


def _clean_chars(text: str) -> str:
    def ref(m: re.Match) -> str:
        try:
            code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
        except ValueError:
            return ""
        if (
            code in (0x9, 0xA, 0xD)
            or 0x20 <= code <= 0xD7FF
            or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF
        ):
            return m.group(0)
        return ""

    return _INVALID_XML_CHARS.sub("", _CHAR_REF.sub(ref, text))


# --- prolog: declaration, DOCTYPE, root element ---------------------------------------


def _scan_doctype(text: str, start: int) -> int:
    """Index just past the DOCTYPE starting at ``start`` (quotes and [subset] aware); -1 if unterminated."""
    i, n, depth, quote = start + 9, len(text), 0, ""
    while i < n:
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(0, depth - 1)
        elif ch == ">" and depth == 0:
            return i + 1
        elif text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            if end == -1:
                return -1
            i = end + 3
            continue
        i += 1
    return -1


def _prolog(text: str) -> tuple[str, str | None, bool, bool]:
    """Strip the XML declaration and DOCTYPE.

    Returns (text from the root element on, doctype text or None, had_entities,
    unterminated). Comments and processing instructions in the prolog are dropped.
    """
    pos, n = 0, len(text)
    doctype = None
    while pos < n:
        while pos < n and text[pos] in " \t\r\n\ufeff":
            pos += 1
        if text.startswith("<?", pos):
            end = text.find("?>", pos)
            if end == -1:
                return text[pos:], doctype, False, True
            pos = end + 2
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos)
            if end == -1:
                return text[pos:], doctype, False, True
            pos = end + 3
        elif text[pos : pos + 9].upper() == "<!DOCTYPE":
            end = _scan_doctype(text, pos)
            if end == -1:
                return "", text[pos:], "<!ENTITY" in text[pos:].upper(), True
            doctype = text[pos:end]
            pos = end
        else:
            break
    return text[pos:], doctype, bool(doctype and "<!ENTITY" in doctype.upper()), False


class _FeedLinkFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag != "link":
            return
        a = {k.lower(): (v or "") for k, v in attrs}
        rel = a.get("rel", "").lower().split()
        typ = a.get("type", "").lower()
        if "alternate" in rel and typ in (
            "application/rss+xml",
            "application/atom+xml",
            "application/rdf+xml",
            "application/feed+json",
            "application/json",
        ) and a.get("href"):
            self.found.append(a["href"].strip())


def _discover_feeds(html: str, base: str) -> tuple[str, ...]:
    finder = _FeedLinkFinder()
    try:
        finder.feed(html[:500_000])
        finder.close()
    except Exception:
        pass
    out: list[str] = []
    for href in finder.found:
        url = canonicalize_url(href, base)
        if url.startswith(("http://", "https://")) and url not in out:
            out.append(url)
    return tuple(out[:10])


# --- text and dates ------------------------------------------------------------------


class _TextExtractor(HTMLParser):
    BLOCK = frozenset(
        "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote tr table section article header footer pre hr figure figcaption dd dt".split()
    )
    SKIP = frozenset({"script", "style", "template", "noscript", "iframe", "object", "svg"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def _norm_space(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def plain_text(markup: str, *, is_html: bool = True, limit: int = MAX_SUMMARY_CHARS) -> str:
    """Markup -> plain text: tags dropped, entities decoded, whitespace collapsed."""
    if not markup:
        return ""
    if is_html:
        ex = _TextExtractor()
        try:
            ex.feed(markup)
            ex.close()
            markup = "".join(ex.parts)
        except Exception:
            markup = re.sub(r"<[^>]*>", " ", markup)
    text = _norm_space(_INVALID_XML_CHARS.sub("", markup))
    return text[:limit]


def _detail_is_html(entry, name: str) -> bool:
    detail = entry.get(f"{name}_detail") or {}
    typ = (detail.get("type") or "text/html").lower()
    return "html" in typ or "xml" in typ


def _to_utc(value, now: datetime) -> datetime | None:
    """feedparser's UTC struct_time -> aware datetime; None when absent or implausible."""
    if not value:
        return None
    try:
        dt = datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
    if dt.year < 1900 or dt > now + FUTURE_TOLERANCE:
        return None
    return dt


def _entry_link(entry, base: str) -> str | None:
    candidates: list[str] = []
    for link in entry.get("links") or []:
        rel = (link.get("rel") or "alternate").lower()
        if rel == "alternate" and link.get("href"):
            candidates.append(link["href"])
    if entry.get("link"):
        candidates.insert(0, entry["link"])
    guid = entry.get("id") or ""
    if entry.get("guidislink") and guid:
        candidates.append(guid)
    for href in candidates:
        url = canonicalize_url(str(href), base)
        if url.startswith(("http://", "https://")):
            return url
    return None


def _hash(*parts: str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()


# --- the entry point ----------------------------------------------------------------------


def parse_feed(
    body: bytes,
    *,
    feed_url: str,
    headers: dict[str, str] | None = None,
    max_items: int = 500,
    now: datetime | None = None,
) -> ParsedFeed:
    """Parse an RSS/Atom document. Never raises; see the module doc."""
    try:
        return _parse_feed(body, feed_url, headers or {}, max_items, now or datetime.now(timezone.utc))
    except Exception as exc:  # pragma: no cover - last line of defence
        return ParsedFeed(
            feed_url=feed_url, title=None, link=None, entries=(),
            error=f"feed parser failed: {type(exc).__name__}: {exc}",
        )


def _parse_feed(body: bytes, feed_url: str, headers: dict[str, str], max_items: int, now: datetime) -> ParsedFeed:
    def refuse(message: str, discovered: tuple[str, ...] = ()) -> ParsedFeed:
        return ParsedFeed(feed_url=feed_url, title=None, link=None, entries=(), error=message, discovered_feeds=discovered)

    if not body or not body.strip():
        return refuse("empty body: the server sent no feed")
    headers = {k.lower(): v for k, v in headers.items()}
    m = _HEADER_CHARSET.search(headers.get("content-type", ""))
    text, warning = _decode(body, m.group(1) if m else None)
    warnings = [warning] if warning else []
    text = _clean_chars(text)
    rest, doctype, had_entities, unterminated = _prolog(text)
    start = rest.lstrip()[:1]
    if start != "<":
        snippet = (rest.strip() or text.strip())[:60]
        if start in ("{", "["):
            return refuse(f"not a feed: the body is JSON, not RSS/Atom XML (starts with {snippet!r})")
        return refuse(f"not a feed: the body is not XML (starts with {snippet!r})")
    root = _ROOT_NAME.match(rest.lstrip())
    root_name = root.group(1).split(":")[-1].lower() if root else ""
    if root_name in ("html", "head", "body") or (doctype and "html" in doctype.lower() and root_name not in FEED_ROOTS):
        found = _discover_feeds(text, feed_url)
        hint = f"; the page links to feed(s): {', '.join(found)}" if found else ""
        return refuse(f"not a feed: the server sent an HTML page{hint}", found)
    if unterminated:
        return refuse("refused XML: unterminated DOCTYPE or prolog")
    if root_name not in FEED_ROOTS:
        return refuse(f"not a feed: XML root element is <{root.group(1) if root else '?'}>, not rss, feed or rdf:RDF")
    if doctype is not None:
        if had_entities or "SYSTEM" in doctype.upper() or "PUBLIC" in doctype.upper():
            warnings.append("DOCTYPE with entity declarations or an external DTD removed; entities were not expanded")
    if _ENTITY_DECL.search(rest):
        rest = _ENTITY_DECL.sub("", rest)
        warnings.append("stray ENTITY declarations removed")

    parsed = feedparser.parse(
        io.BytesIO(rest.encode("utf-8")),
        # No Content-Location: feedparser would resolve RSS guids against it and make
        # entry keys depend on the feed URL. Links are resolved by us (xml:base is
        # still applied by feedparser).
        response_headers={"content-type": "application/xml; charset=utf-8"},
        # We reduce all markup to plain text ourselves (scripts and styles dropped), so
        # feedparser's HTML sanitizer and URI rewriting inside content are wasted work.
        resolve_relative_uris=False,
        sanitize_html=False,
    )
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        warnings.append(f"malformed feed, parsed leniently: {type(exc).__name__}: {exc}"[:300])
    feed = parsed.get("feed") or {}
    if not parsed.get("version") and not parsed.get("entries") and not feed.get("title"):
        return refuse("not a feed: nothing recognisable as RSS or Atom" + (f" ({warnings[-1]})" if warnings else ""))

    entries: list[FeedEntry] = []
    seen: set[str] = set()
    duplicates = capped = 0
    for e in parsed.get("entries") or []:
        url = _entry_link(e, feed_url)
        title = plain_text(str(e.get("title") or ""), is_html=_detail_is_html(e, "title"), limit=MAX_TITLE_CHARS)
        raw_summary = e.get("summary") or ""
        summary_html = _detail_is_html(e, "summary")
        if not raw_summary and e.get("content"):
            raw_summary = e["content"][0].get("value") or ""
            summary_html = "html" in (e["content"][0].get("type") or "text/html")
        summary = plain_text(str(raw_summary), is_html=summary_html)
        guid = " ".join(str(e.get("id") or "").split())[:2048]
        key = guid or url or "sha256:" + _hash(title, summary)
        if key in seen:
            duplicates += 1
            continue
        if len(entries) >= max_items:
            capped += 1
            continue
        seen.add(key)
        entries.append(
            FeedEntry(
                entry_key=key,
                url=url,
                title=title,
                summary=summary,
                # dict.get: FeedParserDict.get would map a missing updated_parsed
                # to published_parsed (deprecated fallback); keep them apart.
                published_at=_to_utc(dict.get(e, "published_parsed"), now),
                updated_at=_to_utc(dict.get(e, "updated_parsed"), now),
                content_hash=_hash(title, summary, url or ""),
            )
        )
    if duplicates:
        warnings.append(f"{duplicates} entr{'y' if duplicates == 1 else 'ies'} with a duplicate id dropped")
    if capped:
        warnings.append(f"feed has {len(entries) + capped} entries; kept the first {len(entries)}")
    feed_link = feed.get("link")
    return ParsedFeed(
        feed_url=feed_url,
        title=plain_text(str(feed.get("title") or ""), is_html=False, limit=MAX_TITLE_CHARS) or None,
        link=canonicalize_url(str(feed_link), feed_url) if feed_link else None,
        entries=tuple(entries),
        warning="; ".join(warnings) or None,
    )
