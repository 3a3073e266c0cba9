"""A story's configuration: from a `seeds/<story>/story.toml` folder or from command-line arguments."""
from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from facts.model import StoryHints


class StoryConfigError(ValueError):
    """The story folder or arguments are unusable; the message says what to fix."""


@dataclass(frozen=True)
class StoryConfig:
    story_id: str
    title: str | None
    seed_text: str
    published_at: datetime | None
    feeds: tuple[str, ...]
    hints: StoryHints = field(default_factory=StoryHints)
    allow_hosts: tuple[str, ...] = ()
    allow_private_network: bool = False
    contact: str | None = None
    recheck_hours: float = 48.0
    source: str | None = None  # where the config came from

    @property
    def seed_sha256(self) -> str:
        return seed_hash(self.seed_text)

    def as_json(self) -> dict:
        return {
            "feeds": list(self.feeds),
            "hints": {
                "keywords": list(self.hints.keywords),
                "exclude_keywords": list(self.hints.exclude_keywords),
                "aliases": {k: list(v) for k, v in self.hints.aliases.items()},
            },
            "allow_hosts": list(self.allow_hosts),
            "allow_private_network": self.allow_private_network,
            "recheck_hours": self.recheck_hours,
            "source": self.source,
        }


def normalize_seed(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return re.sub(r"[ \t]+", " ", text)


def seed_hash(text: str) -> str:
    return hashlib.sha256(normalize_seed(text).encode("utf-8")).hexdigest()


def parse_time(value, what: str) -> datetime | None:
    """ISO-8601 (TOML datetimes too); a naive time is taken as UTC."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        dt = value
    else:
        try:
            dt = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError as exc:
            raise StoryConfigError(f"{what}: {value!r} is not an ISO-8601 time (e.g. 2025-06-10T20:30:00+00:00)") from exc
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


_HEADER = re.compile(r"^(title|published|date)\s*:\s*(.+)$", re.IGNORECASE)


def split_seed_header(text: str) -> tuple[dict[str, str], str]:
    """A seed file may open with `Title: ...` / `Published: ...` lines before a blank line."""
    lines = text.lstrip("\ufeff").splitlines()
    header: dict[str, str] = {}
    i = 0
    while i < len(lines) and (m := _HEADER.match(lines[i].strip())):
        header[m.group(1).lower()] = m.group(2).strip()
        i += 1
    if header and (i == len(lines) or not lines[i].strip()):
        return header, "\n".join(lines[i:]).strip()
    return {}, text.strip()


def _validate_feeds(feeds, where: str) -> tuple[str, ...]:
    out = []
    for url in feeds:
        if not isinstance(url, str) or not re.match(r"^https?://[^\s/]+", url.strip()):
            raise StoryConfigError(f"{where}: feed {url!r} is not an http(s) URL")
        out.append(url.strip())
    return tuple(dict.fromkeys(out))


def _hints(raw: dict, where: str) -> StoryHints:
    if not isinstance(raw, dict):
        raise StoryConfigError(f"{where}: [hints] must be a table")
    aliases = raw.get("aliases", {}) or {}
    if not isinstance(aliases, dict) or not all(isinstance(v, list) for v in aliases.values()):
        raise StoryConfigError(f'{where}: hints.aliases must map a name to a list of spellings: {{ "Name" = ["variant"] }}')
    return StoryHints(
        keywords=tuple(raw.get("keywords", []) or ()),
        exclude_keywords=tuple(raw.get("exclude_keywords", []) or ()),
        aliases={str(k): tuple(str(x) for x in v) for k, v in aliases.items()},
    )


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "story"


def load_story(folder: str | Path) -> StoryConfig:
    folder = Path(folder)
    toml_path = folder / "story.toml" if folder.is_dir() else folder
    if not toml_path.exists():
        raise StoryConfigError(f"{toml_path}: no story.toml here (a story folder holds story.toml and the seed text)")
    try:
        raw = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise StoryConfigError(f"{toml_path}: invalid TOML: {exc}") from exc
    base = toml_path.parent
    seed_path = base / raw.get("seed", "seed.txt")
    if not seed_path.exists():
        raise StoryConfigError(f"{toml_path}: seed file {seed_path} not found")
    header, seed_text = split_seed_header(seed_path.read_text(encoding="utf-8", errors="replace"))
    if not seed_text:
        raise StoryConfigError(f"{seed_path}: the seed article is empty")
    fetch = raw.get("fetch", {}) or {}
    story_id = str(raw.get("id") or slugify(base.name))
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,79}", story_id):
        raise StoryConfigError(f"{toml_path}: id {story_id!r} must be lower-case letters, digits, '.', '_' or '-'")
    return StoryConfig(
        story_id=story_id,
        title=raw.get("title") or header.get("title"),
        seed_text=normalize_seed(seed_text),
        published_at=parse_time(raw.get("published") or header.get("published") or header.get("date"), f"{toml_path}: published"),
        feeds=_validate_feeds(raw.get("feeds", []), str(toml_path)),
        hints=_hints(raw.get("hints", {}) or {}, str(toml_path)),
        allow_hosts=tuple(fetch.get("allow_hosts", []) or ()),
        allow_private_network=bool(fetch.get("allow_private_network", False)),
        contact=fetch.get("contact"),
        recheck_hours=float(fetch.get("recheck_hours", 48)),
        source=str(toml_path),
    )


def story_from_args(seed_file: str | Path, *, title: str | None, published: str | None, feeds: list[str]) -> StoryConfig:
    path = Path(seed_file)
    if not path.exists():
        raise StoryConfigError(f"seed file {path} not found")
    header, seed_text = split_seed_header(path.read_text(encoding="utf-8", errors="replace"))
    if not seed_text:
        raise StoryConfigError(f"{path}: the seed article is empty")
    seed_text = normalize_seed(seed_text)
    # The same seed text always continues the same story, whatever the title says.
    return StoryConfig(
        story_id=f"seed-{seed_hash(seed_text)[:12]}",
        title=title or header.get("title"),
        seed_text=seed_text,
        published_at=parse_time(published or header.get("published") or header.get("date"), "--published"),
        feeds=_validate_feeds(feeds, "--feed"),
        source=str(path),
    )


def with_feeds(config: StoryConfig, feeds: list[str] | None, allow_hosts=(), allow_private_network=None) -> StoryConfig:
    """Overrides from the command line or a deployment's parameters."""
    from dataclasses import replace

    changes = {}
    if feeds:
        changes["feeds"] = _validate_feeds(feeds, "--feed")
    if allow_hosts:
        changes["allow_hosts"] = tuple(dict.fromkeys([*config.allow_hosts, *allow_hosts]))
    if allow_private_network is not None:
        changes["allow_private_network"] = bool(allow_private_network) or config.allow_private_network
    return replace(config, **changes) if changes else config
