"""Shared fixtures: a Prefect test server (once per session, only for tests that run flows),
replay servers on 127.0.0.1, and the paths of the bundled demo material."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

REPO = Path(__file__).resolve().parents[1]
DEMO_ROOT = REPO / "demo" / "london-talks"
STORY_DIR = REPO / "seeds" / "london-talks"
DEMO_FEEDS = ("feeds/world.rss", "feeds/markets.atom", "feeds/asia.rss")


@pytest.fixture(scope="session")
def prefect_server():
    """A real (temporary) Prefect API for the whole session: starting one costs ~10 s."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def replay():
    """The London talks replay, served on 127.0.0.1; set `.tick` to move the story on."""
    from flows.replay import ReplayServer

    with ReplayServer(DEMO_ROOT) as server:
        yield server


@pytest.fixture
def demo_feeds(replay):
    return [replay.url(f) for f in DEMO_FEEDS]
