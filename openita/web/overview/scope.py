"""What a view across agencies covers (a ``Scope``) and who may see it (``scope_for``).

Who sees what (docs/decisions/0022):

* a national viewer (and a site admin) every scope, with agencies' names;
* a provincial viewer its provinces with names; the country, the regions and other provinces
  as anonymous aggregates;
* an agency's member its own agency (on the agency pages), and as anonymous aggregates the
  country, the regions, its agency's province and district.

An aggregate the viewer may not see by names is *withheld* (counts only, no figures) when fewer
than ``MIN_GROUP`` agencies have results in it: a district of three agencies would otherwise
give away each one's figures.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from openita import geography
from openita.web.agencies.models import Agency, AgencyKind, Membership, ProvincialViewer
from openita.web.agencies.selectors import AnyUser, is_national

MIN_GROUP = 5
TARGETS = Path(__file__).with_name("targets.yaml")


class ScopeInvalid(ValueError):
    """A requested scope names an unknown year, region, province, district or type."""


@dataclass(frozen=True)
class Scope:
    fiscal_year: int
    region: str | None = None  # region code (geography), e.g. "north"
    province: str | None = None  # Thai name as stored on agencies
    district: str | None = None
    kind: str | None = None  # AgencyKind value

    @property
    def level(self) -> str:
        """country, region, province or district: what the view drills down from."""
        if self.district:
            return "district"
        if self.province:
            return "province"
        return "region" if self.region else "country"

    def agency_filter(self, prefix: str = "") -> Q:
        """The agencies of the scope, as a filter on Agency (``prefix`` "agency__" from a
        model that points at one)."""
        q = Q()
        if self.region:
            q &= Q(**{f"{prefix}province__in": geography.in_region(self.region)})
        if self.province:
            q &= Q(**{f"{prefix}province": self.province})
        if self.district:
            q &= Q(**{f"{prefix}district": self.district})
        if self.kind:
            q &= Q(**{f"{prefix}kind": self.kind})
        return q

    def params(self) -> dict[str, str]:
        """The query string that asks for this scope."""
        found = {"year": str(self.fiscal_year)}
        for name in ("region", "province", "district", "kind"):
            value = getattr(self, name)
            if value:
                found[name] = value
        return found


@cache
def targets() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(TARGETS.read_text(encoding="utf-8"))
    return data


def resolve(
    *,
    year: int,
    region: str | None = None,
    province: str | None = None,
    district: str | None = None,
    kind: str | None = None,
    years: list[int] | None = None,
) -> Scope:
    """A scope from what a person typed; ScopeInvalid names what is unknown. ``years`` are the
    fiscal years with results (read from the database when not given)."""
    from openita.web.overview.selectors import result_years

    known = result_years() if years is None else years
    if year not in known:
        have = ", ".join(str(y) for y in known) or "none"
        raise ScopeInvalid(f"no results for fiscal year {year} (years with results: {have})")
    if kind and kind not in AgencyKind.values:
        raise ScopeInvalid(f"unknown agency type {kind!r}; known: {', '.join(AgencyKind.values)}")
    if region:
        try:
            geography.region(region)
        except geography.UnknownProvince as exc:
            raise ScopeInvalid(str(exc)) from None
    name = _province_name(province) if province else None
    if name and region and geography.region_of(name) != geography.region(region):
        raise ScopeInvalid(f"province {name!r} is not in region {region!r}")
    if district:
        if not name:
            raise ScopeInvalid("a district needs its province (--province)")
        if not Agency.objects.filter(province=name, district=district).exists():
            raise ScopeInvalid(f"unknown district {district!r} in province {name!r}")
    return Scope(year, region or None, name, district or None, kind or None)


def _province_name(name: str) -> str:
    """The Thai name agencies store: one of the 77 by any usual spelling, or a name agencies
    of this database use as it is (test and demo provinces)."""
    found = geography.find(name)
    if found is not None:
        return found.th
    if Agency.objects.filter(province=name.strip()).exists():
        return name.strip()
    raise ScopeInvalid(f"unknown province {name!r}")


@dataclass(frozen=True)
class Viewer:
    """What a user may see across agencies (three small queries, whatever the country's size)."""

    national: bool
    provinces: frozenset[str]  # provincial viewer of these
    agencies: frozenset[int]  # member of these
    places: frozenset[tuple[str, str]]  # (province, district) of those agencies

    @property
    def any_role(self) -> bool:
        return self.national or bool(self.provinces) or bool(self.agencies)

    def named(self, scope: Scope) -> bool:
        """May see the agencies of the scope by name (and each one's figures)."""
        return self.national or (scope.province is not None and scope.province in self.provinces)

    def sees_province(self, province: str) -> bool:
        return self.national or province in self.provinces


def viewer_of(user: AnyUser) -> Viewer:
    if not user.is_authenticated:
        return Viewer(False, frozenset(), frozenset(), frozenset())
    if is_national(user):
        return Viewer(True, frozenset(), frozenset(), frozenset())
    provinces = ProvincialViewer.objects.filter(user=user).values_list("province", flat=True)
    rows = Membership.objects.filter(user=user).values_list(
        "agency_id", "agency__province", "agency__district"
    )
    found = list(rows)
    return Viewer(
        False,
        frozenset(provinces),
        frozenset(r[0] for r in found),
        frozenset((r[1], r[2]) for r in found),
    )


def allowed(viewer: Viewer, scope: Scope) -> bool:
    if not viewer.any_role:
        return False
    if viewer.national or not scope.province:
        return True  # the country and the regions: anonymous aggregates for every role
    if scope.province in viewer.provinces:
        return True
    own = {p for p, _ in viewer.places}
    if scope.district is None:
        return scope.province in own
    return (scope.province, scope.district) in viewer.places


def scope_for(user: AnyUser, requested: Scope) -> Scope:
    """The scope, if this user may see it; PermissionDenied otherwise."""
    if not allowed(viewer_of(user), requested):
        raise PermissionDenied("this scope is not visible to you")
    return requested


def default_scope(user: AnyUser, year: int) -> Scope:
    """Where a user's overview starts: the country for a national viewer, its (first)
    province for a provincial viewer, the country's aggregates for an agency's member."""
    viewer = viewer_of(user)
    if not viewer.national and viewer.provinces:
        return Scope(year, province=sorted(viewer.provinces)[0])
    return Scope(year)


def parent_of(scope: Scope) -> Scope | None:
    """One level up (drill back out), keeping the year and the type filter."""
    if scope.district:
        return replace(scope, district=None)
    if scope.province:
        found = geography.region_of(scope.province)
        return replace(scope, province=None, region=found.code if found else None)
    if scope.region:
        return replace(scope, region=None)
    return None
