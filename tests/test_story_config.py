"""Story folders and by-hand seeds: what loads, and what is refused with a clear message."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from flows.story import StoryConfigError, load_story, split_seed_header, story_from_args, with_feeds
from tests.conftest import STORY_DIR


def test_the_london_story_loads():
    story = load_story(STORY_DIR)
    assert story.story_id == "london-talks"
    assert story.published_at == datetime(2025, 6, 10, 20, 30, tzinfo=timezone.utc)
    assert story.feeds and all(f.startswith("https://") for f in story.feeds)
    assert "Lancaster" in story.seed_text


def _write_story(tmp_path, toml: str, seed: str = "A seed sentence about something that happened."):
    folder = tmp_path / "my-story"
    folder.mkdir()
    (folder / "story.toml").write_text(toml, encoding="utf-8")
    (folder / "seed.txt").write_text(seed, encoding="utf-8")
    return folder


def test_hints_and_fetch_settings(tmp_path):
    folder = _write_story(tmp_path, """
title = "Harbor bid"
published = 2025-03-01T09:00:00+01:00
feeds = ["http://127.0.0.1:8000/feed.xml"]
[hints]
keywords = ["takeover"]
aliases = { "Jane Roe" = ["J. Roe", "Roe"] }
[fetch]
allow_hosts = ["127.0.0.1"]
""")
    story = load_story(folder)
    assert story.story_id == "my-story"
    assert story.published_at == datetime(2025, 3, 1, 8, 0, tzinfo=timezone.utc)
    assert story.hints.aliases == {"Jane Roe": ("J. Roe", "Roe")}
    assert story.hints.keywords == ("takeover",)
    assert story.allow_hosts == ("127.0.0.1",)
    merged = with_feeds(story, ["http://127.0.0.1:9000/other.xml"], allow_hosts=["localhost"])
    assert merged.feeds == ("http://127.0.0.1:9000/other.xml",) and merged.allow_hosts == ("127.0.0.1", "localhost")


@pytest.mark.parametrize(
    "toml, message",
    [
        ('feeds = ["file:///etc/passwd"]', "not an http(s) URL"),
        ('published = "yesterday"', "not an ISO-8601 time"),
        ('[hints]\naliases = { "A" = "B" }', "hints.aliases"),
        ("title = ", "invalid TOML"),
    ],
)
def test_bad_story_files_say_what_is_wrong(tmp_path, toml, message):
    with pytest.raises(StoryConfigError, match=re.escape(message)):
        load_story(_write_story(tmp_path, toml))


def test_missing_seed_and_empty_seed(tmp_path):
    with pytest.raises(StoryConfigError, match="no story.toml"):
        load_story(tmp_path)
    with pytest.raises(StoryConfigError, match="empty"):
        load_story(_write_story(tmp_path, "", seed="   \n"))


def test_seed_header_and_stable_story_id(tmp_path):
    header, body = split_seed_header("Title: Dam talks\nPublished: 2025-05-02T10:00:00Z\n\nThe dam may be breached.")
    assert header == {"title": "Dam talks", "published": "2025-05-02T10:00:00Z"} and body == "The dam may be breached."
    # A first line that merely starts like a header is article text, not a header.
    assert split_seed_header("Title: of the report was leaked\nIt said more.")[0] == {}
    seed = tmp_path / "seed.txt"
    seed.write_text("Title: Dam talks\n\nThe dam  may be breached.\r\n", encoding="utf-8")
    a = story_from_args(seed, title=None, published=None, feeds=["http://127.0.0.1:1/f"])
    seed.write_text("The dam may be breached.", encoding="utf-8")
    b = story_from_args(seed, title="Another title", published="2025-05-02", feeds=["http://127.0.0.1:1/f"])
    assert a.story_id == b.story_id and a.title == "Dam talks" and b.title == "Another title"


def test_story_ids_are_safe_names(tmp_path):
    with pytest.raises(StoryConfigError, match="must be lower-case"):
        load_story(_write_story(tmp_path, 'id = "../../etc"'))
