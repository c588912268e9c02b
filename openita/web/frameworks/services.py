"""Writes about frameworks: store an uploaded correction as a new version, and rescore saved
results on it only when a site admin asks, after a preview of every figure that changes.

Saved results never change silently: an Assessment names its framework by id (``ita-2566``:
the current version) or pinned to one version (``ita-2566@1``). Storing a new version pins, in
the same transaction, every result that named the id to the version it was scored with; a
rescore un-pins them (they then follow the current version), one audit entry per result.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core import signing
from django.db import IntegrityError, transaction

from openita import engine, frameworks
from openita.engine import batch
from openita.engine.rounding import published
from openita.engine.scoring import official
from openita.frameworks import FrameworkError, FrameworkInvalid
from openita.web.audit.models import Action
from openita.web.audit.services import actor_name, record
from openita.web.frameworks.models import FrameworkVersion, Origin
from openita.web.frameworks.registry import PROVIDER
from openita.web.results.models import Assessment

MAX_BYTES = 2 * 1024 * 1024
RESCORE_SALT = "openita.frameworks.rescore"
RESCORE_MAX_AGE = 60 * 60


class UploadRefused(Exception):
    """The file is not a framework that can be stored; ``problems`` lists every reason."""

    def __init__(self, problems: list[FrameworkError]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _as_printed(
    framework: frameworks.Framework, scores: dict[str, float], fiscal_year: int
) -> engine.Result:
    """A result as its pages and documents print it: published figures given beside their
    parts stand (official figures win); a rescore changes only what the engine computes."""
    return official(engine.score(framework, scores, fiscal_year=fiscal_year))


class StaleRescore(Exception):
    """The preview no longer describes what would be applied (a new version, a changed result)."""


@dataclass(frozen=True)
class Uploaded:
    version: FrameworkVersion
    created: bool  # False: this very file was stored already (a second submit)
    pinned: int  # results kept on the version they were scored with


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_version(framework_id: str) -> frameworks.Framework | None:
    """The built-in (or local) file of an id, when there is one and it validates."""
    where = frameworks.available().get(framework_id)
    if not isinstance(where, Path):
        return None
    try:
        return frameworks.get(str(where))
    except (FrameworkInvalid, frameworks.FrameworkNotFound):
        return None


def current_version(framework_id: str) -> int | None:
    """The version an unpinned ``framework_id`` resolves to, read from the database now (not
    the cached index): the highest of the stored versions and the file's."""
    stored = (
        FrameworkVersion.objects.filter(framework_id=framework_id)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    on_file = file_version(framework_id)
    versions = [v for v in (stored, on_file.version if on_file else None) if v is not None]
    return max(versions) if versions else None


def pinned_ref(framework_id: str, version: int) -> str:
    return f"{framework_id}@{version}"


def _validated(content: bytes, filename: str) -> tuple[str, frameworks.Framework]:
    shown = Path(filename or "framework.yaml").name or "framework.yaml"
    if not shown.lower().endswith((".yaml", ".yml")):
        raise UploadRefused([FrameworkError(shown, 0, "the file must be a .yaml or .yml file")])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = f"not UTF-8 text (byte {exc.start}); save it as UTF-8"
        raise UploadRefused([FrameworkError(shown, 0, message)]) from None
    try:
        return text, frameworks.parse(text, shown)
    except FrameworkInvalid as exc:
        raise UploadRefused(exc.errors) from None


def framework_upload(*, content: bytes, filename: str, note: str, user: User | None) -> Uploaded:
    """Validate a framework file and store it as a new version of its id; raise UploadRefused
    listing every problem (nothing stored). The version must be greater than the current one
    (gaps allowed). The same file again (a double submit) stores nothing."""
    text, framework = _validated(content, filename)
    shown = Path(filename or "framework.yaml").name
    digest = _digest(text)
    with transaction.atomic():
        same = FrameworkVersion.objects.filter(
            framework_id=framework.id, version=framework.version
        ).first()
        if same is not None and same.sha256 == digest:
            return Uploaded(same, created=False, pinned=0)
        current = current_version(framework.id)
        if same is not None or (current is not None and framework.version <= current):
            cur = current or framework.version
            message = (
                f"version {framework.version} of {framework.id} must be greater than {cur}, "
                f"its current version (write version: {cur + 1})"
            )
            raise UploadRefused([FrameworkError(shown, _version_line(text), message)])
        on_file = file_version(framework.id)
        if on_file is not None and on_file.version == current:
            _keep_builtin(framework.id, on_file)
        try:
            with transaction.atomic():
                stored = FrameworkVersion.objects.create(
                    framework_id=framework.id,
                    version=framework.version,
                    origin=Origin.UPLOAD,
                    text=text,
                    sha256=digest,
                    source_name=shown[:255],
                    note=note[:300],
                    uploaded_by=user,
                )
        except IntegrityError:
            other = FrameworkVersion.objects.filter(
                framework_id=framework.id, version=framework.version
            ).first()
            who = actor_name(other.uploaded_by) if other is not None else "-"
            message = (
                f"version {framework.version} of {framework.id} was stored meanwhile by {who}; "
                "upload again with a higher version"
            )
            raise UploadRefused([FrameworkError(shown, _version_line(text), message)]) from None
        pinned = plans_pinned = 0
        if current is not None:
            pinned = Assessment.objects.filter(framework_id=framework.id).update(
                framework_id=pinned_ref(framework.id, current)
            )
            previous = _stored_or_file(framework.id, current, on_file)
            plans_pinned = _pin_plan_versions(framework.id, current, set(previous.fiscal_years))
        record(
            actor=user,
            agency=None,
            action=Action.CREATE,
            obj=stored,
            summary=(
                f"หลักเกณฑ์ {framework.id} รุ่น {framework.version} ({shown})"
                + (f": {note}" if note else "")
            ),
            after={
                "framework": framework.id,
                "version": framework.version,
                "previous_version": current,
                "sha256": digest,
                "results_kept_on_previous_version": pinned,
                "plan_versions_kept_on_previous_version": plans_pinned,
            },
        )
        transaction.on_commit(PROVIDER.forget)
    return Uploaded(stored, created=True, pinned=pinned)


def _stored_or_file(
    framework_id: str, version: int, on_file: frameworks.Framework | None
) -> frameworks.Framework:
    """One version read from the database now (not through the cached index), else the file."""
    text = (
        FrameworkVersion.objects.filter(framework_id=framework_id, version=version)
        .values_list("text", flat=True)
        .first()
    )
    if text is not None:
        return frameworks.parse(text, pinned_ref(framework_id, version))
    if on_file is not None and on_file.version == version:
        return on_file
    raise frameworks.FrameworkNotFound(f"version {version} of '{framework_id}' is not on file")


def _pin_years(content: dict[str, Any], framework_id: str, ref: str, years: set[int]) -> bool:
    """Pin the results a plan document carries to ``ref`` where they name ``framework_id``, or
    name nothing and fall in its fiscal years (they resolved to it by year)."""
    results = content.get("results")
    if not isinstance(results, dict):
        return False
    default = results.get("framework")
    changed = False
    if default == framework_id:
        results["framework"] = default = ref
        changed = True
    for year in [results.get("current"), *(results.get("history") or [])]:
        if not isinstance(year, dict):
            continue
        named = year.get("framework") or default
        if named == framework_id or (named is None and year.get("fiscal_year") in years):
            year["framework"] = ref
            changed = True
    return changed


def _pin_plan_versions(framework_id: str, version: int, years: set[int]) -> int:
    """Plan versions keep the figures they were written with: the results they carry are pinned
    like saved results (their text is otherwise unchanged). One pass over the versions."""
    from openita.web.plans.models import PlanVersion  # plans build on results, not on us

    ref = pinned_ref(framework_id, version)
    count = 0
    for pk, content in PlanVersion.objects.values_list("pk", "content").iterator(chunk_size=200):
        if isinstance(content, dict) and _pin_years(content, framework_id, ref, years):
            PlanVersion.objects.filter(pk=pk).update(content=content)
            count += 1
    return count


def _version_line(text: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("version:"):
            return number
    return 0


def _keep_builtin(framework_id: str, on_file: frameworks.Framework) -> None:
    """Store the file's version as it is now, so results pinned to it keep their figures even
    when a software update changes the file."""
    where = frameworks.available().get(framework_id)
    if not isinstance(where, Path):
        return
    text = where.read_text(encoding="utf-8-sig")
    FrameworkVersion.objects.get_or_create(
        framework_id=framework_id,
        version=on_file.version,
        defaults={
            "origin": Origin.BUILTIN,
            "text": text,
            "sha256": _digest(text),
            "source_name": where.name,
        },
    )


# --- rescoring: preview every figure that changes, then apply in one transaction ------------


@dataclass(frozen=True)
class FigureChange:
    code: str
    name: str
    before: str
    after: str


@dataclass(frozen=True)
class RescoreRow:
    assessment: Assessment
    from_ref: str
    changes: tuple[FigureChange, ...]
    problems: tuple[str, ...] = ()  # it cannot be scored on the new version: left as it is


@dataclass(frozen=True)
class RescorePreview:
    framework_id: str
    version: int | None
    rows: tuple[RescoreRow, ...]
    token: str

    @property
    def applicable(self) -> list[RescoreRow]:
        return [r for r in self.rows if not r.problems]

    @property
    def changed(self) -> list[RescoreRow]:
        return [r for r in self.rows if r.changes and not r.problems]

    @property
    def unchanged(self) -> list[RescoreRow]:
        return [r for r in self.rows if not r.changes and not r.problems]

    @property
    def refused(self) -> list[RescoreRow]:
        return [r for r in self.rows if r.problems]


def _scores_hash(scores: dict[str, Any]) -> str:
    """Of the scores as stored (the preview and the apply must hash the same thing)."""
    return hashlib.sha256(json.dumps(scores, sort_keys=True).encode()).hexdigest()


def _figures(result: engine.Result) -> dict[str, str]:
    """The figures a page shows, as shown (two decimals), keyed by code."""
    shown = {"total": f"{published(result.total):.2f}", "band": result.band.code}
    shown["qualitative"] = result.qualitative.label.th if result.qualitative else "-"
    for code, value in [*result.tools.items(), *result.indicators.items()]:
        shown[code] = f"{published(value):.2f}" if value is not None else "-"
    return shown


def _figures_of_batch(framework: frameworks.Framework, found: batch.Figures) -> dict[str, str]:
    """``_figures`` of a row scored by the batch scorer (the same figures, to the cent)."""
    shown = {"total": f"{found.total:.2f}", "band": found.band}
    rating = framework.qualitative_rating
    level = next((q for q in rating.levels if q.code == found.level), None) if rating else None
    shown["qualitative"] = level.label.th if level is not None else "-"
    for code in [*(t.code for t in framework.tools), *(i.code for i in framework.indicators)]:
        value = found.figures.get(code)
        shown[code] = f"{value:.2f}" if value is not None else "-"
    return shown


def _figures_many(
    framework: frameworks.Framework, rows: list[tuple[dict[str, float], int]]
) -> list[dict[str, str] | engine.ScoringError]:
    """``_figures`` of many (scores, fiscal year) rows on one framework, scored in batches per
    year; a row the engine refuses gets its ScoringError (with the problems to show)."""
    out: list[dict[str, str] | engine.ScoringError] = [{} for _ in rows]
    by_year: dict[int, list[int]] = {}
    for n, (_scores, year) in enumerate(rows):
        by_year.setdefault(year, []).append(n)
    for year, ns in by_year.items():
        scored = batch.score_many(framework, [rows[n][0] for n in ns], fiscal_year=year)
        for n, found in zip(ns, scored, strict=True):
            if found is not None:
                out[n] = _figures_of_batch(framework, found)
                continue
            try:
                out[n] = _figures(_as_printed(framework, rows[n][0], year))
            except engine.ScoringError as exc:
                out[n] = exc
    return out


def _name(framework: frameworks.Framework, code: str) -> str:
    if code == "band":
        return "ระดับผล"
    if code == "qualitative":
        return "ระดับผลเชิงคุณภาพ"
    return framework.name_of(code)


def _pinned_results(framework_id: str, version: int) -> list[Assessment]:
    """Results of the id pinned to another version than ``version`` (oldest year first)."""
    return [
        a
        for a in Assessment.objects.select_related("agency")
        .filter(framework_id__startswith=f"{framework_id}@")
        .order_by("agency__name", "fiscal_year")
        if a.framework_id != pinned_ref(framework_id, version)
        and a.framework_id.partition("@")[0] == framework_id
    ]


def rescore_preview(*, framework_id: str) -> RescorePreview:
    """Every result kept on an earlier version of the framework, with each figure that would
    change if it were scored on the current version (total, band, rating, tools, indicators)."""
    version = current_version(framework_id)
    if version is None:
        raise frameworks.FrameworkNotFound(f"unknown framework '{framework_id}'")
    new_fw = _stored_or_file(framework_id, version, file_version(framework_id))
    rows, offered = [], []
    pinned = _pinned_results(framework_id, version)
    given = [({str(k): float(v) for k, v in a.scores.items()}, int(a.fiscal_year)) for a in pinned]
    # Both sides scored in batches (the engine's figures to the cent): the new version for
    # every row, each old version for its rows.
    new_all = _figures_many(new_fw, given)
    old_all: list[dict[str, str] | Exception] = [{} for _ in pinned]
    old_fws: dict[int, frameworks.Framework] = {}
    by_ref: dict[str, list[int]] = {}
    for n, a in enumerate(pinned):
        by_ref.setdefault(a.framework_id, []).append(n)
    for ref, ns in by_ref.items():
        try:
            old_fw = frameworks.get(ref)
        except (frameworks.FrameworkNotFound, FrameworkInvalid) as exc:
            for n in ns:
                old_all[n] = exc
            continue
        for n, figs in zip(ns, _figures_many(old_fw, [given[n] for n in ns]), strict=True):
            old_all[n] = figs
            old_fws[n] = old_fw
    for n, assessment in enumerate(pinned):
        found_old = old_all[n]
        if isinstance(found_old, Exception):
            old_fw, old = new_fw, {}
            problem: tuple[str, ...] = (str(found_old),)
        else:
            old_fw, old = old_fws[n], found_old
            problem = ()
        found_new = new_all[n]
        if isinstance(found_new, engine.ScoringError):
            rows.append(
                RescoreRow(
                    assessment,
                    assessment.framework_id,
                    (),
                    tuple(p.message for p in found_new.problems),
                )
            )
            continue
        new = found_new
        if problem:
            rows.append(RescoreRow(assessment, assessment.framework_id, (), problem))
            continue
        changes = tuple(
            FigureChange(
                code,
                _name(new_fw if code in new else old_fw, code),
                old.get(code, "-"),
                new.get(code, "-"),
            )
            for code in [*old, *(c for c in new if c not in old)]
            if old.get(code) != new.get(code)
        )
        rows.append(RescoreRow(assessment, assessment.framework_id, changes))
        offered.append([assessment.pk, assessment.framework_id, _scores_hash(assessment.scores)])
    digest = (
        FrameworkVersion.objects.filter(framework_id=framework_id, version=version)
        .values_list("sha256", flat=True)
        .first()
        or ""
    )
    payload = {"framework_id": framework_id, "version": version, "sha256": digest, "rows": offered}
    token = signing.dumps(payload, salt=RESCORE_SALT, compress=True) if offered else ""
    return RescorePreview(framework_id, version, tuple(rows), token)


@dataclass(frozen=True)
class Rescored:
    applied: int  # results moved to the current version
    already: bool  # the same preview was applied before (a second submit)


def rescore_apply(*, framework_id: str, token: str, user: User | None) -> Rescored:
    """Apply a rescore preview: every result it offered moves to the current version, in one
    transaction with one audit entry per result; nothing changes when the preview is stale."""
    try:
        payload = signing.loads(token, salt=RESCORE_SALT, max_age=RESCORE_MAX_AGE)
        offered = [(int(pk), str(ref), str(h)) for pk, ref, h in payload["rows"]]
        version = int(payload["version"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise StaleRescore("the preview is no longer valid; open the rescore page again") from exc
    if payload.get("framework_id") != framework_id:
        raise StaleRescore("the preview is of another framework")
    with transaction.atomic():
        digest = (
            FrameworkVersion.objects.filter(framework_id=framework_id, version=version)
            .values_list("sha256", flat=True)
            .first()
            or ""
        )
        if current_version(framework_id) != version or digest != payload.get("sha256", ""):
            raise StaleRescore("a newer version was stored after the preview")
        found = {
            a.pk: a
            for a in Assessment.objects.select_for_update()
            .select_related("agency")
            .filter(pk__in=[pk for pk, _, _ in offered])
        }
        done = [
            pk
            for pk, _, h in offered
            if pk in found
            and found[pk].framework_id == framework_id
            and _scores_hash(found[pk].scores) == h
        ]
        if len(done) == len(offered):
            return Rescored(0, already=True)
        for pk, ref, h in offered:
            a = found.get(pk)
            if a is None or a.framework_id != ref or _scores_hash(a.scores) != h:
                raise StaleRescore("a result changed after the preview")
        new_fw = _stored_or_file(framework_id, version, file_version(framework_id))
        for pk, ref, _ in offered:
            assessment = found[pk]
            scores = {str(k): float(v) for k, v in assessment.scores.items()}
            old = _figures(_as_printed(frameworks.get(ref), scores, assessment.fiscal_year))
            new = _figures(_as_printed(new_fw, scores, assessment.fiscal_year))
            codes = [
                c for c in [*old, *(c for c in new if c not in old)] if old.get(c) != new.get(c)
            ]
            assessment.framework_id = framework_id
            assessment.save(update_fields=["framework_id", "updated"])
            record(
                actor=user,
                agency=assessment.agency,
                action=Action.CHANGE,
                obj=assessment,
                summary=(
                    f"คำนวณผลปีงบประมาณ {assessment.fiscal_year} ใหม่ตามหลักเกณฑ์ {framework_id} "
                    f"รุ่น {version} (เดิม {ref})"
                ),
                before={"framework": ref, **{c: old.get(c) for c in codes}},
                after={
                    "framework": pinned_ref(framework_id, version),
                    **{c: new.get(c) for c in codes},
                },
            )
    return Rescored(len(offered), already=False)
