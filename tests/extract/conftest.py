from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REPO_ROOT = Path(__file__).resolve().parents[2]


def benchmark_dir() -> Path | None:
    env = os.environ.get("STORYWATCH_EXTRACTION_BENCHMARK")
    candidates = [Path(env)] if env else []
    candidates.append((REPO_ROOT / ".." / "shared" / "article-extraction-benchmark").resolve())
    for c in candidates:
        if (c / "ground-truth.json").is_file() and (c / "html").is_dir():
            return c
    return None


@pytest.fixture
def fixture_bytes():
    def load(name: str) -> bytes:
        return (FIXTURES / name).read_bytes()

    return load
