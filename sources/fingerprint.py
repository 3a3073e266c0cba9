"""Near-duplicate detection for article texts (the same wire story on several sites).

A 64-bit SimHash over word 3-shingles: reworded copies land a few bits apart, different
articles on the same topic about half the bits apart.
"""
from __future__ import annotations

import hashlib
import re

_WORD = re.compile(r"\w+", re.UNICODE)
NEAR_DUPLICATE_BITS = 12


def content_hash(text: str) -> str:
    """Hash of the text with whitespace folded: a page whose text did not change keeps it."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def simhash(text: str) -> int:
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return 0
    shingles = [" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))]
    weights = [0] * 64
    for shingle in set(shingles):
        h = int.from_bytes(hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if (h >> bit) & 1 else -1
    return sum(1 << bit for bit in range(64) if weights[bit] > 0)


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def find_near_duplicate(fingerprint: int, known: list[tuple[str, int]], *, exclude_url: str | None = None) -> str | None:
    """URL of the closest known article within NEAR_DUPLICATE_BITS, if any."""
    best: tuple[int, str] | None = None
    for url, other in known:
        if url == exclude_url or other is None:
            continue
        distance = hamming(fingerprint, other)
        if distance <= NEAR_DUPLICATE_BITS and (best is None or distance < best[0]):
            best = (distance, url)
    return best[1] if best else None
