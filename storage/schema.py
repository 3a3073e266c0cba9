"""The DuckDB schema: a public interface, changed only forward.

Each migration is a list of statements applied in one transaction; `schema_version`
records which ones ran. Never edit a released migration: add the next one.
"""
from __future__ import annotations

MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (
        1,
        "initial schema",
        [
            """CREATE TABLE stories (
                story_id          VARCHAR PRIMARY KEY,
                title             VARCHAR,
                seed_published_at TIMESTAMPTZ,
                seed_text         VARCHAR NOT NULL,
                seed_sha256       VARCHAR NOT NULL,
                config            JSON,
                created_at        TIMESTAMPTZ NOT NULL,
                updated_at        TIMESTAMPTZ NOT NULL
            )""",
            """CREATE TABLE seed_facts (
                story_id  VARCHAR NOT NULL,
                fact_id   VARCHAR NOT NULL,
                ordinal   INTEGER NOT NULL,
                text      VARCHAR NOT NULL,
                sentence  VARCHAR,
                details   JSON,
                PRIMARY KEY (story_id, fact_id)
            )""",
            """CREATE TABLE feed_health (
                story_id             VARCHAR NOT NULL,
                feed_url             VARCHAR NOT NULL,
                feed_title           VARCHAR,
                last_polled_at       TIMESTAMPTZ,
                last_ok_at           TIMESTAMPTZ,
                last_status          INTEGER,
                last_error           VARCHAR,
                last_error_kind      VARCHAR,
                last_warning         VARCHAR,
                consecutive_failures INTEGER NOT NULL DEFAULT 0,
                etag                 VARCHAR,
                last_modified        VARCHAR,
                poll_interval_s      INTEGER,
                next_poll_at         TIMESTAMPTZ,
                retry_after_until    TIMESTAMPTZ,
                backoff_until        TIMESTAMPTZ,
                entries_last_poll    INTEGER,
                PRIMARY KEY (story_id, feed_url)
            )""",
            # The work queue: every feed item seen, with what became of it.
            """CREATE TABLE entries (
                story_id        VARCHAR NOT NULL,
                url             VARCHAR NOT NULL,
                feed_url        VARCHAR NOT NULL,
                entry_key       VARCHAR,
                title           VARCHAR,
                summary         VARCHAR,
                published_at    TIMESTAMPTZ,
                content_hash    VARCHAR,
                first_seen_at   TIMESTAMPTZ NOT NULL,
                last_seen_at    TIMESTAMPTZ NOT NULL,
                state           VARCHAR NOT NULL,
                prefilter_score DOUBLE,
                article_url     VARCHAR,
                attempts        INTEGER NOT NULL DEFAULT 0,
                last_error      VARCHAR,
                PRIMARY KEY (story_id, url)
            )""",
            """CREATE TABLE articles (
                story_id         VARCHAR NOT NULL,
                url              VARCHAR NOT NULL,
                title            VARCHAR,
                published_at     TIMESTAMPTZ,
                modified_at      TIMESTAMPTZ,
                fetched_at       TIMESTAMPTZ,
                first_fetched_at TIMESTAMPTZ,
                feed_url         VARCHAR,
                relevant         BOOLEAN NOT NULL,
                relevance_score  DOUBLE,
                relevance_reason VARCHAR,
                version          INTEGER NOT NULL,
                content_hash     VARCHAR,
                fingerprint      UBIGINT,
                duplicate_of     VARCHAR,
                final_url        VARCHAR,
                site_name        VARCHAR,
                authors          JSON,
                language         VARCHAR,
                etag             VARCHAR,
                last_modified    VARCHAR,
                PRIMARY KEY (story_id, url)
            )""",
            """CREATE TABLE article_versions (
                story_id     VARCHAR NOT NULL,
                url          VARCHAR NOT NULL,
                version      INTEGER NOT NULL,
                fetched_at   TIMESTAMPTZ NOT NULL,
                content_hash VARCHAR NOT NULL,
                title        VARCHAR,
                text         VARCHAR,
                run_id       VARCHAR,
                PRIMARY KEY (story_id, url, version)
            )""",
            "CREATE SEQUENCE update_id_seq",
            """CREATE TABLE updates (
                update_id       BIGINT PRIMARY KEY DEFAULT nextval('update_id_seq'),
                story_id        VARCHAR NOT NULL,
                article_url     VARCHAR NOT NULL,
                article_version INTEGER NOT NULL,
                kind            VARCHAR NOT NULL CHECK (kind IN ('confirms', 'updates', 'contradicts', 'new')),
                fact_id         VARCHAR,
                evidence        VARCHAR NOT NULL,
                confidence      DOUBLE,
                changes         JSON,
                sentence_index  INTEGER,
                development_id  VARCHAR,
                is_alert        BOOLEAN NOT NULL,
                published_at    TIMESTAMPTZ,
                detected_at     TIMESTAMPTZ NOT NULL,
                run_id          VARCHAR
            )""",
            """CREATE TABLE fact_status (
                story_id    VARCHAR NOT NULL,
                fact_id     VARCHAR NOT NULL,
                state       VARCHAR NOT NULL,
                evidence    VARCHAR,
                article_url VARCHAR,
                as_of       TIMESTAMPTZ,
                computed_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (story_id, fact_id)
            )""",
            """CREATE VIEW latest_status AS
                SELECT f.story_id, f.fact_id, f.text AS fact_text,
                       coalesce(s.state, 'unconfirmed') AS state,
                       s.evidence, s.article_url, s.as_of, f.ordinal
                FROM seed_facts f
                LEFT JOIN fact_status s USING (story_id, fact_id)""",
            """CREATE TABLE runs (
                run_id            VARCHAR PRIMARY KEY,
                story_id          VARCHAR NOT NULL,
                flow_run_id       VARCHAR,
                trigger           VARCHAR,
                status            VARCHAR NOT NULL,
                started_at        TIMESTAMPTZ NOT NULL,
                finished_at       TIMESTAMPTZ,
                feeds_polled      INTEGER,
                feeds_skipped     INTEGER,
                feeds_failed      INTEGER,
                entries_new       INTEGER,
                pages_fetched     INTEGER,
                pages_failed      INTEGER,
                articles_relevant INTEGER,
                updates_found     INTEGER,
                alerts            INTEGER,
                timings           JSON,
                message           VARCHAR
            )""",
            """CREATE TABLE errors (
                story_id   VARCHAR NOT NULL,
                run_id     VARCHAR,
                occurred_at TIMESTAMPTZ NOT NULL,
                stage      VARCHAR NOT NULL,
                url        VARCHAR,
                error_kind VARCHAR,
                message    VARCHAR NOT NULL
            )""",
            "CREATE INDEX updates_story ON updates (story_id, article_url)",
        ],
    ),
]

CURRENT_VERSION = MIGRATIONS[-1][0]
