"""The pure decisions of a run, between the I/O: which feed entries to fetch, what a fetched
page says, and which findings are new developments. No network, no database, no Prefect."""
from __future__ import annotations

import re
import time
from dataclasses import replace
from urllib.parse import urlsplit
from datetime import datetime, timedelta, timezone

import facts
from facts.model import Observation
from sources.extract import extract_article
from sources.fingerprint import content_hash, find_near_duplicate, simhash
from sources.models import FetchResult, ParsedFeed
from sources.urls import canonicalize_url
from storage.records import EntryRow, PageOutcome, StoredFinding, WorkItem

# Confirmations are recorded but do not alert: nothing changed.
ALERT_KINDS = ("updates", "contradicts", "new")


def select_entries(
    seed, parsed: list[ParsedFeed], known: dict[str, tuple[str, str]]
) -> tuple[list[EntryRow], list[WorkItem], list[str]]:
    """Split the feeds' entries into rows to write (new or changed), pages to fetch, and unchanged URLs.

    The same article reached through several feeds is one entry (the first feed wins).
    Entries without a link cannot be followed and are skipped.
    """
    rows: list[EntryRow] = []
    work: list[WorkItem] = []
    unchanged: list[str] = []
    seen: set[str] = set()
    for feed in parsed:
        for entry in feed.entries:
            if not entry.url or entry.url in seen:
                continue
            seen.add(entry.url)
            before = known.get(entry.url)
            if before is not None and before[0] == entry.content_hash:
                unchanged.append(entry.url)
                continue
            verdict = facts.relevance_of_entry(seed, entry.title, entry.summary)
            state = "pending" if verdict.relevant else "irrelevant"
            rows.append(
                EntryRow(
                    url=entry.url, feed_url=feed.feed_url, entry_key=entry.entry_key, title=entry.title,
                    summary=entry.summary, published_at=entry.published_at, content_hash=entry.content_hash,
                    state=state, prefilter_score=verdict.score,
                )
            )
            if verdict.relevant:
                reason = "changed" if before is not None else "new"
                work.append(
                    WorkItem(
                        url=entry.url, feed_url=feed.feed_url, title=entry.title, summary=entry.summary,
                        published_at=entry.published_at, reason=reason,
                    )
                )
    return rows, work, unchanged


def merge_work(*lists: list[WorkItem]) -> list[WorkItem]:
    """One item per URL; earlier lists win (a new entry beats a retry beats a re-check)."""
    merged: dict[str, WorkItem] = {}
    for items in lists:
        for item in items:
            merged.setdefault(item.url, item)
    return list(merged.values())


def attach_previous(work: list[WorkItem], previous: dict) -> list[WorkItem]:
    """Each item with the stored version it may replace (for conditional GET and the sentence diff)."""
    return [replace(item, previous=previous.get(item.url)) for item in work]


MAX_HTML_CHARS = 5_000_000  # a page longer than this is cut before cleaning: no article is that long


def analyse_page(item: WorkItem, fetched: FetchResult, seed, now: datetime, timings: dict | None = None,
                 spans: list | None = None) -> PageOutcome:
    """What one fetched page says about the story. Never raises: a failure is an outcome.
    Adds seconds per stage to `timings`, and (stage, start, end) to `spans` if given."""
    try:
        return _analyse_page(item, fetched, seed, now, {} if timings is None else timings, [] if spans is None else spans)
    except Exception as exc:  # a bug on one page is that page's recorded error, never the run's
        return PageOutcome(url=item.url, feed_url=item.feed_url, fetched_at=now, reason=item.reason,
                           attempts=item.attempts, ok=False, stage="internal", error_kind="internal",
                           error=f"could not analyse the page: {exc!r}")


def _analyse_page(item: WorkItem, fetched: FetchResult, seed, now: datetime, timings: dict, spans: list) -> PageOutcome:
    base = dict(url=item.url, feed_url=item.feed_url, fetched_at=now, reason=item.reason, attempts=item.attempts)
    if not fetched.ok:
        return PageOutcome(**base, ok=False, error=fetched.error, error_kind=fetched.error_kind, stage="fetch")
    etag = fetched.headers.get("etag")
    last_modified = fetched.headers.get("last-modified")
    if fetched.not_modified:
        return PageOutcome(**base, ok=True, not_modified=True, etag=etag, last_modified=last_modified)
    t0 = time.perf_counter()
    try:
        article = extract_article(fetched.body[:MAX_HTML_CHARS], url=fetched.final_url,
                                  content_type=fetched.headers.get("content-type"))
    except Exception as exc:  # the extractor should never raise; if it does, the page is recorded, not the run lost
        return PageOutcome(**base, ok=False, error=f"could not clean the page: {exc!r}", error_kind="clean_failed", stage="clean")
    finally:
        t1 = time.perf_counter()
        timings["clean"] = timings.get("clean", 0.0) + t1 - t0
        spans.append(("clean", t0, t1))
    text = article.text.strip()
    if not text:
        return PageOutcome(
            **base, ok=False, stage="clean", error_kind="no_article_text",
            error=f"no article text found in the page ({len(fetched.body)} bytes, {fetched.headers.get('content-type', 'no content type')})",
        )
    digest = content_hash(text)
    previous = item.previous
    changed = previous is None or previous.content_hash != digest
    outcome = PageOutcome(
        **base, ok=True, changed=changed, final_url=fetched.final_url,
        article_url=article_identity(item.url, fetched.final_url, article.canonical_url),
        title=article.title or item.title, text=text,
        published_at=article.published_at or item.published_at, modified_at=article.modified_at,
        site_name=article.site_name, authors=tuple(article.authors), language=article.language,
        content_hash=digest, etag=etag, last_modified=last_modified,
    )
    if not changed:
        return outcome
    outcome.fingerprint = simhash(text)
    t0 = time.perf_counter()
    try:
        verdict = facts.relevance_of_article(seed, outcome.title or "", text)
        outcome.relevant, outcome.relevance_score, outcome.relevance_reason = verdict.relevant, verdict.score, verdict.reason
        if verdict.relevant:
            skip = facts.split_sentences(previous.text) if previous else ()
            outcome.findings = facts.diff_article(
                seed, title=outcome.title or "", text=text, published_at=outcome.published_at, skip_sentences=skip
            )
    except Exception as exc:  # a bug in the engine on one page must not lose the run
        return PageOutcome(**base, ok=False, error=f"fact engine failed on this page: {exc!r}", error_kind="diff_failed", stage="diff")
    finally:
        t1 = time.perf_counter()
        timings["diff"] = timings.get("diff", 0.0) + t1 - t0
        spans.append(("diff", t0, t1))
    return outcome


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def article_identity(link: str, final_url: str | None, canonical: str | None) -> str:
    """The URL an article is stored under: its rel=canonical when that stays on the site that
    served it (a page cannot claim another site's article), else where the redirects ended."""
    landed = canonicalize_url(final_url or link)
    if canonical and canonical.startswith(("http://", "https://")) and _host(canonical) == _host(landed):
        claimed = canonicalize_url(canonical)
        # Some sites point every page's canonical at their home page or a section front: an
        # article's own canonical is never a shorter prefix of where it was served.
        if urlsplit(claimed).path.strip("/") and not (landed.startswith(claimed) and landed != claimed):
            return claimed
    return landed


def collapse_aliases(outcomes: list[PageOutcome]) -> None:
    """Several links in one run that led to the same article: the first (by publication) keeps it."""
    seen: set[str] = set()
    for outcome in sorted((o for o in outcomes if o.ok and o.changed), key=_publication_order):
        if outcome.key in seen:
            outcome.changed, outcome.findings = False, []
        seen.add(outcome.key)


def _publication_order(outcome: PageOutcome):
    published = outcome.published_at.astimezone(timezone.utc) if outcome.published_at else _FAR_FUTURE
    return published, outcome.url


_FAR_FUTURE = datetime.max.replace(tzinfo=timezone.utc)


def link_duplicates(outcomes: list[PageOutcome], known: list[tuple[str, int]]) -> None:
    """Mark each new article that is a near copy of an earlier one (stored, or earlier in this run)."""
    fingerprints = list(known)
    for outcome in sorted((o for o in outcomes if o.ok and o.changed and o.fingerprint is not None), key=_publication_order):
        outcome.duplicate_of = find_near_duplicate(outcome.fingerprint, fingerprints, exclude_url=outcome.key)
        fingerprints.append((outcome.key, outcome.fingerprint))


def artifact_key(story_id: str) -> str:
    """Prefect artifact keys allow lower-case letters, digits and dashes only."""
    return re.sub(r"[^a-z0-9-]+", "-", story_id.lower()).strip("-") or "story"


def _distinct_reports(observations: list[dict]):
    """Stored findings for the development index, each (evidence, kind, fact_id) once, in order.

    The index groups by what a finding says (its evidence, kind and fact); a repeat of a report it
    already holds joins the development the first one is in and adds nothing it can match on, so
    replaying repeats (syndicated copies, the same sentence on every re-check) only costs time:
    the index replays its history at every run, in time quadratic in what it is given."""
    seen: set[tuple] = set()
    for o in observations:
        key = (o["evidence"], o["kind"], o["fact_id"])
        if key not in seen:
            seen.add(key)
            yield o["evidence"], o["kind"], o["fact_id"], o.get("development_id"), o.get("article_url") or ""


# Outlets repeat a development within days (syndication, follow-ups). Matching a new finding
# against the story's whole history would cost time quadratic in it, so only reports published
# within this window before the run's oldest new article are replayed into the index.
DEDUPE_WINDOW = timedelta(days=30)


def _recent(observations: list[dict], ordered: list[PageOutcome]) -> list[dict]:
    published = [o.published_at for o in ordered if o.published_at]
    if not published:
        return observations
    since = min(p.astimezone(timezone.utc) for p in published) - DEDUPE_WINDOW
    return [o for o in observations if o["published_at"] is None or o["published_at"].astimezone(timezone.utc) >= since]


def assign_developments(seed, outcomes: list[PageOutcome], observations: list[dict]) -> list[Observation]:
    """Turn raw findings into stored findings: which development each belongs to, and whether it is
    the first report of it (an alert) or one more source. Processed in publication order so the
    earliest report is the alert. Returns the full observation list for the roll-up.

    A finding that repeats one already added in this run (same evidence, kind and fact) belongs to
    the same development and is not its first report, so it is not matched again."""
    all_obs = [
        Observation(o["kind"], o["fact_id"], o["evidence"], o["article_url"], o["published_at"], o["detected_at"])
        for o in observations
    ]
    ordered = sorted((o for o in outcomes if o.ok and o.findings), key=_publication_order)
    if not ordered:  # nothing new to group: do not rebuild the index from the story's history
        return all_obs
    index = facts.DevelopmentIndex(_distinct_reports(_recent(observations, ordered)), seed=seed)
    added: dict[tuple, str | None] = {}
    for outcome in ordered:
        try:
            all_obs.extend(_store_findings(index, added, outcome))
        except Exception as exc:  # the grouping failed on this page: record it there, keep the others
            outcome.ok, outcome.stage, outcome.error_kind = False, "diff", "diff_failed"
            outcome.error, outcome.findings = f"could not group the page's findings: {exc!r}", []
    return all_obs


def _store_findings(index, added: dict, outcome: PageOutcome) -> list[Observation]:
    stored, observations = [], []
    # the page's findings not seen in this run are grouped together, so that a rewrite of an earlier
    # article (a syndicated copy) is recognised as a whole
    fresh_ones, seen = [], set()
    for finding in outcome.findings:
        report = (finding.evidence, finding.kind, finding.fact_id)
        if report not in added and report not in seen:
            seen.add(report)
            fresh_ones.append(finding)
    grouped = dict(zip(((f.evidence, f.kind, f.fact_id) for f in fresh_ones),
                       index.add_article(fresh_ones, outcome.key, outcome.published_at)))
    for finding in outcome.findings:
        report = (finding.evidence, finding.kind, finding.fact_id)
        if report in added:
            is_new, development_id = False, added[report]
        else:
            is_new, development_id = grouped[report]
            added[report] = development_id
        stored.append(
            StoredFinding(
                kind=finding.kind, fact_id=finding.fact_id, evidence=finding.evidence,
                confidence=finding.confidence, changes=[c.__dict__ for c in finding.changes],
                sentence_index=finding.sentence_index, development_id=development_id,
                is_alert=is_new and finding.kind in ALERT_KINDS,
            )
        )
        observations.append(
            Observation(finding.kind, finding.fact_id, finding.evidence, outcome.key, outcome.published_at, outcome.fetched_at)
        )
    outcome.findings = stored
    return observations
