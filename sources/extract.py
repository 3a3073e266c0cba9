"""Article extraction: main text and metadata of a news page.

Pipeline (one HTML parse per page):

1. decode bytes (``sources.charset``), read metadata from ``<meta>``/``<link>``/
   JSON-LD with regular expressions (``sources.extract_meta``);
2. drop markup that never holds article text (scripts, styles, svg, forms
   controls, nav/aside/footer regions, void tags) from the source text, then
   parse once with BeautifulSoup + lxml;
3. walk the tree once, cutting it into text *blocks* (paragraphs, headings,
   list items, cells) and recording for each block its block-level ancestors,
   link text share and whether a "boilerplate" class/id (share, related,
   comments, newsletter, ...) sits above it;
4. score every ancestor element: characters of good prose inside it minus a
   share of the characters of junk (link lists, short fragments, text under
   boilerplate classes); the best-scoring element is the article container;
5. keep the container's blocks minus boilerplate ones (boilerplate ancestors
   below the container, link-heavy blocks, bylines/datelines, captions, stock
   phrases), and fall back to the JSON-LD ``articleBody`` when the page gives
   clearly less text than it.
"""
from __future__ import annotations

import re
from dataclasses import replace

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from sources.charset import decode_html
from sources.extract_meta import (
    clean_text, ld_is_free, ld_types, metadata, parse_date, read_meta, PageMeta,
)
from sources.models import Article, LiveEntry

__all__ = ["extract_article"]

# ----------------------------------------------------------------------------- pre-parse stripping

_RAW_OPEN = re.compile(
    r"<(script|style|svg|select|noscript|iframe|button|template|textarea|object|video|audio|canvas|math)\b|<!--",
    re.I,
)
_VOID_TAGS = re.compile(r"<(?:meta|link|img|source|input|wbr|col|param|track|area|embed|path|base)\b[^>]*>", re.I)
# Landmark regions that never hold the article text (nesting is rare; a stray
# close tag left behind is harmless).
_REGION_OPEN = re.compile(r"<(nav|aside|footer)\b", re.I)


def _cut_elements(doc: str, opener: re.Pattern) -> str:
    """Remove every element `opener` starts, through its closing tag, in one left-to-right pass.

    A regex with `.*?</\\1>` rescans to the end of the page for each unclosed tag (quadratic: a
    broken page with thousands of stray <svg> took seconds). Here each closing tag is looked up
    once with str.find, and a tag name found unclosed once is never searched for again, so the
    cost stays linear. Unclosed elements are left in place for the parser to cope with.
    """
    lower = doc.lower()
    out: list[str] = []
    pos = 0
    unclosed: set[str] = set()
    while True:
        m = opener.search(doc, pos)
        if m is None:
            break
        name = m.group(1).lower() if m.group(1) else "!--"
        closing = "-->" if name == "!--" else "</" + name
        end = -1 if name in unclosed else lower.find(closing, m.end())
        if end == -1:
            unclosed.add(name)
            out.append(doc[pos : m.end()])
            pos = m.end()
            continue
        stop = end + len(closing) if name == "!--" else lower.find(">", end)
        stop = len(doc) if stop == -1 else stop + (0 if name == "!--" else 1)
        out.append(doc[pos : m.start()])
        out.append(" ")
        pos = stop
    out.append(doc[pos:])
    return "".join(out)


def _strip_noise(doc: str) -> str:
    return _cut_elements(_VOID_TAGS.sub(" ", _cut_elements(doc, _RAW_OPEN)), _REGION_OPEN)


# ----------------------------------------------------------------------------- tree walk tables

_BLOCK = frozenset(
    "p div section article main li ul ol dl dt dd h1 h2 h3 h4 h5 h6 blockquote pre table tr "
    "tbody thead tfoot header address center details summary caption hr body html form fieldset "
    "figure figcaption menu".split()
)
_SKIP = frozenset(
    "script style noscript iframe svg button select option textarea template object embed video audio "
    "canvas map nav aside footer figure figcaption label dialog head title meta link input picture "
    "form-control math".split()
)
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())

# Class/id tokens of boilerplate containers.  "Strong" ones are never the
# article, however much text they hold (comment threads can be long).
_NEG_STRONG = re.compile(
    r"(?:^|[\s_-])(?:comments?|commentlist|disqus|replies|respond|related|recommend\w*|newsletter\w*|"
    r"outbrain|taboola|cookie\w*|consent|gdpr|sidebar|share|sharing|sharebar|social|socials|"
    r"breadcrumbs?|footer|masthead|navbar|navigation|nav|menu|popup|modal|trending|most-read|mostread|"
    r"more-stories|read-more|readmore|see-also|inline-related|recirc\w*|sponsor\w*)(?=$|[\s_-])",
    re.I,
)
_NEG_WEAK = re.compile(
    r"(?:^|[\s_-])(?:subscribe\w*|subscription|promo\w*|advert\w*|ad|ads|adv|adslot|dfp|banner|"
    r"widget\w*|byline\w*|author\w*|caption\w*|credits?|tags?|taglist|keywords|topics|header|"
    r"overlay|signup|rail|popular|print|toolbar|timestamp|dateline|skip|jump|pagination|pager|login|"
    r"signin|rating|reactions|feedback|hidden|sr-only|visually-hidden|screen-reader-text|offscreen|"
    r"article-meta|post-meta|entry-meta|contributor|disclaimer|gallery|slideshow|carousel|lightbox|"
    r"excerpt|blurb|dek|teasers?|headlines|paywall\w*|regwall|piano)(?=$|[\s_-])",
    re.I,
)
_EMBED = re.compile(r"tweet|instagram-media|embed", re.I)
_PAYWALL = re.compile(r"paywall|regwall|subscriber-only|premium-content|meter-wall|piano-?(?:wall|offer)", re.I)
_POS = re.compile(
    r"articlebody|article-body|article_body|articletext|article-text|article-content|article__body|"
    r"article__content|story-body|storybody|story-content|story-text|storytext|entry-content|"
    r"post-content|post-body|postbody|post-entry|body-text|bodytext|main-content|content-body|"
    r"article-main|text-content|rich-text|richtext|\bcontent\b|\barticle\b|\bstory\b",
    re.I,
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WS = re.compile(r"[ \t\r\f\v\u00a0\u200b\u2009\u202f]+")
_SENTENCE_END = re.compile(r"[.!?…。！？\"”’»)]\s*$")

_BOILER_LINE = re.compile(
    r"^\W*(?:advertisements?|advertising|advert|adverts|top videos?|don'?t miss|join the conversation|"
    r"tell us what you think|anzeige|publicidad|publicité|pubblicità|sponsored(?: content)?|"
    r"read (?:more|next|also|the full story)|related(?: articles| stories| content| coverage)?|see also|"
    r"more (?:from|on|about|stories)|recommended|you (?:may|might) also like|share(?: this)?(?: article| story| on \w+)?|"
    r"follow us|sign up|subscribe|click here|tap here|continue reading|skip (?:to|this)|"
    r"photo|photos|image|images|credit|source|getty images|ap photo|reuters|afp|"
    r"copyright|all rights reserved|comments?|leave a (?:comment|reply)|tags?|filed under|"
    r"topics?|print|email|e-mail|facebook|twitter|linkedin|whatsapp|pinterest|reddit)\b",
    re.I,
)
_BYLINE = re.compile(r"^(?:by|por|par|von|di|door|av|af|z|от|автор)\s+\S", re.I)
_DATEISH = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t|tember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|updated|published|posted|\d{1,2}:\d{2}|"
    r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d+\s+(?:minutes?|hours?|days?)\s+ago)\b",
    re.I,
)
_CAPTION = re.compile(
    r"^in this (?:\w+ )?(?:\d|[a-z]{3,9}\.? \d).{0,200}\b(?:photo|image|picture)\b"
    r"|\((?:AP|AFP|Reuters|Getty|EPA|file)[^()]{0,60}(?:photo|images?)[^()]{0,40}\)\s*$",
    re.I,
)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright)", re.I)

_MAX_DEPTH = 300

# ----------------------------------------------------------------------------- data holders


class _Block:
    __slots__ = ("text", "link", "tag", "chain", "neg", "flags", "lead_link")

    def __init__(self, text, link, tag, chain, flags, lead_link=0):
        self.lead_link = lead_link  # link characters before any plain text (teaser headlines)
        self.text = text  # normalized text
        self.link = link  # characters inside <a>
        self.tag = tag  # tag of the owning block element
        self.chain = chain  # tuple of element ids, outermost first
        self.neg = -1  # index into chain of the deepest boilerplate ancestor (set after the walk)
        self.flags = flags  # bit set: 1 heading, 2 list item, 4 table cell, 8 pre, 16 blockquote


class _Walker:
    """Single pass over the soup building blocks and element metadata."""

    def __init__(self):
        self.blocks: list[_Block] = []
        self.el_pos: list[float] = []  # positive class signal per element id
        self.el_neg: list[int] = []  # 0 none, 1 weak, 2 strong boilerplate class on the element
        self.el_node: list[Tag] = []
        self.chain: list[int] = []
        self.buf: list[str] = []
        self.cells = 0  # table cells seen in the current block
        self.lead_link = 0
        self.plain_seen = False
        self.link_chars = 0
        self.in_link = 0
        self.flags_stack: list[int] = [0]
        self.tag_stack: list[str] = ["body"]
        self.paywall_seen = False

    def flush(self):
        if not self.buf:
            return
        raw = "".join(self.buf)
        self.buf = []
        self.cells = 0
        link = self.link_chars
        self.link_chars = 0
        lead = self.lead_link
        self.lead_link = 0
        self.plain_seen = False
        lines = [(_WS.sub(" ", ln)).strip() for ln in raw.split("\n")]
        text = "\n".join(ln for ln in lines if ln)
        if not text:
            return
        self.blocks.append(
            _Block(text, link, self.tag_stack[-1], tuple(self.chain), self.flags_stack[-1], lead)
        )

    def walk(self, node: Tag, depth: int = 0):
        for child in node.contents:
            if isinstance(child, NavigableString):
                if isinstance(child, PreformattedString):
                    continue
                s = str(child)
                if self.in_link:
                    k = len(s.strip())
                    self.link_chars += k
                    if not self.plain_seen:
                        self.lead_link += k
                elif not self.plain_seen and not s.isspace():
                    self.plain_seen = True
                self.buf.append(s)
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name in _SKIP:
                continue
            attrs = child.attrs
            if attrs:
                if "hidden" in attrs or attrs.get("aria-hidden") == "true":
                    continue
                style = attrs.get("style")
                if style and _HIDDEN_STYLE.search(style):
                    continue
            if name == "br":
                self.buf.append("\n")
                continue
            if name == "td" or name == "th":
                if self.buf and self.cells:
                    self.buf.append(" | ")
                self.cells += 1
            if depth > _MAX_DEPTH:
                continue
            if name in _BLOCK:
                self.flush()
                eid = len(self.el_node)
                self.el_node.append(child)
                cls = attrs.get("class") or ""
                ident = attrs.get("id") or ""
                sig = f"{cls} {ident}" if ident else cls
                if isinstance(sig, list):  # defensive: multi-valued attributes are off
                    sig = " ".join(sig)
                pos = 0.0
                neg = 0
                if attrs.get("itemprop") == "articleBody":
                    pos = 0.5
                elif sig:
                    if _POS.search(sig):
                        pos = 0.2
                    if _EMBED.search(sig):
                        neg = 0  # embedded posts (tweets, ...) quoted by the article
                    elif _NEG_STRONG.search(sig):
                        neg = 2
                    elif _NEG_WEAK.search(sig):
                        neg = 1
                if sig and not self.paywall_seen and _PAYWALL.search(sig):
                    self.paywall_seen = True
                if attrs.get("role") in ("navigation", "complementary", "contentinfo", "banner", "dialog"):
                    neg = 2
                if name in ("header", "menu", "address", "form") and not pos and not neg:
                    neg = 1
                self.el_pos.append(pos)
                self.el_neg.append(neg)
                self.chain.append(eid)
                fl = self.flags_stack[-1]
                if name in _HEADINGS:
                    fl |= 1
                elif name == "li":
                    fl |= 2
                elif name == "tr":
                    fl |= 4
                elif name == "pre":
                    fl |= 8
                elif name == "blockquote":
                    fl |= 16
                self.flags_stack.append(fl)
                self.tag_stack.append(name)
                self.walk(child, depth + 1)
                self.flush()
                self.tag_stack.pop()
                self.flags_stack.pop()
                self.chain.pop()
            else:
                if name == "a":
                    self.in_link += 1
                    self.walk(child, depth + 1)
                    self.in_link -= 1
                else:
                    self.walk(child, depth + 1)


# ----------------------------------------------------------------------------- scoring

_ALPHA = 0.6  # weight of junk characters against good ones
_LD_JUNK = 0.6  # link density above which a block is junk
_NEG_PENALTY = 0.3  # score factor for a container inside a boilerplate-class element


def _quality(b: _Block) -> tuple[float, float]:
    """(good chars, junk chars) of a block on its own."""
    n = len(b.text)
    if b.flags & 1:
        return 0.0, 0.0
    ld = b.link / n if n else 1.0
    if ld > _LD_JUNK:
        return 0.0, float(n)
    if b.lead_link >= 15 and b.lead_link >= 0.15 * n:  # "linked headline + summary" teaser
        return 0.0, float(n)
    if b.flags & 4 and n < 80:  # data-table cell
        return n * 0.3, 0.0
    w = 1.0 if b.tag in ("p", "blockquote", "pre") else 0.75
    if b.flags & 2:
        w *= 0.5  # list items: article bullets, but also teaser lists
    if n >= 80:
        return n * (1.0 - ld) * w, n * ld
    if n >= 25 and (_SENTENCE_END.search(b.text) or b.text.count(",") >= 1):
        return n * 0.5 * w, 0.0
    return 0.0, float(n)


def _resolve_negs(w: _Walker, quals: list[tuple[float, float]]) -> list[bool]:
    """Final boilerplate flag per element; sets ``Block.neg``.

    A weak boilerplate class on an element that holds most of the page's good
    text is a false alarm (a body ``class="... summary ..."``) and is dropped.
    """
    n_el = len(w.el_node)
    el_neg = w.el_neg
    if any(el_neg):
        raw = [0.0] * n_el
        for b, (g, _j) in zip(w.blocks, quals):
            if g:
                for eid in b.chain:
                    raw[eid] += g
        total = max(raw) if raw else 0.0
        if total > 0:
            el_neg = [
                0 if (f == 1 and raw[e] >= 0.5 * total) else f for e, f in enumerate(el_neg)
            ]
    flags = [bool(f) for f in el_neg]
    for b in w.blocks:
        neg = -1
        for i, eid in enumerate(b.chain):
            if flags[eid]:
                neg = i
        b.neg = neg
    return flags


def _choose_container(w: _Walker) -> int | None:
    n_el = len(w.el_node)
    if not n_el:
        return None
    quals = [_quality(b) for b in w.blocks]
    el_neg = _resolve_negs(w, quals)
    good = [0.0] * n_el
    junk = [0.0] * n_el
    inneg = [False] * n_el
    for b, (g, j) in zip(w.blocks, quals):
        chain = b.chain
        neg = b.neg
        if neg >= 0:
            total = g + j
            for i, eid in enumerate(chain):
                if i < neg:
                    junk[eid] += total
                else:
                    good[eid] += g
                    junk[eid] += j
                    inneg[eid] = True
        else:
            for eid in chain:
                good[eid] += g
                junk[eid] += j
    best, best_score = None, 0.0
    pos = w.el_pos
    for eid in range(n_el):
        g = good[eid]
        if g <= 0:
            continue
        s = (g - _ALPHA * junk[eid]) * (1.0 + pos[eid])
        if inneg[eid]:
            s *= _NEG_PENALTY
        if s > best_score:
            best, best_score = eid, s
    return best


# ----------------------------------------------------------------------------- output filtering


def _is_boiler_line(text: str, dates: bool = True) -> bool:
    n = len(text)
    if n < 120 and _BOILER_LINE.match(text) and not (n > 60 and _SENTENCE_END.search(text)):
        return True
    if n < 200 and _COPYRIGHT.match(text):
        return True
    if n < 400 and _CAPTION.search(text):
        return True
    if n < 90 and _BYLINE.match(text) and not text.rstrip().endswith("."):
        return True
    if dates and n < 80 and _DATEISH.search(text) and len(text.split()) <= 12 and not text.endswith((".", "?", "!")):
        return True
    return False


def _select_blocks(w: _Walker, container: int) -> list[str]:
    depth_of = None
    out: list[str] = []
    for b in w.blocks:
        chain = b.chain
        try:
            idx = chain.index(container)
        except ValueError:
            continue
        if depth_of is None:
            depth_of = idx
        if b.neg > idx:
            continue
        text = b.text
        n = len(text)
        if b.tag == "h1":
            continue
        if n and b.link / n > 0.5:
            continue
        if _is_boiler_line(text):
            continue
        if "\n" in text:  # lines split by <br>: drop boilerplate lines (bylines, tags) inside
            lines = [ln for ln in text.split("\n") if not _is_boiler_line(ln, dates=False)]
            text = "\n".join(lines)
            if not text:
                continue
        out.append(text)
    # trim short non-sentence fragments at both ends (bylines, kickers, share labels)
    def weak(t: str) -> bool:
        return len(t) < 50 and not _SENTENCE_END.search(t)

    while out and weak(out[0]):
        out.pop(0)
    while out and weak(out[-1]):
        out.pop()
    # exact duplicates of short blocks are nearly always repeated widgets
    seen: set[str] = set()
    dedup: list[str] = []
    for t in out:
        if t in seen and _is_boiler_line(t):
            continue
        seen.add(t)
        dedup.append(t)
    return dedup


# ----------------------------------------------------------------------------- live blogs

_LIVE_CLASS = re.compile(r"live|update|timeline|entry|post|event", re.I)


def _ld_live_entries(pm: PageMeta) -> list[LiveEntry]:
    ld = pm.ld_article or {}
    if "liveblogposting" not in ld_types(ld):
        return []
    updates = ld.get("liveBlogUpdate") or []
    if isinstance(updates, dict):
        updates = [updates]
    entries = []
    for u in updates if isinstance(updates, list) else []:
        if not isinstance(u, dict):
            continue
        body = u.get("articleBody") or u.get("text") or u.get("description") or ""
        text = "\n\n".join(clean_text(p) for p in str(body).split("\n") if clean_text(p))
        title = u.get("headline") if isinstance(u.get("headline"), str) else None
        if not text and not title:
            continue
        entries.append(LiveEntry(published_at=parse_date(u.get("datePublished") or u.get("dateCreated")),
                                 title=clean_text(title) or None, text=text))
    return entries


def _page_live_entries(w: _Walker, container: int | None) -> list[LiveEntry]:
    """Timestamped entries: sibling elements, each holding a <time datetime>."""
    if container is None:
        return []
    root = w.el_node[container]
    groups: dict[int, list[Tag]] = {}
    for t in root.find_all("time"):
        dt = t.get("datetime")
        if not dt:
            continue
        # climb to the nearest ancestor whose parent holds several timed siblings
        node = t.parent
        hops = 0
        while node is not None and node is not root and hops < 8:
            cls = node.get("class") or ""
            if node.name in ("article", "li", "section", "div") and _LIVE_CLASS.search(f"{cls} {node.get('id') or ''}"):
                groups.setdefault(id(node.parent), []).append(node)
                break
            node = node.parent
            hops += 1
    if not groups:
        return []
    items = max(groups.values(), key=len)
    if len(items) < 2:
        return []
    entries = []
    seen = set()
    for item in items:
        if id(item) in seen:
            continue
        seen.add(id(item))
        t = item.find("time")
        when = parse_date(t.get("datetime")) if t is not None else None
        h = item.find(["h2", "h3", "h4"])
        title = clean_text(h.get_text(" ")) if h is not None else None
        paras = [clean_text(p.get_text(" ")) for p in item.find_all(["p", "li", "blockquote"])]
        paras = [p for p in paras if p and not _is_boiler_line(p)]
        entries.append(LiveEntry(published_at=when, title=title or None, text="\n\n".join(paras)))
    return entries


# ----------------------------------------------------------------------------- main entry


def _paragraphs_from_body(body: str) -> list[str]:
    parts = [clean_text(p) for p in re.split(r"\n\s*\n|\r\n\r\n|\n", body)]
    return [p for p in parts if p]


def _ld_body_usable(ld_body: str, page_text: str) -> bool:
    n_ld, n_page = len(ld_body), len(page_text)
    if n_ld < 400:
        return False
    if ld_body.rstrip().endswith(("...", "…", "[…]", "[...]")) and n_ld < 1500:
        return False  # a teaser
    return n_page < 0.7 * n_ld


def extract_article(html: bytes | str, url: str | None = None, content_type: str | None = None) -> Article:
    """Extract the article text and metadata of a page; never raises."""
    try:
        return _storable(_extract(html, url, content_type))
    except RecursionError:
        return Article(text="")
    except Exception:  # garbage in, empty article out
        return Article(text="")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean_str(value):
    return _SURROGATE.sub("\ufffd", value) if isinstance(value, str) else value


def _storable(article: Article) -> Article:
    """Lone surrogates (from JSON-LD escapes such as "\\ud83d") are not text: they cannot be
    encoded, stored or printed, so they become U+FFFD."""
    changes = {}
    for name, value in vars(article).items():
        if isinstance(value, str) and _SURROGATE.search(value):
            changes[name] = _clean_str(value)
        elif name == "authors" and any(_SURROGATE.search(a) for a in value):
            changes[name] = tuple(_clean_str(a) for a in value)
        elif name == "live_entries" and any(_SURROGATE.search((e.title or "") + e.text) for e in value):
            changes[name] = tuple(replace(e, title=_clean_str(e.title), text=_clean_str(e.text)) for e in value)
    return replace(article, **changes) if changes else article


def _extract(html, url, content_type) -> Article:
    if html is None:
        return Article(text="")
    doc = decode_html(html, content_type) if isinstance(html, (bytes, bytearray, memoryview)) else str(html)
    if not doc or not doc.strip():
        return Article(text="")
    if "\x00" in doc:
        doc = doc.replace("\x00", "")
    pm = read_meta(doc)
    meta = metadata(pm, url)

    stripped = _strip_noise(doc)
    soup = BeautifulSoup(stripped, "lxml", multi_valued_attributes=None)
    root = soup.body or soup
    w = _Walker()
    w.walk(root)
    w.flush()

    container = _choose_container(w)
    paragraphs = _select_blocks(w, container) if container is not None else []
    text = "\n\n".join(paragraphs)

    ld = pm.ld_article or {}
    ld_body = ld.get("articleBody") if isinstance(ld.get("articleBody"), str) else ""
    if ld_body and _ld_body_usable(clean_text(ld_body), text):
        text = "\n\n".join(_paragraphs_from_body(ld_body))

    # live blogs
    live_entries: list[LiveEntry] = _ld_live_entries(pm)
    og_type = (pm.meta("og:type") or "").lower()
    live = bool(live_entries) or "liveblogposting" in ld_types(ld) or "live" in og_type
    if not live_entries and (live or re.search(r"live-?blog|liveblog|live-update", doc[:300_000], re.I)):
        live_entries = _page_live_entries(w, container)
        if len(live_entries) >= 3:
            live = True
    if live and live_entries and not text:
        text = "\n\n".join(
            "\n\n".join(x for x in (e.title, e.text) if x) for e in live_entries
        )

    # paywall
    free = ld_is_free(pm)
    tier = (pm.meta("article:content_tier") or "").lower()
    paywalled = free is False or tier in ("locked", "metered", "premium") or w.paywall_seen
    truncated = bool(paywalled and (w.paywall_seen or len(text) < 1500))

    return Article(
        text=text,
        paywalled=paywalled,
        truncated=truncated,
        live_blog=live,
        live_entries=tuple(live_entries),
        **meta,
    )
