"""Run-wide settings that come from the environment, the story and the command line."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB = "storywatch.duckdb"
PROJECT_URL = "https://github.com/storywatch/storywatch"


def default_db_path() -> str:
    return os.environ.get("STORYWATCH_DB") or DEFAULT_DB


def run_lock_path(db_path: str, story_id: str) -> Path:
    return Path(f"{db_path}.{story_id}.runlock")


@dataclass(frozen=True)
class FetchSettings:
    """What the HTTP client needs; hashable so one client per settings is shared in a process."""

    allow_private_network: bool = False
    allow_hosts: tuple[str, ...] = ()
    contact: str | None = None
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 15.0
    total_timeout_s: float = 30.0
    per_host_concurrency: int = 2
    max_body_bytes: int = 10 * 1024 * 1024
    retries: int = 2

    @property
    def user_agent(self) -> str:
        from importlib.metadata import PackageNotFoundError, version

        try:
            v = version("storywatch")
        except PackageNotFoundError:
            v = "dev"
        return f"storywatch/{v} (+{self.contact or os.environ.get('STORYWATCH_CONTACT') or PROJECT_URL})"
