"""Thailand's provinces and regions, as data (``provinces.yaml``), for views across agencies,
bulk imports and the synthetic country.

Names are matched the way people write them: with or without the จังหวัด / จ. prefix,
กรุงเทพฯ for กรุงเทพมหานคร, the English name in any case, Thai text normalised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from openita.text.normalise import compact

DATA = Path(__file__).with_name("provinces.yaml")


@dataclass(frozen=True)
class Region:
    code: str
    th: str
    en: str


@dataclass(frozen=True)
class Province:
    th: str  # the official Thai name, as stored on agencies
    en: str
    region: Region


class UnknownProvince(LookupError):
    """A province name that matches none of the 77."""


@dataclass(frozen=True)
class _Data:
    regions: dict[str, Region]
    provinces: tuple[Province, ...]
    by_key: dict[str, Province]


_PREFIX = re.compile(r"^(?:จังหวัด|จ\.)\s*")
_ALIASES = {"กรุงเทพฯ": "กรุงเทพมหานคร", "กทม.": "กรุงเทพมหานคร", "กทม": "กรุงเทพมหานคร"}


def _key(name: str) -> str:
    text = _PREFIX.sub("", name.strip())
    text = _ALIASES.get(text, text)
    return compact(text)


@cache
def _data() -> _Data:
    raw = yaml.load(
        DATA.read_text(encoding="utf-8"),
        Loader=getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader,
    )
    regions = {code: Region(code, r["th"], r["en"]) for code, r in raw["regions"].items()}
    provinces = tuple(Province(p["th"], p["en"], regions[p["region"]]) for p in raw["provinces"])
    by_key: dict[str, Province] = {}
    for p in provinces:
        by_key[_key(p.th)] = p
        by_key[_key(p.en)] = p
    return _Data(regions, provinces, by_key)


def provinces() -> tuple[Province, ...]:
    return _data().provinces


def regions() -> tuple[Region, ...]:
    return tuple(_data().regions.values())


def region(code: str) -> Region:
    try:
        return _data().regions[code]
    except KeyError:
        known = ", ".join(_data().regions)
        raise UnknownProvince(f"unknown region {code!r}; known: {known}") from None


def find(name: str) -> Province | None:
    """The province a name stands for, or None."""
    return _data().by_key.get(_key(name))


def province(name: str) -> Province:
    """The province a name stands for; UnknownProvince names it otherwise."""
    found = find(name)
    if found is None:
        raise UnknownProvince(f"unknown province {name!r}")
    return found


def in_region(code: str) -> list[str]:
    """The Thai names of the provinces of a region (as stored on agencies)."""
    wanted = region(code)
    return [p.th for p in provinces() if p.region == wanted]


def region_of(name: str) -> Region | None:
    found = find(name)
    return found.region if found is not None else None
