"""Fixtures for the fetch-layer tests (helpers live in fetchkit.py)."""
from __future__ import annotations

import time

import pytest

from sources.http import HttpClient

from .fetchkit import FaultServer, make_policy


@pytest.fixture(scope="session")
def server():
    srv = FaultServer("127.0.0.1").start()
    yield srv
    srv.close()


@pytest.fixture(scope="session")
def internal_server():
    """Stands for a host inside our network: the tests assert it is never contacted."""
    srv = FaultServer("127.0.0.2").start()
    yield srv
    srv.close()


@pytest.fixture
def client() -> HttpClient:
    return HttpClient(make_policy())


@pytest.fixture
def timed():
    """Context helper: asserts a block finished within a bound."""

    class _Timer:
        def __init__(self, limit: float) -> None:
            self.limit = limit

        def __enter__(self):
            self.t0 = time.monotonic()
            return self

        def __exit__(self, *exc):
            self.elapsed = time.monotonic() - self.t0
            assert self.elapsed < self.limit, f"took {self.elapsed:.2f}s, limit {self.limit}s"

    return _Timer
