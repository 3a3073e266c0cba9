"""A small generic gazetteer: country names, abbreviations, demonyms and capitals used as metonyms
("Washington", "Beijing"), mapped to one canonical spelling so that "U.S.", "United States",
"American" and "Washington" count as one place. Generic world knowledge, not tied to any story."""
from __future__ import annotations

import re

_COUNTRIES = {
    "US": ["United States of America", "United States", "U.S.A.", "U.S.", "USA", "America", "American",
           "Americans", "Washington"],
    "China": ["People's Republic of China", "PRC", "Chinese", "Beijing", "Sino"],
    "UK": ["United Kingdom", "U.K.", "Britain", "Great Britain", "British", "Whitehall"],
    "EU": ["European Union", "E.U.", "Brussels", "European Commission"],
    "Russia": ["Russian Federation", "Russian", "Russians", "Moscow", "Kremlin"],
    "Ukraine": ["Ukrainian", "Ukrainians", "Kyiv", "Kiev"],
    "Japan": ["Japanese", "Tokyo"],
    "India": ["Indian", "Indians", "New Delhi"],
    "Germany": ["German", "Germans", "Berlin"],
    "France": ["French", "Paris"],
    "Italy": ["Italian", "Rome"],
    "Spain": ["Spanish", "Madrid"],
    "Canada": ["Canadian", "Ottawa"],
    "Mexico": ["Mexican"],
    "Brazil": ["Brazilian", "Brasilia"],
    "Australia": ["Australian", "Canberra"],
    "South Korea": ["Republic of Korea", "South Korean", "Seoul"],
    "North Korea": ["North Korean", "Pyongyang", "DPRK"],
    "Taiwan": ["Taiwanese", "Taipei"],
    "Iran": ["Iranian", "Tehran"],
    "Israel": ["Israeli", "Israelis"],
    "Turkey": ["Turkish", "Ankara", "Turkiye"],
    "Saudi Arabia": ["Saudi", "Riyadh"],
    "Vietnam": ["Vietnamese", "Hanoi"],
    "Indonesia": ["Indonesian", "Jakarta"],
    "Switzerland": ["Swiss", "Bern"],
    "Netherlands": ["Dutch", "The Hague"],
    "Pakistan": ["Pakistani", "Islamabad"],
    "South Africa": ["South African", "Pretoria"],
    "Egypt": ["Egyptian", "Cairo"],
    "Poland": ["Polish", "Warsaw"],
    "Malaysia": ["Malaysian", "Kuala Lumpur"],
    "Singapore": ["Singaporean"],
    "Philippines": ["Filipino", "Manila"],
    "Thailand": ["Thai", "Bangkok"],
    "Sweden": ["Swedish"],
    "Norway": ["Norwegian", "Oslo"],
    "Argentina": ["Argentine", "Argentinian", "Buenos Aires"],
    "Nigeria": ["Nigerian", "Abuja"],
}
CANONICAL: dict[str, str] = {}
for canon, variants in _COUNTRIES.items():
    CANONICAL[canon.lower()] = canon
    for v in variants:
        CANONICAL[v.lower()] = canon
_VARIANTS = sorted({v for vs in _COUNTRIES.values() for v in vs} | set(_COUNTRIES), key=len, reverse=True)
_RX = re.compile(r"(?<![\w.])(?:the\s+)?(" + "|".join(re.escape(v) for v in _VARIANTS) + r")(?:'s|\u2019s)?(?![\w])")
PLACE_NAMES = set(_COUNTRIES)


def normalize_places(text: str) -> str:
    """Replace country variants by their canonical spelling (case-sensitive: 'US' not 'us')."""

    def rep(m: re.Match) -> str:
        v = m.group(1)
        if v == "US" or v[0].isupper():
            return CANONICAL.get(v.lower(), v)
        return m.group(0)

    return _RX.sub(rep, text)


def places_in(text: str) -> set[str]:
    return {CANONICAL[m.group(1).lower()] for m in _RX.finditer(text) if m.group(1)[0].isupper()
            and m.group(1).lower() in CANONICAL}
