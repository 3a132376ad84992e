"""The codebook the cold start reads: each seed theme's keywords, written from the theme names and definitions of
fixtures/themes.json. Supervisors override them per theme on the suggestions themes page (ThemeKeywords rows).

Keywords match case-insensitively at the start of a word and as prefixes ("sanction" matches "sanctions"), so
write stems and phrases, not inflections.
"""

from __future__ import annotations

import re

DEFAULT_KEYWORDS: dict[str, list[str]] = {
    "multipolarity": [
        "multipolar",
        "unipolar",
        "multipolarity",
        "centres of power",
        "centers of power",
        "balance of power",
        "world order",
        "hegemonic order",
    ],
    "wwii-memory": [
        "world war ii",
        "world war two",
        "second world war",
        "wwii",
        "anti-fascist",
        "fascis",
        "nazi",
        "great patriotic war",
        "victory day",
        "historical perspective",
        "war of resistance",
        "veteran",
    ],
    "un-centred-international-order": [
        "united nations",
        "un charter",
        "security council",
        "u.n.",
        "un-centered",
        "un-centred",
        "international law",
        "international order",
    ],
    "unilateralism-and-bullying": [
        "unilateralism",
        "bullying",
        "hegemon",
        "power politics",
        "bloc confrontation",
        "cold war mentality",
        "interfere",
        "long-arm",
        "double standard",
    ],
    "sanctions-and-tariffs": [
        "sanction",
        "tariff",
        "trade war",
        "export control",
        "economic coercion",
        "levies",
        "duties",
        "entity list",
    ],
    "taiwan-one-china": ["taiwan", "one-china", "one china", "reunification", "taipei", "separatis"],
    "strategic-partnership-and-mutual-trust": [
        "strategic partnership",
        "mutual trust",
        "strategic coordination",
        "friendship",
        "bilateral ties",
        "bilateral relations",
        "good-neighbo",
        "dear friend",
        "joint statement",
    ],
    "economic-and-energy-cooperation": [
        "trade",
        "investment",
        "energy",
        "oil",
        "gas",
        "pipeline",
        "infrastructure",
        "connectivity",
        "belt and road",
        "practical cooperation",
        "agricultur",
    ],
    "multilateral-platforms-brics-sco": [
        "brics",
        "shanghai cooperation organization",
        "sco",
        "g20",
        "group of 20",
        "multilateral platform",
        "g77",
        "eurasian economic union",
    ],
    "ukraine-war": [
        "ukrain",
        "kyiv",
        "ceasefire",
        "peace talks",
        "zelensk",
        "donetsk",
        "frontline",
        "front line",
        "drone",
    ],
    "people-to-people-and-cultural-exchange": [
        "people-to-people",
        "cultural exchange",
        "years of culture",
        "culture",
        "tourism",
        "tourist",
        "student",
        "youth",
        "education",
        "film",
    ],
    "global-governance-reform": [
        "global governance",
        "governance system",
        "reform",
        "developing countries",
        "global south",
        "imf",
        "world trade organization",
        "wto",
    ],
}


def parse_keywords(raw: str) -> list[str]:
    """Keywords typed by a supervisor: one per line or comma separated; lower-cased, without repeats."""
    items = (part.strip().lower() for part in re.split(r"[,\n]", raw or ""))
    return list(dict.fromkeys(item for item in items if item))[:200]
