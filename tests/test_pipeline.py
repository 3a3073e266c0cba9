"""flows/pipeline.py: the pure decisions of a run, with hand-built feeds and fetch results."""
from __future__ import annotations

from datetime import datetime, timezone

import facts
from flows import pipeline
from sources.fingerprint import content_hash, simhash
from sources.models import FeedEntry, FetchResult, ParsedFeed
from storage.records import PageOutcome, PreviousVersion, WorkItem

NOW = datetime(2025, 5, 3, 12, 0, tzinfo=timezone.utc)
SEED_TEXT = (
    "Engineers at the Karsdam reservoir said on Friday that the dam may be breached if rain continues. "
    "Authorities evacuated 4,000 residents from the villages of Olm and Brecht below the dam. "
    "The regional governor, Maria Olsen, plans to visit the site on Sunday."
)
SEED = facts.extract_seed(SEED_TEXT, title="Karsdam dam fears", published_at=NOW)

ON_TOPIC = (
    "Karsdam dam holds as water level falls",
    "Engineers at the Karsdam reservoir said the dam held overnight and the evacuation of Olm and Brecht would end.",
)
OFF_TOPIC = ("Chess championship opens in Lisbon", "The world chess championship opened with a quiet draw in Lisbon.")


def _entry(url, title, summary, key=None):
    return FeedEntry(entry_key=key or url, url=url, title=title, summary=summary, published_at=NOW, updated_at=None,
                     content_hash=content_hash(title + summary + url))


def _feed(url, *entries):
    return ParsedFeed(feed_url=url, title="f", link=None, entries=tuple(entries))


def test_select_entries_dedupes_across_feeds_and_skips_seen_unchanged():
    on = _entry("http://a.example/1", *ON_TOPIC)
    off = _entry("http://a.example/2", *OFF_TOPIC)
    seen = _entry("http://a.example/3", *ON_TOPIC)
    no_link = FeedEntry("k", None, "Karsdam", "Karsdam dam", NOW, None, "h")
    parsed = [_feed("http://a.example/feed", on, off, seen, no_link), _feed("http://b.example/feed", on)]
    rows, work, unchanged = pipeline.select_entries(SEED, parsed, {seen.url: (seen.content_hash, "done")})
    assert [(r.url, r.state, r.feed_url) for r in rows] == [
        (on.url, "pending", "http://a.example/feed"),
        (off.url, "irrelevant", "http://a.example/feed"),
    ]
    assert [(w.url, w.reason) for w in work] == [(on.url, "new")]
    assert unchanged == [seen.url]


def test_a_changed_entry_is_fetched_again():
    entry = _entry("http://a.example/1", *ON_TOPIC)
    rows, work, _ = pipeline.select_entries(SEED, [_feed("f", entry)], {entry.url: ("old-hash", "done")})
    assert [w.reason for w in work] == ["changed"] and rows[0].state == "pending"


def test_merge_work_prefers_fresh_items():
    fresh = WorkItem("http://x/1", "f", "t", "s", NOW, "new")
    retry = WorkItem("http://x/1", "f", "t", "s", NOW, "retry", attempts=2)
    recheck = WorkItem("http://x/2", "f", "t", "s", NOW, "recheck")
    assert [(w.url, w.reason) for w in pipeline.merge_work([fresh], [retry], [recheck])] == [
        ("http://x/1", "new"), ("http://x/2", "recheck")]


def _page(body: str) -> FetchResult:
    return FetchResult(url="http://a.example/1", final_url="http://a.example/1", status=200,
                       headers={"content-type": "text/html; charset=utf-8", "etag": '"v1"'}, body=body.encode())


ARTICLE = """<html><head><title>Karsdam dam holds</title></head><body><article>
<h1>Karsdam dam holds</h1>
<p>Engineers at the Karsdam reservoir said on Saturday that the dam had held and was no longer at risk of being breached.</p>
<p>Authorities said the 4,000 residents evacuated from Olm and Brecht could return home from Monday.</p>
<p>The regional governor, Maria Olsen, visited the site on Sunday and thanked the rescue teams for their work.</p>
</article></body></html>"""


def test_analyse_page_finds_changes_and_records_provenance():
    item = WorkItem("http://a.example/1", "f", "Karsdam dam holds", "", NOW, "new")
    outcome = pipeline.analyse_page(item, _page(ARTICLE), SEED, NOW)
    assert outcome.ok and outcome.changed and outcome.relevant
    assert outcome.etag == '"v1"' and outcome.content_hash == content_hash(outcome.text)
    assert outcome.findings and all(f.kind in facts.KINDS for f in outcome.findings)


def test_analyse_page_unchanged_text_is_not_diffed_again():
    item = WorkItem("http://a.example/1", "f", "t", "", NOW, "recheck")
    first = pipeline.analyse_page(item, _page(ARTICLE), SEED, NOW)
    previous = PreviousVersion(1, first.content_hash, first.text, '"v1"', None, NOW)
    again = pipeline.analyse_page(WorkItem(item.url, "f", "t", "", NOW, "recheck", previous=previous), _page(ARTICLE), SEED, NOW)
    assert again.ok and not again.changed and again.findings == []


def test_analyse_page_failures_are_outcomes_not_exceptions():
    item = WorkItem("http://a.example/1", "f", "t", "", NOW, "new", attempts=1)
    failed = pipeline.analyse_page(item, FetchResult(url=item.url, final_url=item.url, status=None, error="timed out",
                                                     error_kind="timeout"), SEED, NOW)
    assert not failed.ok and failed.stage == "fetch" and failed.error_kind == "timeout" and failed.attempts == 1
    empty = pipeline.analyse_page(item, _page("<html><body><nav>Home</nav></body></html>"), SEED, NOW)
    assert not empty.ok and empty.stage == "clean" and empty.error_kind == "no_article_text"
    not_modified = pipeline.analyse_page(item, FetchResult(url=item.url, final_url=item.url, status=304, not_modified=True), SEED, NOW)
    assert not_modified.ok and not_modified.not_modified and not not_modified.changed


def test_link_duplicates_in_publication_order():
    text = "The dam held overnight, engineers said, and residents of two villages may return on Monday. " * 5
    a = PageOutcome("http://a/1", "f", NOW, "new", ok=True, changed=True, published_at=NOW, fingerprint=simhash(text))
    b = PageOutcome("http://b/1", "f", NOW, "new", ok=True, changed=True, published_at=NOW.replace(hour=13), fingerprint=simhash(text + " Copyright."))
    c = PageOutcome("http://c/1", "f", NOW, "new", ok=True, changed=True, published_at=NOW, fingerprint=simhash("A chess match in Lisbon ended in a draw after forty moves and a long endgame."))
    pipeline.link_duplicates([b, c, a], [])
    assert (a.duplicate_of, b.duplicate_of, c.duplicate_of) == (None, "http://a/1", None)


def test_confirmations_are_stored_but_do_not_alert():
    item = WorkItem("http://a.example/1", "f", "Karsdam dam holds", "", NOW, "new")
    outcome = pipeline.analyse_page(item, _page(ARTICLE), SEED, NOW)
    observations = pipeline.assign_developments(SEED, [outcome], [])
    assert len(observations) == len(outcome.findings)
    for finding in outcome.findings:
        assert finding.development_id
        if finding.kind == "confirms":
            assert not finding.is_alert
    # The same development from a second outlet is one more source, not a second alert.
    copy = pipeline.analyse_page(WorkItem("http://b.example/1", "f", "t", "", NOW, "new"), _page(ARTICLE), SEED, NOW)
    stored = [{"evidence": f.evidence, "kind": f.kind, "fact_id": f.fact_id, "development_id": f.development_id,
               "article_url": "http://a.example/1", "published_at": NOW, "detected_at": NOW} for f in outcome.findings]
    pipeline.assign_developments(SEED, [copy], stored)
    assert copy.findings and not any(f.is_alert for f in copy.findings)


def test_a_changed_page_is_diffed_on_its_changed_sentences_only():
    item = WorkItem("http://a.example/1", "f", "Karsdam dam holds", "", NOW, "new")
    first = pipeline.analyse_page(item, _page(ARTICLE), SEED, NOW)
    added = "<p>Officials said on Tuesday that 1,200 of the evacuated residents had already returned to Olm.</p>"
    edited = ARTICLE.replace("</article>", added + "</article>")
    previous = PreviousVersion(1, first.content_hash, first.text, '"v1"', None, NOW)
    second = pipeline.analyse_page(WorkItem(item.url, "f", "t", "", NOW, "recheck", previous=previous),
                                   _page(edited), SEED, NOW)
    assert second.changed and second.findings
    assert all("1,200" in f.evidence for f in second.findings)
    assert {f.evidence for f in first.findings}.isdisjoint({f.evidence for f in second.findings})


def test_article_identity_trusts_only_a_plausible_same_site_canonical():
    landed = "https://news.example/world/2025/talks-end?utm_source=rss"
    assert pipeline.article_identity(landed, landed, "https://news.example/world/2025/talks-end") == \
        "https://news.example/world/2025/talks-end"
    assert pipeline.article_identity(landed, landed, "https://www.news.example/a/talks-end-amp-free") == \
        "https://www.news.example/a/talks-end-amp-free"
    # Another site's article, the home page or a section front: where the page was served wins.
    for claim in ("https://other.example/world/2025/talks-end", "https://news.example/", "https://news.example/world"):
        assert pipeline.article_identity(landed, landed, claim) == "https://news.example/world/2025/talks-end"


def test_a_bug_on_one_page_is_that_pages_error(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("engine bug")

    monkeypatch.setattr(pipeline.facts, "relevance_of_article", broken)
    item = WorkItem("http://a.example/1", "f", "t", "", NOW, "new")
    outcome = pipeline.analyse_page(item, _page(ARTICLE), SEED, NOW)
    assert not outcome.ok and "engine bug" in outcome.error

    monkeypatch.undo()
    first = pipeline.analyse_page(item, _page(ARTICLE), SEED, NOW)
    other = ARTICLE.replace("</article>", "<p>Officials said 1,200 of the evacuated residents of Olm had returned by Tuesday.</p></article>")
    second = pipeline.analyse_page(WorkItem("http://b.example/1", "f", "t", "", NOW, "new"), _page(other), SEED, NOW)

    class FailingIndex:
        last_id = None

        def __init__(self, *args, **kwargs):
            self.calls = 0

        def add(self, finding, url, published_at):
            if "1,200" in finding.evidence:  # only the second page says this
                raise RuntimeError("index bug")
            self.last_id = "D1"
            return True

        def add_article(self, findings, url, published_at):
            return [(self.add(f, url, published_at), "D1") for f in findings]

    monkeypatch.setattr(pipeline.facts, "DevelopmentIndex", FailingIndex)
    pipeline.assign_developments(SEED, [first, second], [])
    assert first.ok and first.findings and all(f.development_id == "D1" for f in first.findings)
    assert not second.ok and second.error_kind == "diff_failed" and second.findings == []


def test_poll_interval_survives_failures():
    from flows.monitor import _previous_interval
    from storage.records import FeedState

    # After a long outage the stored next poll is days away; the feed's own rhythm is what counts.
    state = FeedState("http://f", last_polled_at=NOW, next_poll_at=NOW.replace(day=10), poll_interval_s=900)
    assert _previous_interval(state, NOW) == 900
    assert _previous_interval(FeedState("http://f", poll_interval_s=10 ** 7), NOW) == 86400
    assert _previous_interval(None, NOW) == 1800


def test_only_recent_reports_are_replayed_for_dedupe():
    from datetime import timedelta

    old = {"evidence": "x", "kind": "new", "fact_id": None, "development_id": "D0", "article_url": "u",
           "published_at": NOW - timedelta(days=90), "detected_at": NOW}
    recent = dict(old, evidence="y", published_at=NOW - timedelta(days=3))
    undated = dict(old, evidence="z", published_at=None)
    outcome = PageOutcome("http://a/1", "f", NOW, "new", ok=True, published_at=NOW)
    assert [o["evidence"] for o in pipeline._recent([old, recent, undated], [outcome])] == ["y", "z"]


def test_the_run_artifact_escapes_fetched_text():
    from flows.report import run_artifact

    hostile = "Talks end | <script>alert(1)</script> [click](http://evil.example) \x1b[2J"
    summary = {"run_id": "r1", "story_id": "s1", "title": "T", "counts": {"alerts": 1},
               "errors": [{"stage": "fetch", "url": "http://x/<img src=x>", "message": hostile}]}
    markdown = run_artifact(summary, [{"kind": "new", "fact_id": None, "evidence": hostile, "article_url": "http://x/1"}],
                            [{"fact_id": "F01", "state": "updated", "fact_text": hostile, "evidence": hostile}])
    import re

    # Markdown or HTML from a page stays text: every <, [ and ] arrives backslash-escaped.
    assert not re.search(r"(?<!\\)[<\[\]]", markdown.split("## New in this run")[1])
    assert "\x1b" not in markdown and "Talks end \\|" in markdown
