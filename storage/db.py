"""Opening the DuckDB file: short-lived connections, brief retries on the file lock, migrations.

DuckDB lets one process hold a read-write connection; every other process, even a
read-only one, fails at once with "Could not set lock on file". Writers therefore hold
their connection only for a write phase, and everybody retries briefly on that error.
"""
from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from storage.schema import CURRENT_VERSION, MIGRATIONS

LOCK_WAIT_S = 30.0


class DatabaseBusy(RuntimeError):
    """The database file stayed locked by another process for longer than we wait."""


class SchemaTooNew(RuntimeError):
    """The file was written by a newer storywatch; we never downgrade."""


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc)
    return "Could not set lock" in text or "Conflicting lock" in text


def _open(path: str, read_only: bool, wait_s: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait_s
    delay = 0.05
    while True:
        try:
            con = duckdb.connect(path, read_only=read_only)
            con.execute("SET TimeZone = 'UTC'")
            return con
        except duckdb.IOException as exc:
            if not _is_lock_error(exc) or time.monotonic() >= deadline:
                if _is_lock_error(exc):
                    raise DatabaseBusy(
                        f"{path} is locked by another storywatch process (a run's write phase); "
                        f"waited {wait_s:.0f}s. Try again in a moment."
                    ) from exc
                raise
            time.sleep(delay * (1 + random.random()))
            delay = min(delay * 2, 1.0)


@contextlib.contextmanager
def write_connection(path: str | Path, wait_s: float = LOCK_WAIT_S) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection for one write phase, schema migrated; closed on exit."""
    path = str(path)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    con = _open(path, read_only=False, wait_s=wait_s)
    try:
        migrate(con)
        yield con
    finally:
        con.close()


@contextlib.contextmanager
def read_connection(path: str | Path, wait_s: float = LOCK_WAIT_S) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection; retries while a writer holds the file."""
    path = str(path)
    if not Path(path).exists():
        raise FileNotFoundError(f"no storywatch database at {path} (run `storywatch run` first, or pass --db)")
    con = _open(path, read_only=True, wait_s=wait_s)
    try:
        version = schema_version(con)
        if version > CURRENT_VERSION:
            raise SchemaTooNew(f"{path} has schema version {version}; this storywatch knows up to {CURRENT_VERSION}")
        yield con
    finally:
        con.close()


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    else:
        con.execute("COMMIT")


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    has_table = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()[0]
    if not has_table:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every migration newer than the file's version, each in its own transaction."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMPTZ)"
    )
    current = schema_version(con)
    if current > CURRENT_VERSION:
        raise SchemaTooNew(f"database schema version {current} is newer than this storywatch ({CURRENT_VERSION})")
    for version, description, statements in MIGRATIONS:
        if version <= current:
            continue
        with transaction(con):
            for statement in statements:
                con.execute(statement)
            con.execute(
                "INSERT INTO schema_version VALUES (?, ?, ?)",
                [version, description, datetime.now(timezone.utc)],
            )
    return CURRENT_VERSION
