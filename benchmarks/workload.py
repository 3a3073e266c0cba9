"""A synthetic, realistic monitoring workload for the London talks story, served on 127.0.0.0/8.

Everything here is generated: on-story articles recombine this module's own template sentences
about the June 2025 US–China talks in London (`seeds/london-talks`); off-story articles are about
other topics (a few share incidental trade words, as real feeds do). Article pages are 50–200 KB
with the boilerplate of real news sites: a mega-menu, share bars, inline scripts and JSON state
blobs, related links, comments, a footer.

The server (`WorkloadServer`, or `python -m benchmarks.workload serve`) listens on several
loopback addresses (127.0.0.2, .3, ... one per "site"), serves any number of workload variants
side by side under /v<N>/, generates each page on first request (deterministically from its path)
and caches it, and answers conditional GETs (ETag / If-None-Match -> 304) and gzip like a real site.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import random
import sys
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

# ------------------------------------------------------------------ on-story sentence templates

US_PEOPLE = [
    ("Howard Lutnick", "the US commerce secretary", "Lutnick"),
    ("Scott Bessent", "the Treasury secretary", "Bessent"),
    ("Jamieson Greer", "the US trade representative", "Greer"),
]
CN_PEOPLE = [
    ("He Lifeng", "China's vice-premier", "He"),
    ("Li Chenggang", "China's international trade representative", "Li"),
    ("Wang Wentao", "China's commerce minister", "Wang"),
]
ITEMS = ["chip design software", "jet engines", "ethane", "nuclear materials", "aircraft parts",
         "machine tools", "semiconductor equipment"]
MINERALS = ["rare earths", "rare earth magnets", "heavy rare earths", "gallium and germanium", "samarium"]
ADJ = ["productive", "constructive", "candid", "professional and rational", "in-depth", "difficult but useful"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday"]
OUTLETS = ["Bloomberg", "Reuters", "the Financial Times", "the Wall Street Journal", "Caixin", "the South China Morning Post"]
VENUE = ["Lancaster House", "the London venue", "the Georgian mansion near St James's Palace"]

ON_TEMPLATES = [
    "{us} said the talks in London had been {adj} and that both delegations had worked late into the night.",
    "{us_full}, {us_role}, told reporters outside {venue} that the two sides had agreed a framework to implement the Geneva consensus.",
    "{cn_full}, {cn_role}, said the consultations in London had been {adj}.",
    "The talks lasted {hours} hours on {day} before pausing, and resumed at {clock} pm local time.",
    "According to {outlet}, China will speed up the approval of export licences for {mineral}.",
    "In return, the United States would lift recent export controls on {item} and {item2}, officials said.",
    "{us} said he hoped the negotiations would end that night, but that the delegation would stay another day if necessary.",
    "The framework still has to be approved by President Trump and President Xi before it takes effect, {us} said.",
    "People familiar with the matter said Beijing would cap the new licences for {mineral} at six months.",
    "Carmakers in the US and Europe have warned that slow approvals for {mineral} could halt production lines.",
    "{outlet} reported that the talks might be extended to a third day as negotiators struggled over {item}.",
    "{us} left London on the evening of the {dom}th to attend a congressional hearing in Washington.",
    "The tariffs agreed in Geneva, a combined rate of {tariff} percent on Chinese goods, were not changed in London, {us} said.",
    "Officials said the two presidents spoke by telephone last week and asked their teams to resolve the dispute over {mineral}.",
    "China's commerce ministry said it would approve compliant applications for exports of {mineral} in accordance with the law.",
    "US stock markets rose after {us} said the talks were going very smoothly.",
    "The US side has asked companies seeking {mineral} to list their incomplete licence applications, {outlet} reported.",
    "{cn} said the two sides had reached a framework in principle and would report it to their leaders.",
    "No date was set for the next round of talks, {us} told reporters on {day}.",
    "The White House said the understanding on {mineral} and {item} had been signed, according to {outlet}.",
    "Analysts said the deal in London eased fears that the truce agreed in Geneva would collapse.",
    "Exports of {mineral} from China to the United States rose {pct} percent in the month after the London meeting, customs data showed.",
    "{us} said export licences for {item} would be granted again once shipments of {mineral} resumed.",
    "Both delegations spent {hours} hours at {venue} on {day}, their longest session so far.",
]

BACKGROUND = [
    "Markets in Asia were mixed on the day, with investors watching bond yields and oil prices.",
    "The dollar edged lower against a basket of currencies in afternoon trading.",
    "Shipping rates across the Pacific have fallen from their peak earlier in the spring.",
    "Economists expect growth in the second quarter to slow as companies run down inventories.",
    "Several industry groups have called for clearer rules on licensing and customs inspections.",
    "The central bank has kept interest rates on hold at its last three meetings.",
]

# ------------------------------------------------------------------ off-story topics

OFF_TOPICS = {
    "sport": [
        "The home side scored twice in the second half to win the match {a}-{b}.",
        "The coach said the squad had recovered well after a long season and injuries to {n} players.",
        "A crowd of {big} watched the final at the national stadium on {day}.",
        "The striker's contract runs until the end of next season, the club confirmed.",
        "Tickets for the tournament sold out within {n} hours of going on sale.",
    ],
    "weather": [
        "Forecasters issued an amber warning for heavy rain across the north-west on {day}.",
        "Temperatures are expected to reach {a}C in the south-east by the weekend.",
        "Flood defences were raised in {n} towns after the river burst its banks.",
        "The met office said the unsettled spell would last until the middle of next week.",
    ],
    "health": [
        "A study of {big} patients found that the new treatment cut hospital stays by {n} days.",
        "The hospital trust said waiting lists had fallen for the third month in a row.",
        "Researchers said more work was needed before the drug could be approved for wider use.",
        "Nurses in {n} regions voted to accept the revised pay offer on {day}.",
    ],
    "technology": [
        "The company unveiled a new phone with a larger battery and a faster camera on {day}.",
        "The app now has more than {big} daily users, its chief executive said.",
        "Regulators opened an inquiry into the firm's handling of user data.",
        "The software update fixes {n} security flaws, including one rated critical.",
    ],
    "local": [
        "The council approved plans for {n} new homes on the site of the old bus depot.",
        "Residents complained about roadworks that have closed the high street since {day}.",
        "The library will reopen next month after a refurbishment costing {big} pounds.",
        "Police said they were appealing for witnesses after a collision on the ring road.",
    ],
    "trade-other": [  # shares incidental words with the story: the prefilters must not be naive
        "Canadian lumber producers are bracing for higher duties after the latest trade review.",
        "The European Union said it was ready to impose countermeasures on steel imports.",
        "Vietnam agreed a trade deal with a tariff of {a} percent on many of its exports.",
        "Farm groups said export sales of soybeans fell {n} percent in the last quarter.",
    ],
}
OFF_TITLES = {
    "sport": ["{Team} beat rivals {a}-{b} to reach the cup final", "Coach praises squad after late win over {Team}"],
    "weather": ["Heavy rain warning for the north-west on {day}", "Heatwave to bring {a}C temperatures by weekend"],
    "health": ["New treatment cuts hospital stays, study finds", "Nurses accept revised pay offer"],
    "technology": ["Phone maker unveils new model with bigger battery", "Regulator opens inquiry into app's data handling"],
    "local": ["Council backs {n} new homes on bus depot site", "High street roadworks to last until summer"],
    "trade-other": ["Lumber producers brace for higher duties", "EU readies steel countermeasures",
                    "Vietnam seals trade deal with {a}% tariff"],
}
ON_TITLES = [
    "US and China agree framework after two days of talks in London",
    "{us} says London talks with China going 'very smoothly'",
    "China to speed up {mineral} export licences after London talks",
    "US to lift curbs on {item} as China eases {mineral} exports",
    "London trade talks could run into a third day, {outlet} reports",
    "{cn} calls London consultations {adj}",
    "What's in the US-China London framework, and what isn't",
    "Trump and Xi to review trade framework agreed in London",
]
ON_SUMMARIES = [
    "Negotiators from the US and China said they had agreed a framework to implement the Geneva consensus after talks at {venue}.",
    "{us_full} said the talks in London were {adj}, as both sides worked on export controls on {mineral} and {item}.",
    "China will approve export licences for {mineral} while the US lifts curbs on {item}, officials said after the London talks.",
]
TEAMS = ["Riverside", "Northbridge", "Ashford Town", "Harbour City", "Kingsmere"]


def _fill(template: str, rng: random.Random) -> str:
    us = rng.choice(US_PEOPLE)
    cn = rng.choice(CN_PEOPLE)
    item, item2 = rng.sample(ITEMS, 2)
    text = template.format(
        us=us[2], us_full=us[0], us_role=us[1], cn=cn[0], cn_full=cn[0], cn_role=cn[1], adj=rng.choice(ADJ),
        venue=rng.choice(VENUE), hours=rng.choice([5, 7, 8, 10, 12]), day=rng.choice(DAYS), clock=rng.choice([6, 7, 8, 9]),
        outlet=rng.choice(OUTLETS), mineral=rng.choice(MINERALS), item=item, item2=item2, dom=rng.choice([9, 10, 11]),
        tariff=rng.choice([30, 55]), pct=rng.choice([12, 35, 66, 120]), a=rng.randint(1, 40), b=rng.randint(0, 3),
        n=rng.randint(2, 30), big=f"{rng.randint(2, 90)},{rng.randint(100, 999)}", Team=rng.choice(TEAMS),
    )
    return text[:1].upper() + text[1:]


# ------------------------------------------------------------------ the workload's shape

@dataclass(frozen=True)
class Item:
    variant: int
    feed: int
    index: int
    on_story: bool
    topic: str
    published: datetime

    @property
    def slug(self) -> str:
        return f"v{self.variant}-f{self.feed:03d}-i{self.index:03d}-{self.topic}"


class Workload:
    """Deterministic: the same (feeds, items, on_story share, variant) gives the same bytes."""

    def __init__(self, feeds: int = 50, items: int = 40, on_story: float = 0.15, hosts: int = 10,
                 variant: int = 0, base_port: int = 0):
        self.n_feeds, self.n_items, self.on_story, self.n_hosts, self.variant = feeds, items, on_story, hosts, variant
        self.ports: dict[str, int] = {}
        rng = random.Random(f"workload-{variant}")
        # A fixed "now" per variant: later variants are later in the story.
        self.now = datetime(2025, 6, 11, 6, 0, tzinfo=timezone.utc) + timedelta(days=2 * variant)
        self.items: list[list[Item]] = []
        for f in range(feeds):
            row = []
            for i in range(items):
                on = rng.random() < on_story
                topic = "story" if on else rng.choice(list(OFF_TOPICS))
                row.append(Item(variant, f, i, on, topic, self.now - timedelta(minutes=17 * i + 3 * f)))
            self.items.append(row)

    def host_of_feed(self, feed: int) -> str:
        return f"127.0.0.{2 + feed % self.n_hosts}"

    def base(self, host: str) -> str:
        return f"http://{host}:{self.ports[host]}"

    def feed_path(self, feed: int) -> str:
        return f"/v{self.variant}/feeds/site{feed % self.n_hosts}-{feed:03d}." + ("atom" if feed % 3 == 2 else "rss")

    def feed_urls(self) -> list[str]:
        return [self.base(self.host_of_feed(f)) + self.feed_path(f) for f in range(self.n_feeds)]

    def page_url(self, item: Item) -> str:
        return self.base(self.host_of_feed(item.feed)) + f"/v{self.variant}/news/{item.slug}.html"

    def on_story_items(self) -> list[Item]:
        return [it for row in self.items for it in row if it.on_story]

    # -------------------------------------------------------------- text

    def _rng(self, item: Item, what: str) -> random.Random:
        return random.Random(f"{what}-{item.slug}")

    def headline(self, item: Item) -> str:
        rng = self._rng(item, "title")
        if item.on_story:
            return _fill(rng.choice(ON_TITLES), rng)
        return _fill(rng.choice(OFF_TITLES[item.topic]), rng)

    def summary(self, item: Item) -> str:
        rng = self._rng(item, "summary")
        if item.on_story:
            return _fill(rng.choice(ON_SUMMARIES), rng)
        return " ".join(_fill(t, rng) for t in rng.sample(OFF_TOPICS[item.topic], 2))

    def body_paragraphs(self, item: Item) -> list[str]:
        rng = self._rng(item, "body")
        paragraphs = []
        if item.on_story:
            pool = ON_TEMPLATES
            n = rng.randint(10, 22)
        else:
            pool = OFF_TOPICS[item.topic]
            n = rng.randint(6, 14)
        for _ in range(n):
            k = rng.randint(1, 3)
            sents = [_fill(rng.choice(pool), rng) for _ in range(k)]
            if rng.random() < 0.2:
                sents.append(rng.choice(BACKGROUND))
            paragraphs.append(" ".join(sents))
        return paragraphs

    # -------------------------------------------------------------- documents

    def feed_xml(self, feed: int) -> bytes:
        host = self.host_of_feed(feed)
        site = f"Site {feed % self.n_hosts}"
        atom = self.feed_path(feed).endswith(".atom")
        entries = []
        for item in self.items[feed]:
            link = self.page_url(item) + ("?utm_source=rss&amp;utm_medium=feed" if item.index % 4 == 0 else "")
            title, summary = escape(self.headline(item)), escape(self.summary(item))
            if atom:
                entries.append(
                    f"<entry><title>{title}</title><link rel=\"alternate\" href=\"{link}\"/><id>tag:{host},2025:{item.slug}</id>"
                    f"<updated>{item.published.isoformat()}</updated><published>{item.published.isoformat()}</published>"
                    f"<author><name>Staff reporter</name></author><summary type=\"html\">{summary}</summary></entry>"
                )
            else:
                entries.append(
                    f"<item><title>{title}</title><link>{link}</link><guid isPermaLink=\"false\">{host}-{item.slug}</guid>"
                    f"<pubDate>{format_datetime(item.published)}</pubDate><category>News</category>"
                    f"<description>{summary}</description></item>"
                )
        if atom:
            doc = (f"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
                   f"<title>{site}: latest</title><id>{self.base(host)}{self.feed_path(feed)}</id>"
                   f"<updated>{self.now.isoformat()}</updated>" + "\n".join(entries) + "</feed>")
        else:
            doc = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>{site}: latest</title>"
                   f"<link>{self.base(host)}/</link><description>Latest news</description>"
                   f"<lastBuildDate>{format_datetime(self.now)}</lastBuildDate><ttl>15</ttl>"
                   + "\n".join(entries) + "</channel></rss>")
        return doc.encode("utf-8")

    def page_html(self, item: Item) -> bytes:
        rng = self._rng(item, "page")
        target = rng.randint(53_000, 200_000)  # the size estimate below runs ~2 KB short
        site = f"Site {item.feed % self.n_hosts}"
        url = self.page_url(item)
        title = escape(self.headline(item))
        desc = escape(self.summary(item))
        ld = json.dumps({
            "@context": "https://schema.org", "@type": "NewsArticle", "headline": self.headline(item),
            "datePublished": item.published.isoformat(), "dateModified": item.published.isoformat(),
            "author": [{"@type": "Person", "name": "Staff reporter"}], "publisher": {"@type": "Organization", "name": site},
            "mainEntityOfPage": url,
        })
        head = (
            f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} | {site}</title>"
            f"<meta name=\"description\" content=\"{desc}\"><link rel=\"canonical\" href=\"{url}\">"
            f"<meta property=\"og:site_name\" content=\"{site}\"><meta property=\"og:title\" content=\"{title}\">"
            f"<meta property=\"article:published_time\" content=\"{item.published.isoformat()}\">"
            f"<script type=\"application/ld+json\">{ld}</script>"
            f"<style>{_site_css(item.feed % self.n_hosts)}</style>"
            f"<script>{_site_js(item.feed % self.n_hosts)}</script></head><body>"
        )
        nav = _site_nav(item.feed % self.n_hosts)
        share = ("<ul class=\"share-bar\"><li><a href=\"https://www.facebook.com/sharer/sharer.php?u=" + url +
                 "\">Share on Facebook</a></li><li><a href=\"https://x.com/intent/post?url=" + url +
                 "\">Share on X</a></li><li><a href=\"mailto:?subject=" + title + "\">Email</a></li>"
                 "<li><button type=\"button\">Copy link</button></li></ul>")
        paras = self.body_paragraphs(item)
        body_parts = []
        for k, p in enumerate(paras):
            body_parts.append(f"<p>{escape(p)}</p>")
            if k == 3:
                body_parts.append("<div class=\"ad-slot\" aria-hidden=\"true\"><span>Advertisement</span></div>")
            if k == 6:
                body_parts.append("<p class=\"readmore\"><strong>Read more:</strong> <a href=\"/news/\">"
                                  + escape(_fill(rng.choice(ON_TITLES), rng)) + "</a></p>")
        article = (
            f"<main><article><header><p class=\"kicker\">News</p><h1>{title}</h1>"
            f"<p class=\"standfirst\">{desc}</p><p class=\"byline\">By <a href=\"/profile/staff\">Staff reporter</a> "
            f"<time datetime=\"{item.published.isoformat()}\">{item.published:%d %B %Y %H:%M}</time></p>{share}</header>"
            f"<figure><img src=\"https://img.example/{item.slug}.jpg\" alt=\"\"><figcaption>Photograph: agency</figcaption></figure>"
            f"<div class=\"story-body\">{''.join(body_parts)}</div><footer>{share}</footer></article></main>"
        )
        related = "<aside class=\"related\"><h2>More on this story</h2><ul>" + "".join(
            f"<li><a href=\"/news/rel-{rng.randint(1, 10**6)}.html\">{escape(_fill(rng.choice(ON_TITLES + OFF_TITLES['sport']), rng))}</a></li>"
            for _ in range(12)
        ) + "</ul></aside>"
        footer = _site_footer(item.feed % self.n_hosts)
        fixed = len(head) + len(nav) + len(article) + len(related) + len(footer) + 200
        # Fill the rest the way real pages are heavy: comments and a JSON state blob for the app shell.
        comments, blob = [], []
        room = max(0, target - fixed)
        comment_budget = room // 3
        pool_c, pool_b = _pools(item.feed % self.n_hosts)
        size = 0
        while size < comment_budget:
            c = rng.choice(pool_c)
            comments.append(c)
            size += len(c)
        size = 0
        while size < room - comment_budget:
            entry = rng.choice(pool_b)
            blob.append(entry)
            size += len(entry) + 1
        tail = (
            f"<section class=\"comments\"><h2>Comments ({len(comments)})</h2><ol>{''.join(comments)}</ol></section>"
            f"<script id=\"__APP_STATE__\" type=\"application/json\">{{\"trending\":[{','.join(blob)}]}}</script>"
        )
        return (head + nav + article + related + tail + footer + "</body></html>").encode("utf-8")


_SITE_CACHE: dict[tuple[str, int], str] = {}


def _cached(kind: str, site: int, make) -> str:
    key = (kind, site)
    if key not in _SITE_CACHE:
        _SITE_CACHE[key] = make(random.Random(f"{kind}-{site}"))
    return _SITE_CACHE[key]


def _pools(site: int) -> tuple[list[str], list[str]]:
    """Per-site pools of reader comments and app-state entries that pages draw from (generation speed)."""
    key = ("pools", site)
    if key not in _SITE_CACHE:
        rng = random.Random(f"pools-{site}")
        comments = [
            (f"<li class=\"comment\"><div class=\"meta\"><span class=\"author\">reader{rng.randint(1, 99999)}</span>"
             f"<time>{rng.randint(1, 28)} Jun 2025</time></div><div class=\"comment-body\"><p>"
             + escape(" ".join(_fill(rng.choice(OFF_TOPICS[rng.choice(list(OFF_TOPICS))]), rng) for _ in range(2)))
             + "</p></div><div class=\"actions\"><button>Reply</button><button>Report</button>"
             f"<span>{rng.randint(0, 300)} recommends</span></div></li>")
            for _ in range(300)
        ]
        blob = [
            json.dumps({"id": rng.randint(1, 10**9), "headline": _fill(rng.choice(OFF_TITLES[rng.choice(list(OFF_TITLES))]), rng),
                        "url": f"/news/{rng.randint(1, 10**6)}", "section": rng.choice(["world", "sport", "business"]),
                        "ad": {"slot": f"/2231/site/mpu{rng.randint(1, 9)}", "targeting": {"kw": ["news", "top"], "pos": rng.randint(1, 9)}}})
            for _ in range(600)
        ]
        _SITE_CACHE[key] = (comments, blob)  # type: ignore[assignment]
    return _SITE_CACHE[key]  # type: ignore[return-value]


def _site_nav(site: int) -> str:
    def make(rng):
        sections = ["World", "UK", "Business", "Markets", "Politics", "Tech", "Science", "Health", "Sport",
                    "Culture", "Opinion", "Travel", "Money", "Lifestyle"]
        menus = "".join(
            f"<li class=\"menu\"><a href=\"/{s.lower()}\">{s}</a><ul class=\"sub\">" + "".join(
                f"<li><a href=\"/{s.lower()}/{k}\">{s} topic {k}</a></li>" for k in range(rng.randint(12, 25))
            ) + "</ul></li>" for s in sections
        )
        return (f"<header class=\"site-header\"><a class=\"logo\" href=\"/\">Site {site}</a><nav class=\"mega-menu\"><ul>{menus}</ul></nav>"
                "<div class=\"account\"><a href=\"/signin\">Sign in</a> <a href=\"/subscribe\">Subscribe</a></div>"
                "<form class=\"search\" action=\"/search\"><input name=\"q\" placeholder=\"Search\"></form></header>"
                "<div class=\"cookie-banner\"><p>We use cookies to improve your experience and to show you personalised ads."
                " By continuing you agree to our use of cookies.</p><button>Accept all</button><button>Manage</button></div>")
    return _cached("nav", site, make)


def _site_footer(site: int) -> str:
    def make(rng):
        links = "".join(f"<li><a href=\"/about/{k}\">About link {k}</a></li>" for k in range(60))
        return (f"<footer class=\"site-footer\"><ul>{links}</ul><p>© 2025 Site {site} Media Group. All rights reserved."
                " Registered in England and Wales.</p><p>Contact us · Terms · Privacy · Cookies · Accessibility</p></footer>")
    return _cached("footer", site, make)


def _site_css(site: int) -> str:
    return _cached("css", site, lambda rng: "".join(
        f".c{k}{{margin:{rng.randint(0, 20)}px;padding:{rng.randint(0, 9)}px;color:#{rng.randint(0, 0xFFFFFF):06x}}}" for k in range(300)
    ))


def _site_js(site: int) -> str:
    return _cached("js", site, lambda rng: "window.__CONFIG__=" + json.dumps(
        {"ads": [{"unit": f"/2231/site{site}/slot{k}", "sizes": [[300, 250], [728, 90]], "lazy": rng.random() < 0.5} for k in range(80)],
         "flags": {f"feature_{k}": rng.random() < 0.5 for k in range(150)}}
    ) + ";(function(){var d=document;function t(){return Date.now()}window.dataLayer=window.dataLayer||[];})();")


# ------------------------------------------------------------------ the server

class WorkloadServer:
    """Serves workload variants on one port per loopback host, each in its own thread."""

    def __init__(self, workloads: list[Workload], n_hosts: int):
        self.workloads = {w.variant: w for w in workloads}
        self.hosts = [f"127.0.0.{2 + k}" for k in range(n_hosts)]
        self._cache: dict[str, tuple[bytes, bytes, str]] = {}  # path -> (body, gzipped, etag)
        self._lock = threading.Lock()
        self.counts = {"200": 0, "304": 0, "404": 0}
        self._servers = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                server._serve(self)

        for host in self.hosts:
            httpd = ThreadingHTTPServer((host, 0), Handler)
            httpd.daemon_threads = True
            self._servers.append(httpd)
        ports = {host: s.server_address[1] for host, s in zip(self.hosts, self._servers)}
        for w in workloads:
            w.ports = ports

    def start(self) -> "WorkloadServer":
        for s in self._servers:
            threading.Thread(target=s.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        for s in self._servers:
            s.shutdown()
            s.server_close()

    def _document(self, path: str) -> tuple[bytes, bytes, str] | None:
        with self._lock:
            hit = self._cache.get(path)
        if hit:
            return hit
        body = self._generate(path)
        if body is None:
            return None
        doc = (body, gzip.compress(body, 5), '"' + hashlib.sha1(body).hexdigest()[:16] + '"')
        with self._lock:
            self._cache[path] = doc
        return doc

    def _generate(self, path: str) -> bytes | None:
        parts = path.split("?", 1)[0].strip("/").split("/")
        if len(parts) != 3 or not parts[0].startswith("v"):
            return None
        w = self.workloads.get(int(parts[0][1:]))
        if w is None:
            return None
        name = parts[2]
        try:
            if parts[1] == "feeds":
                return w.feed_xml(int(name.split("-")[1].split(".")[0]))
            if parts[1] == "news":
                _, f, i, *_ = name.split("-")
                return w.page_html(w.items[int(f[1:])][int(i[1:])])
        except (ValueError, IndexError):
            return None
        return None

    def warm(self, variant: int, pages: str = "on") -> float:
        """Generate ahead of time so that generation is not measured: feeds and on-story pages
        (pages="on") or every page (pages="all")."""
        import time

        t = time.perf_counter()
        w = self.workloads[variant]
        for f in range(w.n_feeds):
            self._document(w.feed_path(f))
        for row in w.items:
            for it in row:
                if it.on_story or pages == "all":
                    self._document(f"/v{variant}/news/{it.slug}.html")
        return time.perf_counter() - t

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        doc = self._document(handler.path)
        if doc is None:
            self.counts["404"] += 1
            handler.send_response(404)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        body, gz, etag = doc
        if handler.headers.get("If-None-Match") == etag:
            self.counts["304"] += 1
            handler.send_response(304)
            handler.send_header("ETag", etag)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        self.counts["200"] += 1
        use_gz = "gzip" in (handler.headers.get("Accept-Encoding") or "")
        payload = gz if use_gz else body
        handler.send_response(200)
        ctype = ("application/atom+xml" if handler.path.endswith(".atom") else "application/rss+xml"
                 if "/feeds/" in handler.path else "text/html; charset=utf-8")
        handler.send_header("Content-Type", ctype)
        handler.send_header("ETag", etag)
        handler.send_header("Last-Modified", "Wed, 11 Jun 2025 06:00:00 GMT")
        if use_gz:
            handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)


def serve_main(argv: list[str]) -> int:
    """python -m benchmarks.workload serve --feeds N --items M --variants K [--hosts H] [--warm all|on]

    Prints one JSON line {variant: [feed urls], "warm_s": ...} and serves until stdin closes."""
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--feeds", type=int, default=50)
    ap.add_argument("--items", type=int, default=40)
    ap.add_argument("--on-story", type=float, default=0.15)
    ap.add_argument("--hosts", type=int, default=10)
    ap.add_argument("--variants", type=int, default=2)
    ap.add_argument("--warm", default="on")
    args = ap.parse_args(argv)
    hosts = max(1, min(args.hosts, args.feeds))
    workloads = [Workload(args.feeds, args.items, args.on_story, hosts, v) for v in range(args.variants)]
    server = WorkloadServer(workloads, hosts).start()
    warm = sum(server.warm(w.variant, args.warm) for w in workloads)
    sizes = [len(server._cache[f"/v0/news/{it.slug}.html"][0]) for it in workloads[0].on_story_items()]
    info = {
        "feeds": {w.variant: w.feed_urls() for w in workloads},
        "on_story": {w.variant: len(w.on_story_items()) for w in workloads},
        "warm_s": round(warm, 2),
        "page_kb": [round(min(sizes) / 1024), round(sum(sizes) / len(sizes) / 1024), round(max(sizes) / 1024)] if sizes else [],
    }
    print(json.dumps(info), flush=True)
    for line in sys.stdin:  # commands: "counts" prints the request counts; EOF stops
        if line.strip() == "counts":
            print(json.dumps(server.counts), flush=True)
    server.stop()
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "serve":
        raise SystemExit(serve_main(sys.argv[2:]))
    print(__doc__)
