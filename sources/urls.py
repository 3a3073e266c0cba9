"""URL canonicalization, so the same article reached by different links is stored once. Pure.

``canonicalize_url`` (http/https only; other URLs come back stripped, unchanged):

* resolves ``url`` against ``base`` (relative links in feeds);
* lower-cases scheme and host, converts IDN hosts to punycode, drops a trailing dot
  and the default port (80 for http, 443 for https), drops the fragment;
* normalizes percent-encoding: escapes of unreserved characters are decoded
  (``%7E`` -> ``~``), other escapes get upper-case hex, characters that must be
  escaped are (spaces, non-ASCII as UTF-8), a stray ``%`` becomes ``%25``;
  removes ``.``/``..`` path segments; an empty path becomes ``/``;
* drops tracking parameters (``utm_*``, ``fbclid``, ``gclid``, ``mc_cid``, ...; see
  ``TRACKING_PARAMS``). ``ref`` is kept (GitHub and others use it meaningfully)
  unless its value is a known source tag like ``rss`` or ``twitter``;
* sorts the remaining query parameters by name (stable: repeated names keep their
  order), keeping each pair's raw form (``+`` stays ``+``, ``?a`` stays ``?a``);
* maps AMP variants to the regular page: ``/amp/`` path segments, a trailing
  ``/amp``, ``.amp`` and ``.amp.html`` suffixes, ``amp=1``/``outputType=amp`` params,
  an ``amp.`` host prefix, and Google AMP-cache URLs
  (``*.cdn.ampproject.org/c/s/host/path``).

Idempotent: ``canonicalize_url(canonicalize_url(x)) == canonicalize_url(x)``.
Never raises on text input.
"""
from __future__ import annotations

import re
from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid",
        "twclid", "ttclid", "li_fat_id", "igshid", "igsh", "mc_cid", "mc_eid",
        "_hsenc", "_hsmi", "__hssc", "__hstc", "__hsfp", "hsctatracking", "mkt_tok",
        "oly_anon_id", "oly_enc_id", "vero_id", "vero_conv", "wickedid", "_ga", "_gl",
        "ref_src", "ref_url", "s_cid", "cmpid", "ncid", "ocid", "sr_share", "spm",
        "at_medium", "at_campaign", "at_custom1", "at_custom2", "at_custom3",
        "at_custom4", "cmp", "xtor", "smid", "smtyp", "trk", "trkcampaign",
        "mbid", "soc_src", "soc_trk", "itm_source", "itm_medium", "itm_campaign",
        "itm_content", "cid_source", "__twitter_impression", "ito", "fb_ref",
        "fb_source", "fb_action_ids", "fb_action_types", "action_object_map",
        "action_type_map", "action_ref_map", "pk_campaign", "pk_kwd",
        "pk_source", "pk_medium", "piwik_campaign", "piwik_kwd", "mtm_campaign",
        "mtm_source", "mtm_medium", "mtm_content", "mtm_keyword", "rb_clickid",
        "s_kwcid", "ef_id", "utm",
    }
)
TRACKING_PREFIXES = ("utm_", "ga_", "hmb_", "pk_", "mtm_", "itm_", "at_")
# ``ref=<one of these>`` only says where the click came from.
SOURCE_TAG_VALUES = frozenset(
    {
        "rss", "feed", "feeds", "atom", "twitter", "tw", "facebook", "fb", "linkedin",
        "reddit", "hn", "hackernews", "social", "share", "newsletter", "email", "mail",
        "hp", "homepage", "home", "nav", "footer", "header", "sidebar", "related",
        "widget", "push", "notification", "app", "whatsapp", "telegram", "flipboard",
        "apple_news", "applenews", "google", "googlenews", "yahoo", "msn", "bing",
        "producthunt", "mastodon", "bluesky", "threads", "instagram",
    }
)
AMP_QUERY = {("amp", ""), ("amp", "1"), ("amp", "true"), ("outputtype", "amp"), ("output", "amp"), ("amp", "yes")}
DEFAULT_PORTS = {"http": 80, "https": 443}

_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PATH_SAFE = _UNRESERVED | frozenset("!$&'()*+,;=:@/")
_QUERY_SAFE = _UNRESERVED | frozenset("!$'()*+,;:@/?=")  # & and = handled as separators
_HEX = frozenset("0123456789abcdefABCDEF")
_AMP_CACHE = re.compile(r"^[a-z0-9-]+\.cdn\.ampproject\.org$")


def _norm_percent(text: str, safe: frozenset[str]) -> str:
    """Normalize the percent-encoding of one URL component (see module doc)."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "%":
            if i + 2 < n + 0 and text[i + 1] in _HEX and text[i + 2] in _HEX:
                code = int(text[i + 1 : i + 3], 16)
                c = chr(code)
                out.append(c if c in _UNRESERVED else "%" + text[i + 1 : i + 3].upper())
                i += 3
                continue
            out.append("%25")
        elif ch in safe:
            out.append(ch)
        else:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass")))
        i += 1
    return "".join(out)


def _remove_dot_segments(path: str) -> str:
    if "." not in path:
        return path
    out: list[str] = []
    segments = path.split("/")
    for i, seg in enumerate(segments):
        last = i == len(segments) - 1
        if seg == ".":
            if last:
                out.append("")
            continue
        if seg == "..":
            if len(out) > 1:
                out.pop()
            if last:
                out.append("")
            continue
        out.append(seg)
    result = "/".join(out)
    if path.startswith("/") and not result.startswith("/"):
        result = "/" + result
    return result


def _idna_host(host: str) -> str:
    host = host.lower().rstrip(".")
    if host.isascii():
        return host
    labels = []
    for label in host.split("."):
        if label.isascii():
            labels.append(label)
            continue
        try:
            import idna  # httpx's dependency: IDNA 2008 with UTS 46 mapping

            labels.append(idna.encode(label, uts46=True).decode("ascii"))
            continue
        except Exception:
            pass
        try:
            labels.append(label.encode("idna").decode("ascii"))
        except Exception:
            labels.append(label)
    return ".".join(labels).lower()


def _strip_amp_path(path: str) -> str:
    segs = path.split("/")
    kept = [s for s in segs if s.lower() != "amp"]
    if len(kept) != len(segs):
        # ".../amp/story" -> ".../story"; ".../story/amp" -> ".../story"
        path = "/".join(kept)
        if not path.startswith("/"):
            path = "/" + path
    low = path.lower()
    if low.endswith(".amp.html"):
        path = path[: -len(".amp.html")] + ".html"
    elif low.endswith(".amp.htm"):
        path = path[: -len(".amp.htm")] + ".htm"
    elif low.endswith(".amp") and len(path) > 4 and path[-5] != "/":
        path = path[:-4]
    while "//" in path:
        path = path.replace("//", "/")
    return path or "/"


def _is_tracking(key: str, value: str) -> bool:
    k = key.lower()
    if k in TRACKING_PARAMS or k.startswith(TRACKING_PREFIXES):
        return True
    if k in ("ref", "source", "src", "from") and value.lower() in SOURCE_TAG_VALUES:
        return True
    if k == "source" and value.lower().startswith("rss"):
        return True
    return (k, value.lower()) in AMP_QUERY


def _decode_key(raw: str) -> str:
    return unquote_plus(raw)


def _canon_query(query: str) -> str:
    pairs: list[tuple[str, str]] = []
    for raw in query.split("&"):
        if raw == "":
            continue
        if "=" in raw:
            k, v = raw.split("=", 1)
            norm = _norm_percent(k, _QUERY_SAFE - {"="}) + "=" + _norm_percent(v, _QUERY_SAFE)
        else:
            k, v = raw, ""
            norm = _norm_percent(k, _QUERY_SAFE - {"="})
        if _is_tracking(_decode_key(k), _decode_key(v)):
            continue
        pairs.append((_decode_key(k), norm))
    pairs.sort(key=lambda p: p[0])
    return "&".join(p[1] for p in pairs)


def _unwrap_amp_cache(host: str, path: str) -> tuple[str, str, str] | None:
    """``https://x-com.cdn.ampproject.org/c/s/x.com/a`` -> ("https", "x.com", "/a")."""
    if not _AMP_CACHE.match(host):
        return None
    m = re.match(r"^/(?:c|v|i)/(s/)?([^/]+)(/.*)?$", path)
    if not m:
        return None
    return ("https" if m.group(1) else "http", m.group(2), m.group(3) or "/")


def _canon_once(url: str) -> str:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.netloc:
        return url
    netloc = parts.netloc
    userinfo = ""
    if "@" in netloc:
        userinfo, netloc = netloc.rsplit("@", 1)
        userinfo += "@"
    host, port = netloc, ""
    if host.startswith("["):
        end = host.find("]")
        if end != -1:
            host, port = host[: end + 1], host[end + 1 :].lstrip(":")
    elif ":" in host:
        host, port = host.rsplit(":", 1)
    host = _idna_host(host)
    path = parts.path
    unwrapped = _unwrap_amp_cache(host, path)
    if unwrapped is not None:
        scheme, hostport, path = unwrapped
        return _canon_once(urlunsplit((scheme, hostport, path, parts.query, "")))
    if host.startswith("amp.") and host.count(".") >= 2:
        host = host[4:]
    if port:
        if port.isdigit() and int(port) == DEFAULT_PORTS[scheme]:
            port = ""
        elif port.isdigit():
            port = str(int(port))
    netloc = userinfo + host + (":" + port if port else "")
    path = _norm_percent(path, _PATH_SAFE)
    path = _remove_dot_segments(path) or "/"
    if not path.startswith("/"):
        path = "/" + path
    path = _strip_amp_path(path)
    query = _canon_query(parts.query)
    return urlunsplit((scheme, netloc, path, query, ""))


_EDGE = "".join(map(chr, range(33))) + "\x7f"


def _clean(text: str) -> str:
    """Drop tabs/newlines anywhere and C0 controls/spaces at both ends (as browsers do)."""
    return re.sub(r"[\t\r\n]", "", text).strip(_EDGE)


def canonicalize_url(url: str, base: str | None = None) -> str:
    """The canonical form of ``url`` (resolved against ``base``); see the module doc."""
    try:
        text = _clean(url)
        text = text.replace("\\", "/") if text[:5].lower().startswith("http") else text
        if base:
            try:
                text = _clean(urljoin(_clean(base), text))
            except ValueError:
                pass
        # A few rounds to a fixed point: each step only removes or normalizes, so
        # this converges; it makes idempotence hold even for odd inputs.
        out = text
        for _ in range(4):
            try:
                nxt = _canon_once(out)
            except ValueError:
                return out
            if nxt == out:
                break
            out = nxt
        return out
    except Exception:  # pragma: no cover - last line of defence; must never raise
        return url
