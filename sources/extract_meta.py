"""Metadata for article extraction, read from the raw HTML text without a parse.

The page is scanned once with a few regular expressions for ``<meta>``,
``<link>``, ``<html lang>``, ``<title>`` and JSON-LD ``<script>`` blocks; the
HTML parse proper (BeautifulSoup) then runs on a copy stripped of those tags.
"""
from __future__ import annotations

import html as htmllib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

_ATTR = re.compile(r"""([^\s=/>"']+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_META = re.compile(r"<meta\b([^>]*)>", re.I)
_LINK = re.compile(r"<link\b([^>]*)>", re.I)
_HTML_TAG = re.compile(r"<html\b([^>]*)>", re.I)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.I | re.S)
_JSONLD = re.compile(
    r"""<script\b[^>]*?type\s*=\s*["']?application/ld\+json["']?[^>]*>(.*?)</script\s*>""", re.I | re.S
)
_TAGS = re.compile(r"<[^>]+>")
_WS = re.compile(r"\s+")

ARTICLE_TYPES = {
    "newsarticle", "article", "blogposting", "liveblogposting", "reportagenewsarticle",
    "analysisnewsarticle", "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle",
    "socialmediaposting", "techarticle", "scholarlyarticle", "report", "posting",
    "askpublicnewsarticle", "satiricalarticle", "discussionforumposting",
}


def parse_attrs(s: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _ATTR.finditer(s):
        name = m.group(1).lower()
        if name not in out:
            val = m.group(2) if m.group(2) is not None else m.group(3) if m.group(3) is not None else m.group(4)
            out[name] = htmllib.unescape(val or "")
    return out


def clean_text(s: str | None) -> str:
    if not s:
        return ""
    if "<" in s:
        s = _TAGS.sub(" ", s)
    if "&" in s:
        s = htmllib.unescape(s)
    return _WS.sub(" ", s).strip()


# ----------------------------------------------------------------------------- dates

_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?(Z|[+-]\d{2}:?\d{2})?$")
_TZ_NOCOLON = re.compile(r"([+-]\d{2})(\d{2})$")


def parse_date(value) -> datetime | None:
    """Parse ISO 8601 / RFC 2822 / compact dates to an aware UTC datetime."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            ts = float(value)
            if ts > 1e11:  # milliseconds
                ts /= 1000.0
            return datetime.fromtimestamp(ts, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s or len(s) > 64:
        return None
    dt = None
    iso = s.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", s) else s
    if iso.endswith("Z") or iso.endswith("z"):
        iso = iso[:-1] + "+00:00"
    iso = iso.replace(" +", "+").replace(" -", "-") if "T" in iso else iso
    iso = _TZ_NOCOLON.sub(r"\1:\2", iso) if re.search(r"T.*[+-]\d{4}$", iso) else iso
    try:
        dt = datetime.fromisoformat(iso)
    except ValueError:
        m = _COMPACT.match(s)
        if m:
            try:
                y, mo, d, h, mi, sec, tz = m.groups()
                dt = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(sec or 0))
                if tz and tz != "Z":
                    sign = 1 if tz[0] == "+" else -1
                    tz = tz[1:].replace(":", "")
                    dt = dt.replace(tzinfo=timezone(sign * timedelta(hours=int(tz[:2]), minutes=int(tz[2:]))))
            except ValueError:
                dt = None
        else:
            try:
                dt = parsedate_to_datetime(s)
            except (TypeError, ValueError, IndexError):
                dt = None
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    try:
        dt = dt.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        return None
    if not (1990 <= dt.year <= 2100):
        return None
    return dt


# ----------------------------------------------------------------------------- JSON-LD


def _iter_ld(obj, depth=0):
    if depth > 6:
        return
    if isinstance(obj, list):
        for o in obj:
            yield from _iter_ld(o, depth + 1)
    elif isinstance(obj, dict):
        yield obj
        graph = obj.get("@graph")
        if graph is not None:
            yield from _iter_ld(graph, depth + 1)
        main = obj.get("mainEntity")
        if isinstance(main, (dict, list)):
            yield from _iter_ld(main, depth + 1)


def ld_types(obj: dict) -> set[str]:
    t = obj.get("@type")
    if isinstance(t, str):
        return {t.lower().rsplit("/", 1)[-1]}
    if isinstance(t, list):
        return {x.lower().rsplit("/", 1)[-1] for x in t if isinstance(x, str)}
    return set()


def _load_json(raw: str):
    raw = raw.strip()
    if raw.startswith("<!--"):
        raw = raw[4:]
    if raw.endswith("-->"):
        raw = raw[:-3]
    raw = raw.strip().rstrip(";")
    try:
        return json.loads(raw, strict=False)
    except ValueError:
        try:  # common breakage: trailing commas
            return json.loads(re.sub(r",\s*([}\]])", r"\1", raw), strict=False)
        except ValueError:
            return None


def _names(value) -> list[str]:
    out: list[str] = []
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict):
        n = value.get("name")
        if isinstance(n, str):
            out.append(n)
        elif isinstance(n, list):
            out.extend(x for x in n if isinstance(x, str))
    elif isinstance(value, list):
        for v in value[:20]:
            out.extend(_names(v))
    return out


# ----------------------------------------------------------------------------- container


@dataclass
class PageMeta:
    metas: dict[str, str] = field(default_factory=dict)  # lower-cased name/property -> first content
    meta_all: dict[str, list[str]] = field(default_factory=dict)
    canonical: str | None = None
    html_lang: str | None = None
    title_tag: str | None = None
    ld_article: dict | None = None  # the best JSON-LD article-like object
    ld_objects: list = field(default_factory=list)

    def meta(self, *names: str) -> str | None:
        for n in names:
            v = self.metas.get(n)
            if v and v.strip():
                return v.strip()
        return None


def read_meta(doc: str) -> PageMeta:
    pm = PageMeta()
    head_end = doc.find("<body")
    if head_end < 0:
        head_end = min(len(doc), 300_000)
    for m in _META.finditer(doc):
        a = parse_attrs(m.group(1))
        key = a.get("property") or a.get("name") or a.get("itemprop") or a.get("http-equiv")
        if not key or "content" not in a:
            continue
        key = key.strip().lower()
        val = a["content"]
        pm.meta_all.setdefault(key, []).append(val)
        if key not in pm.metas or (not pm.metas[key].strip() and val.strip()):
            pm.metas[key] = val
    for m in _LINK.finditer(doc, 0, head_end + 20000 if head_end < len(doc) else len(doc)):
        a = parse_attrs(m.group(1))
        rel = a.get("rel", "").lower().split()
        if "canonical" in rel and a.get("href") and not pm.canonical:
            pm.canonical = a["href"].strip()
    m = _HTML_TAG.search(doc, 0, 5000)
    if m:
        a = parse_attrs(m.group(1))
        pm.html_lang = (a.get("lang") or a.get("xml:lang") or "").strip() or None
    m = _TITLE.search(doc, 0, head_end + 1 if head_end > 0 else len(doc))
    if m:
        pm.title_tag = clean_text(m.group(1)) or None
    best, best_rank = None, -1
    for m in _JSONLD.finditer(doc):
        data = _load_json(m.group(1))
        if data is None:
            continue
        for obj in _iter_ld(data):
            pm.ld_objects.append(obj)
            types = ld_types(obj)
            if types & ARTICLE_TYPES:
                rank = 2 + ("liveblogposting" in types) + bool(obj.get("articleBody")) + bool(obj.get("headline"))
                if rank > best_rank:
                    best, best_rank = obj, rank
    pm.ld_article = best
    return pm


def _absolute(href: str | None, base: str | None) -> str | None:
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith(("javascript:", "data:", "#")):
        return None
    try:
        out = urljoin(base, href) if base else href
    except ValueError:
        return None
    return out if out.startswith(("http://", "https://")) else (out if not base else None)


def _norm_lang(s: str | None) -> str | None:
    if not s or not isinstance(s, str):
        return None
    s = s.strip().replace("_", "-")
    if not re.match(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$", s):
        return None
    parts = s.split("-")
    parts[0] = parts[0].lower()
    if len(parts) > 1 and len(parts[1]) == 2:
        parts[1] = parts[1].upper()
    return "-".join(parts)


def _first_date(*values) -> datetime | None:
    for v in values:
        d = parse_date(v)
        if d is not None:
            return d
    return None


_URLISH = re.compile(r"^(https?:)?//|^www\.|/")


def metadata(pm: PageMeta, url: str | None) -> dict:
    """Article fields from meta tags and JSON-LD (the page body is not consulted)."""
    ld = pm.ld_article or {}
    headline = ld.get("headline") if isinstance(ld.get("headline"), str) else None
    title = clean_text(
        headline or pm.meta("og:title", "twitter:title", "title", "dc.title", "sailthru.title")
        or pm.title_tag or ""
    ) or None

    published = _first_date(
        ld.get("datePublished"), ld.get("dateCreated"),
        pm.meta("article:published_time", "og:article:published_time", "datepublished",
                "article.published", "publishdate", "pubdate", "publish-date", "date",
                "dc.date.issued", "dc.date", "dcterms.created", "sailthru.date", "parsely-pub-date",
                "og:published_time", "article:published", "cxenseparse:recs:publishtime"),
    )
    modified = _first_date(
        ld.get("dateModified"),
        pm.meta("article:modified_time", "og:updated_time", "datemodified", "article.updated",
                "last-modified", "dcterms.modified", "lastmod", "article:modified"),
    )

    authors: list[str] = []
    for n in _names(ld.get("author")) + _names(ld.get("creator")):
        authors.append(n)
    if not authors:
        for key in ("author", "article:author", "sailthru.author", "parsely-author", "dc.creator", "byl"):
            for v in pm.meta_all.get(key, []):
                authors.append(v)
            if authors:
                break
    seen: set[str] = set()
    clean_authors: list[str] = []
    for a in authors:
        a = clean_text(a)
        a = re.sub(r"^(by|par|von|por|di|door)\s+", "", a, flags=re.I)
        if not a or len(a) > 100 or _URLISH.search(a):
            continue
        for part in re.split(r"\s*(?:,|;|\band\b|&)\s*", a) if len(a) > 40 or " and " in a else [a]:
            part = part.strip()
            if part and part.lower() not in seen and not _URLISH.search(part):
                seen.add(part.lower())
                clean_authors.append(part)

    canonical = _absolute(pm.canonical, url) or _absolute(pm.meta("og:url"), url)
    if not canonical:
        u = ld.get("url") or ld.get("mainEntityOfPage")
        if isinstance(u, dict):
            u = u.get("@id") or u.get("url")
        canonical = _absolute(u if isinstance(u, str) else None, url)

    language = (
        _norm_lang(pm.html_lang) or _norm_lang(pm.meta("content-language", "language", "dc.language"))
        or _norm_lang(ld.get("inLanguage") if isinstance(ld.get("inLanguage"), str) else None)
        or _norm_lang(pm.meta("og:locale"))
    )
    publisher = _names(ld.get("publisher"))
    site_name = clean_text(pm.meta("og:site_name", "application-name", "twitter:site")
                           or (publisher[0] if publisher else "")) or None
    if site_name and site_name.startswith("@") and publisher:
        site_name = clean_text(publisher[0]) or site_name
    description = clean_text(pm.meta("og:description", "description", "twitter:description")
                             or (ld.get("description") if isinstance(ld.get("description"), str) else "")) or None
    return dict(title=title, published_at=published, modified_at=modified, authors=tuple(clean_authors),
                canonical_url=canonical, language=language, site_name=site_name, description=description)


def ld_is_free(pm: PageMeta) -> bool | None:
    for obj in [pm.ld_article] + pm.ld_objects if pm.ld_article else pm.ld_objects:
        if not isinstance(obj, dict):
            continue
        v = obj.get("isAccessibleForFree")
        if v is None:
            continue
        if isinstance(v, str):
            return v.strip().lower() not in ("false", "no", "0")
        return bool(v)
    return None
