"""Benchmark: how fast OpenITA makes its documents, against LibreOffice headless in the same run.

Run it through ``bash bench/run.sh`` (set-up, LibreOffice, one core). It measures, for the seed
003 agency (เทศบาลตำบลบ้านส้อง): every kind as PDF with the native renderer (the default) and,
for comparison, with warm Chromium (``OPENITA_PDF_ENGINE=chromium``), and as DOCX; the cold CLI
route; the full analysis + plan PDF in one warm process; a batch of varied plans; and the
baseline: the same DOCX converted to PDF by ``soffice --headless --convert-to pdf``. It prints
a table, the LibreOffice / OpenITA ratios and whether the targets are met, and writes
``bench/results/documents-<date>.json`` and ``bench/results/latest.md``.

Every PDF is checked (non-empty, agency name on its first page) outside the timed regions, so
a broken render is never timed as a fast one.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import io
import json
import os
import platform
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openita import __version__, engine
from openita.documents import pdf as pdf_module
from openita.documents.docx import render_docx
from openita.documents.html import render_html
from openita.documents.kinds import analysis as analysis_doc
from openita.documents.kinds import memo as memo_doc
from openita.documents.kinds import plan as plan_doc
from openita.documents.kinds import progress as progress_doc
from openita.documents.model import Document
from openita.documents.pdf import NativePrinter, PdfPrinter
from openita.documents.pdfnative import fonts as native_fonts
from openita.documents.pdfnative import layout as native_layout
from openita.documents.pdfnative import writer as native_writer
from openita.engine import Analysis, Result
from openita.importers import load_result
from openita.measures.catalog import directions_for
from openita.plans import Agency, Plan, load_agency, load_plan
from openita.plans.draft import draft_plan
from openita.plans.results import plan_analysis

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "openita" / "examples"
RESULTS_DIR = ROOT / "bench" / "results"
AGENCY = "เทศบาลตำบลบ้านส้อง"
SCORES = EXAMPLES / "bansong-2565.csv"
HISTORY = [EXAMPLES / "bansong-2563.csv", EXAMPLES / "bansong-2564.csv"]
PLAN_FILE = EXAMPLES / "bansong-plan-2566.yaml"
AGENCY_FILE = EXAMPLES / "bansong-agency.yaml"
LO_PROFILE = Path("/tmp/lo-profile-bench")
LO_BATCH_LIMIT_S = 600.0  # beyond this estimate, the LibreOffice batch runs on a subset
LO_SUBSET = 50
CHROMIUM_BATCH = 20  # Chromium takes ~1.2 s a plan: its batch runs on a subset, scaled
TARGET_WARM_S = 1.0
TARGET_RATIO = 10.0
KINDS = ("analysis", "plan", "progress-6", "memo-6")
ITEM_CODE = re.compile(r"^[ieo]\d+$")


# Timing


@dataclass
class Timing:
    name: str
    runs: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def min(self) -> float:
        return min(self.runs)

    def as_json(self) -> dict[str, Any]:
        return {
            "median_s": round(self.median, 4),
            "min_s": round(self.min, 4),
            "runs_s": [round(r, 4) for r in self.runs],
            "note": self.note,
        }


def measure(name: str, func: Callable[[], object], repeat: int, *, warm: bool = True) -> Timing:
    """Warm-up once (unless ``warm`` is False), then ``repeat`` timed runs."""
    if warm:
        func()
    timing = Timing(name)
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        timing.runs.append(time.perf_counter() - start)
    print(f"  {name:<58} median {timing.median:8.3f} s   min {timing.min:8.3f} s", flush=True)
    return timing


# Checks


def squash(text: str) -> str:
    """Text without whitespace and zero-width characters (pdftotext splits Thai words)."""
    return re.sub(r"[\s\u200b\u200c\u200d\u2060\ufeff]", "", text)


def check_pdf(data: bytes | Path, agency: str, where: str) -> None:
    raw = data.read_bytes() if isinstance(data, Path) else data
    if not raw.startswith(b"%PDF") or len(raw) < 1000:
        raise SystemExit(f"bench: {where}: not a PDF or empty ({len(raw)} bytes)")
    done = subprocess.run(
        ["pdftotext", "-l", "1", "-enc", "UTF-8", "-", "-"],
        input=raw,
        capture_output=True,
        check=True,
    )
    first_page = done.stdout.decode("utf-8", "replace")
    if squash(agency) not in squash(first_page):
        raise SystemExit(f"bench: {where}: the agency name {agency!r} is not on page 1")


# Inputs


@dataclass
class Inputs:
    result: Result
    history: list[Result]
    plan: Plan
    agency: Agency
    directions: dict[str, str]


def load_inputs() -> Inputs:
    result = load_result([SCORES], None)
    history = [load_result([p], None) for p in HISTORY]
    return Inputs(
        result=result,
        history=history,
        plan=load_plan(PLAN_FILE),
        agency=load_agency(AGENCY_FILE),
        directions=directions_for(result.framework),
    )


def build_analysis(inp: Inputs, *, with_charts: bool = True) -> Document:
    analysis: Analysis = engine.analyze(inp.result, inp.history)
    return analysis_doc.build(
        analysis, agency=AGENCY, directions=inp.directions, with_charts=with_charts
    )


def plan_directions(plan: Plan) -> dict[str, str]:
    analysis = plan_analysis(plan)
    return directions_for(analysis.result.framework) if analysis else {}


def build_plan(plan: Plan) -> Document:
    return plan_doc.build(plan, directions=plan_directions(plan))


def builders(inp: Inputs) -> dict[str, Callable[[], Document]]:
    return {
        "analysis": lambda: build_analysis(inp),
        "plan": lambda: build_plan(inp.plan),
        "progress-6": lambda: progress_doc.build(inp.plan, 6),
        "memo-6": lambda: memo_doc.build(inp.plan, 6, base=EXAMPLES),
    }


def batch_plans(inp: Inputs, count: int, seed: int) -> list[Plan]:
    """``count`` varied plans: the seed's item scores moved by a seeded random, fictional names."""
    rng = random.Random(seed)
    given = {c: v for c, v in inp.result.scores.items() if ITEM_CODE.match(c)}
    given = {c: v for c, v in given.items() if c not in inp.result.computed}
    plans = []
    for n in range(1, count + 1):
        scores = {
            code: round(min(100.0, max(0.0, value + rng.uniform(-12.0, 6.0))), 2)
            for code, value in given.items()
        }
        # Some OIT items drop to 0, as they do in real results.
        for code in rng.sample(sorted(c for c in scores if c.startswith("o")), rng.randint(0, 4)):
            scores[code] = 0.0
        result = engine.score(
            inp.result.framework, scores, fiscal_year=inp.result.fiscal_year or 2565
        )
        agency = inp.agency.model_copy(update={"name": f"เทศบาลตำบลตัวอย่าง {n}", "memo_unit": None})
        analysis = engine.analyze(result, inp.history)
        plans.append(draft_plan(analysis, agency=agency, history=inp.history))
    return plans


# LibreOffice


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice(
    binary: str, files: list[Path], outdir: Path, timeout: float | None = None
) -> subprocess.CompletedProcess[bytes]:
    cmd = [
        binary,
        f"-env:UserInstallation=file://{LO_PROFILE}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        *map(str, files),
    ]
    return subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)


def version_of(cmd: list[str]) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "unavailable"
    lines = [x for x in done.stdout.splitlines() if x.strip()]
    return lines[0].strip() if lines else "unavailable"


def machine_info(lo: str | None) -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        chromium = version_of([pdf_module.chromium_path(), "--version"])
    except pdf_module.PdfUnavailable:
        chromium = "unavailable"
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cores_used": sorted(os.sched_getaffinity(0)),
        "cpu_model": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "openita": __version__,
        "chromium": chromium,
        "libreoffice": version_of([lo, "--version"]) if lo else "missing",
    }


# The phases of one warm analysis + plan PDF


def clear_native_caches() -> None:
    """Forget what the native renderer keeps between documents (shaped words, decoded images,
    subset fonts), as in a fresh process after its first document."""
    native_fonts._PIECES.clear()
    native_fonts._RUNS.clear()
    native_layout._LINES.clear()
    native_layout._ROWS.clear()
    native_writer._png_image.cache_clear()
    native_writer._font_file.cache_clear()


def phases(inp: Inputs, printer: PdfPrinter | None, repeat: int) -> dict[str, Any]:
    """Where the warm analysis + plan PDF spends its time."""
    print("\n(e) where the time goes: analysis + plan, warm", flush=True)
    out: dict[str, Timing] = {}
    out["analysis model (charts included)"] = measure(
        "analysis model (charts included)", lambda: build_analysis(inp), repeat
    )
    out["analysis model without charts"] = measure(
        "analysis model without charts", lambda: build_analysis(inp, with_charts=False), repeat
    )
    out["plan model"] = measure("plan model", lambda: build_plan(inp.plan), repeat)
    a_doc, p_doc = build_analysis(inp), build_plan(inp.plan)
    native = NativePrinter()
    out["native PDF, both (warm caches)"] = measure(
        "native PDF, both (warm caches)",
        lambda: (native.render(a_doc), native.render(p_doc)),
        repeat,
    )

    def uncached() -> None:
        clear_native_caches()
        native.render(a_doc)
        native.render(p_doc)

    out["native PDF, both, caches cleared (shaping, chart decoding, subsetting)"] = measure(
        "native PDF, both, caches cleared (shaping, chart decoding, subsetting)",
        uncached,
        repeat,
    )
    out["HTML render, both"] = measure(
        "HTML render, both", lambda: (render_html(a_doc), render_html(p_doc)), repeat
    )
    result: dict[str, Any] = {}
    if printer is not None:
        a_html, p_html = render_html(a_doc), render_html(p_doc)
        out["Chromium print, both"] = measure(
            "Chromium print, both",
            lambda: (printer.print_html(a_html), printer.print_html(p_html)),
            repeat,
        )
        result["chromium_pages"] = {
            "analysis": pdf_pages(printer.print_html(a_html)),
            "plan": pdf_pages(printer.print_html(p_html)),
        }
    result["pages"] = {
        "analysis": pdf_pages(native.render(a_doc)),
        "plan": pdf_pages(native.render(p_doc)),
    }
    result["bytes"] = {
        "analysis": len(native.render(a_doc)),
        "plan": len(native.render(p_doc)),
    }
    result["cprofile_top"] = cprofile_top(
        lambda: (native.render(build_analysis(inp)), native.render(build_plan(inp.plan)))
    )
    result["timings"] = {k: v.as_json() for k, v in out.items()}
    result["_timings"] = out
    return result


def pdf_pages(data: bytes) -> int:
    done = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=False)
    match = re.search(rb"Pages:\s+(\d+)", done.stdout)
    return int(match.group(1)) if match else -1


def cprofile_top(func: Callable[[], object], count: int = 12) -> list[str]:
    profiler = cProfile.Profile()
    profiler.enable()
    func()
    profiler.disable()
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(count)
    lines = [x.rstrip() for x in text.getvalue().splitlines() if re.match(r"\s+\d", x)]
    return lines[:count]


# The run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measurement")
    parser.add_argument("--batch", type=int, default=200, help="plans in the batch")
    parser.add_argument("--batch-repeat", type=int, default=1, help="timed runs of the batch")
    parser.add_argument("--seed", type=int, default=3, help="seed of the batch's scores")
    parser.add_argument("--no-libreoffice", action="store_true", help="skip the baseline")
    parser.add_argument("--no-phases", action="store_true", help="skip the phase breakdown")
    parser.add_argument(
        "--no-chromium", action="store_true", help="skip the Chromium comparison column"
    )
    parser.add_argument(
        "--chromium-batch",
        type=int,
        default=CHROMIUM_BATCH,
        help="plans of the batch printed by Chromium (scaled to the batch; 0 skips)",
    )
    parser.add_argument("--results", type=Path, default=RESULTS_DIR, help="results folder")
    args = parser.parse_args()
    repeat = max(1, args.repeat)

    lo = None if args.no_libreoffice else soffice_path()
    info = machine_info(lo)
    print("OpenITA documents benchmark")
    for key, value in info.items():
        print(f"  {key}: {value}")
    if lo is None:
        print(
            "\n" + "!" * 78 + "\n!! LibreOffice (soffice) is MISSING: the baseline and every ratio "
            "are NOT measured.\n!! Install libreoffice-writer-nogui (bash bench/run.sh as root "
            "does).\n" + "!" * 78,
            flush=True,
        )

    work = Path(tempfile.mkdtemp(prefix="openita-bench-"))
    inp = load_inputs()
    build = builders(inp)
    t: dict[str, Timing] = {}
    extra: dict[str, Any] = {}

    native = NativePrinter()
    with contextlib.ExitStack() as stack:
        printer: PdfPrinter | None = None
        if not args.no_chromium:
            try:
                printer = stack.enter_context(PdfPrinter())
            except pdf_module.PdfUnavailable as exc:
                print(f"\nbench: Chromium unavailable ({exc}): no Chromium column", flush=True)
        # (a) each kind, warm: build the model + PDF (native, then Chromium); build + DOCX
        print(f"\n(a) each kind of the seed 003 agency, warm process ({repeat} runs)", flush=True)
        docx_files: dict[str, Path] = {}
        for kind in KINDS:
            make = build[kind]
            pdf_bytes = native.render(make())
            check_pdf(pdf_bytes, AGENCY, f"OpenITA {kind} PDF")
            (work / f"{kind}.pdf").write_bytes(pdf_bytes)
            docx_files[kind] = work / "docx" / f"{kind}.docx"
            docx_files[kind].parent.mkdir(exist_ok=True)
            docx_files[kind].write_bytes(render_docx(make()))
            t[f"pdf {kind}"] = measure(
                f"OpenITA {kind}: model + PDF (native)",
                lambda make=make: native.render(make()),  # type: ignore[misc]
                repeat,
            )
            if printer is not None:
                check_pdf(printer.render(make()), AGENCY, f"Chromium {kind} PDF")
                t[f"chromium {kind}"] = measure(
                    f"OpenITA {kind}: model + PDF (warm Chromium)",
                    lambda make=make: printer.render(make()),  # type: ignore[misc]
                    repeat,
                )
            t[f"docx {kind}"] = measure(
                f"OpenITA {kind}: model + DOCX",
                lambda make=make: render_docx(make()),  # type: ignore[misc]
                repeat,
            )

        # (b) the full analysis + plan PDF in one warm process
        print("\n(b) analysis + plan PDF, one warm process", flush=True)

        def both_warm() -> tuple[bytes, bytes]:
            return native.render(build["analysis"]()), native.render(build["plan"]())

        a_pdf, p_pdf = both_warm()
        check_pdf(a_pdf, AGENCY, "analysis (b)")
        check_pdf(p_pdf, AGENCY, "plan (b)")
        t["analysis+plan warm"] = measure(
            "OpenITA analysis + plan: models + PDFs (native)", both_warm, repeat
        )
        if printer is not None:
            t["chromium analysis+plan warm"] = measure(
                "OpenITA analysis + plan: models + PDFs (warm Chromium)",
                lambda: (
                    printer.render(build["analysis"]()),
                    printer.render(build["plan"]()),
                ),
                repeat,
            )

        # (c) the batch: varied plans
        print(f"\n(c) batch of {args.batch} plans", flush=True)
        start = time.perf_counter()
        plans = batch_plans(inp, args.batch, args.seed)
        extra["batch_generation_s"] = round(time.perf_counter() - start, 3)
        extra["batch_measures"] = {
            "min": min(len(p.measures) for p in plans),
            "max": max(len(p.measures) for p in plans),
        }
        print(
            f"  generated {len(plans)} plans in {extra['batch_generation_s']} s (not timed), "
            f"{extra['batch_measures']['min']}-{extra['batch_measures']['max']} measures each"
        )
        batch_pdf = work / "batch-pdf"
        batch_docx = work / "batch-docx"
        batch_chromium = work / "batch-chromium"
        for folder in (batch_pdf, batch_docx, batch_chromium):
            folder.mkdir()

        def batch_to_pdf() -> None:
            for n, plan in enumerate(plans, start=1):
                (batch_pdf / f"plan-{n:03}.pdf").write_bytes(native.render(build_plan(plan)))

        def batch_to_docx() -> None:
            for n, plan in enumerate(plans, start=1):
                (batch_docx / f"plan-{n:03}.docx").write_bytes(render_docx(build_plan(plan)))

        # The batch warms itself: its first document is the warm-up of (a) already.
        t["batch pdf"] = measure(
            f"OpenITA {len(plans)} plans: models + PDFs (native)",
            batch_to_pdf,
            args.batch_repeat,
            warm=False,
        )
        t["batch docx"] = measure(
            f"OpenITA {len(plans)} plans: models + DOCX",
            batch_to_docx,
            args.batch_repeat,
            warm=False,
        )
        for n, plan in enumerate(plans, start=1):
            check_pdf(batch_pdf / f"plan-{n:03}.pdf", plan.agency.name, f"batch plan {n}")
        chromium_count = min(max(0, args.chromium_batch), len(plans))
        if printer is not None and chromium_count:
            some = plans[:chromium_count]

            def batch_to_chromium() -> None:
                for n, plan in enumerate(some, start=1):
                    data = printer.render(build_plan(plan))
                    (batch_chromium / f"plan-{n:03}.pdf").write_bytes(data)

            t["chromium batch"] = measure(
                f"OpenITA {chromium_count} plans: models + PDFs (one Chromium)",
                batch_to_chromium,
                args.batch_repeat,
                warm=False,
            )
            if chromium_count < len(plans):
                scale = len(plans) / chromium_count
                t["chromium batch"].runs = [r * scale for r in t["chromium batch"].runs]
                t["chromium batch"].note = f"subset of {chromium_count}, scaled to {len(plans)}"
            for n, plan in enumerate(some, start=1):
                check_pdf(batch_chromium / f"plan-{n:03}.pdf", plan.agency.name, f"Chromium {n}")

        if not args.no_phases:
            extra["phases"] = phases(inp, printer, repeat)

    # (a) the cold CLI route: two commands, each starting Python (native renderer)
    print(f"\n(a) cold CLI route: two 'openita report' commands ({repeat} runs)", flush=True)
    openita_cli = str(Path(sys.executable).parent / "openita")
    cli_a, cli_p = work / "cli-analysis.pdf", work / "cli-plan.pdf"
    analysis_cmd = [
        openita_cli,
        "report",
        "analysis",
        str(SCORES),
        *[x for h in HISTORY for x in ("-H", str(h))],
        "--agency",
        AGENCY,
        "-o",
        str(cli_a),
    ]
    plan_cmd = [openita_cli, "report", "plan", str(PLAN_FILE), "-o", str(cli_p)]

    def cold_cli() -> None:
        subprocess.run(analysis_cmd, check=True, capture_output=True)
        subprocess.run(plan_cmd, check=True, capture_output=True)

    t["analysis+plan cold cli"] = measure(
        "openita report analysis + report plan (cold, 2 processes)", cold_cli, repeat
    )
    t["plan cold cli"] = measure(
        "openita report plan (cold, 1 process)",
        lambda: subprocess.run(plan_cmd, check=True, capture_output=True),
        repeat,
    )
    check_pdf(cli_a, AGENCY, "CLI analysis PDF")
    check_pdf(cli_p, AGENCY, "CLI plan PDF")

    # (d) the baseline: LibreOffice converts the same DOCX
    lo_batch_count = 0
    if lo is not None:
        print(f"\n(d) baseline: soffice --headless --convert-to pdf ({repeat} runs)", flush=True)
        shutil.rmtree(LO_PROFILE, ignore_errors=True)
        lo_out = work / "lo"
        lo_out.mkdir()
        start = time.perf_counter()
        soffice(lo, [docx_files["memo-6"]], lo_out)  # creates and warms the fresh profile
        extra["libreoffice_profile_creation_s"] = round(time.perf_counter() - start, 3)
        print(f"  fresh profile created and warmed in {extra['libreoffice_profile_creation_s']} s")
        for kind in KINDS:
            t[f"lo {kind}"] = measure(
                f"LibreOffice {kind}: DOCX -> PDF (1 soffice process)",
                lambda kind=kind: soffice(lo, [docx_files[kind]], lo_out),  # type: ignore[misc]
                repeat,
            )
            check_pdf(lo_out / f"{kind}.pdf", AGENCY, f"LibreOffice {kind} PDF")
        t["lo analysis+plan"] = measure(
            "LibreOffice analysis + plan: 2 soffice processes",
            lambda: [soffice(lo, [docx_files[k]], lo_out) for k in ("analysis", "plan")],
            repeat,
        )
        # The batch: one soffice converting every DOCX at once (its fastest route).
        files = sorted(batch_docx.glob("*.docx"))
        estimate = t["lo plan"].median * len(files)
        lo_batch_count = len(files)
        note = ""
        if estimate > LO_BATCH_LIMIT_S:
            lo_batch_count = min(LO_SUBSET, len(files))
            note = (
                f"subset of {lo_batch_count} (estimate for {len(files)}: {estimate:.0f} s > "
                f"{LO_BATCH_LIMIT_S:.0f} s), scaled to {len(files)}"
            )
        lo_batch_out = work / "lo-batch"
        lo_batch_out.mkdir()
        subset = files[:lo_batch_count]
        try:
            t["lo batch"] = measure(
                f"LibreOffice {lo_batch_count} plans: 1 soffice process",
                lambda: soffice(lo, subset, lo_batch_out, timeout=2 * LO_BATCH_LIMIT_S),
                args.batch_repeat,
                warm=False,
            )
        except subprocess.TimeoutExpired:
            lo_batch_count = min(LO_SUBSET, len(files))
            subset = files[:lo_batch_count]
            note = f"the full batch timed out; subset of {lo_batch_count}, scaled to {len(files)}"
            t["lo batch"] = measure(
                f"LibreOffice {lo_batch_count} plans: 1 soffice process",
                lambda: soffice(lo, subset, lo_batch_out),
                args.batch_repeat,
                warm=False,
            )
        if lo_batch_count < len(files):
            scale = len(files) / lo_batch_count
            t["lo batch"].runs = [r * scale for r in t["lo batch"].runs]
        t["lo batch"].note = note
        if note:
            print(f"  NOTE: {note}")
        for n, path in enumerate(subset, start=1):
            check_pdf(
                lo_batch_out / path.with_suffix(".pdf").name, plans[n - 1].agency.name, f"LO {n}"
            )

    shutil.rmtree(work, ignore_errors=True)
    report(args, info, t, extra, lo is not None, len(plans), lo_batch_count)


# Results


def ratio(t: dict[str, Timing], lo_key: str, ours_key: str) -> float | None:
    if lo_key not in t or ours_key not in t:
        return None
    return t[lo_key].median / t[ours_key].median


def fmt_s(value: float) -> str:
    return f"{value:.3f}"


def fmt_ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def report(
    args: argparse.Namespace,
    info: dict[str, Any],
    t: dict[str, Timing],
    extra: dict[str, Any],
    have_lo: bool,
    batch: int,
    lo_batch_count: int,
) -> None:
    def cell(key: str, scale: float = 1.0, missing: str = "missing") -> str:
        return fmt_s(t[key].median / scale) if key in t else missing

    rows: list[tuple[str, ...]] = []
    for kind in KINDS:
        rows.append(
            (
                kind,
                cell(f"pdf {kind}"),
                cell(f"chromium {kind}", missing="-"),
                cell(f"docx {kind}"),
                cell(f"lo {kind}") if have_lo else "missing",
                fmt_ratio(ratio(t, f"lo {kind}", f"pdf {kind}")),
                fmt_ratio(ratio(t, f"chromium {kind}", f"pdf {kind}")),
            )
        )
    rows.append(
        (
            "analysis + plan (warm)",
            cell("analysis+plan warm"),
            cell("chromium analysis+plan warm", missing="-"),
            "",
            cell("lo analysis+plan") if have_lo else "missing",
            fmt_ratio(ratio(t, "lo analysis+plan", "analysis+plan warm")),
            fmt_ratio(ratio(t, "chromium analysis+plan warm", "analysis+plan warm")),
        )
    )
    rows.append(
        (
            "analysis + plan (cold CLI, 2 commands)",
            cell("analysis+plan cold cli"),
            "",
            "",
            cell("lo analysis+plan") if have_lo else "missing",
            fmt_ratio(ratio(t, "lo analysis+plan", "analysis+plan cold cli")),
            "",
        )
    )
    rows.append(
        (
            "plan (cold CLI, 1 command)",
            cell("plan cold cli"),
            "",
            "",
            cell("lo plan") if have_lo else "missing",
            fmt_ratio(ratio(t, "lo plan", "plan cold cli")),
            "",
        )
    )
    lo_batch = t.get("lo batch")
    chromium_batch = t.get("chromium batch")
    rows.append(
        (
            f"batch of {batch} plans, total",
            cell("batch pdf"),
            cell("chromium batch", missing="-")
            + (" (scaled)" if chromium_batch and chromium_batch.note else ""),
            cell("batch docx"),
            cell("lo batch") + (" (scaled)" if lo_batch_count < batch else "")
            if lo_batch
            else "missing",
            fmt_ratio(ratio(t, "lo batch", "batch pdf")),
            fmt_ratio(ratio(t, "chromium batch", "batch pdf")),
        )
    )
    rows.append(
        (
            "batch, per plan",
            cell("batch pdf", batch),
            cell("chromium batch", batch, missing="-"),
            cell("batch docx", batch),
            cell("lo batch", batch) if lo_batch else "missing",
            "",
            "",
        )
    )
    head = (
        "document",
        "OpenITA PDF, native (s)",
        "OpenITA PDF, Chromium (s)",
        "OpenITA DOCX (s)",
        "LibreOffice DOCX->PDF (s)",
        "ratio LibreOffice / native",
        "ratio Chromium / native",
    )
    table = [
        "| " + " | ".join(head) + " |",
        "|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|",
        *["| " + " | ".join(r) + " |" for r in rows],
    ]

    warm = t["analysis+plan warm"].median
    ratios = {kind: ratio(t, f"lo {kind}", f"pdf {kind}") for kind in KINDS} | {
        "analysis+plan warm": ratio(t, "lo analysis+plan", "analysis+plan warm"),
        "analysis+plan cold cli": ratio(t, "lo analysis+plan", "analysis+plan cold cli"),
        "plan cold cli": ratio(t, "lo plan", "plan cold cli"),
        "batch": ratio(t, "lo batch", "batch pdf"),
    }
    ap_ratio = ratios["analysis+plan warm"]
    targets = [
        (
            f"analysis + plan PDF, warm, under {TARGET_WARM_S:.0f} s on one core",
            warm < TARGET_WARM_S,
            f"{warm:.3f} s ({warm / TARGET_WARM_S:.1f}x the target)",
        ),
        (
            f"analysis + plan at least {TARGET_RATIO:.0f}x faster than LibreOffice",
            None if ap_ratio is None else ap_ratio >= TARGET_RATIO,
            fmt_ratio(ap_ratio),
        ),
        (
            "a cold single document (openita report plan, a fresh process) faster than a cold "
            "LibreOffice conversion of the same DOCX",
            None if ratios["plan cold cli"] is None else ratios["plan cold cli"] > 1,
            fmt_ratio(ratios["plan cold cli"]),
        ),
        (
            f"batch at least {TARGET_RATIO:.0f}x faster than LibreOffice",
            None if ratios["batch"] is None else ratios["batch"] >= TARGET_RATIO,
            fmt_ratio(ratios["batch"]),
        ),
    ]
    verdict = {True: "MET", False: "MISSED", None: "NOT MEASURED (no LibreOffice)"}
    target_lines = [f"- {name}: **{verdict[ok]}**, {value}" for name, ok, value in targets]

    cores = info["cores_used"]
    md = [
        f"# Documents benchmark, {info['date']}",
        "",
        f"Machine: {info['cpu_model']}, nproc {info['nproc']}, run on core(s) {cores}; "
        f"{info['chromium']}; {info['libreoffice']}; Python {info['python']}; "
        f"OpenITA {info['openita']}.",
        f"Median of {args.repeat} runs after a warm-up (batch: {args.batch_repeat} run, "
        "no warm-up). PDFs come from the native renderer (the default); the Chromium column is "
        "the former route (`OPENITA_PDF_ENGINE=chromium`), for comparison. "
        "Ratio = other time / native time.",
        "",
        *table,
        "",
        "Targets:",
        "",
        *target_lines,
    ]
    if not have_lo:
        md += ["", "**LibreOffice is missing: the baseline and the ratios were not measured.**"]
    if lo_batch is not None and lo_batch.note:
        md += ["", f"LibreOffice batch: {lo_batch.note}."]
    if chromium_batch is not None and chromium_batch.note:
        md += ["", f"Chromium batch: {chromium_batch.note}."]
    phase = extra.get("phases")
    if phase:
        pt: dict[str, Timing] = phase.pop("_timings")
        md += [
            "",
            "Where the warm analysis + plan time goes (median s):",
            "",
            "| phase | s |",
            "|---|---:|",
            *[f"| {name} | {fmt_s(v.median)} |" for name, v in pt.items()],
            "",
            f"Native PDFs: analysis {phase['pages']['analysis']} pages, "
            f"{phase['bytes']['analysis']:,} bytes; plan {phase['pages']['plan']} pages, "
            f"{phase['bytes']['plan']:,} bytes"
            + (
                f" (Chromium: {phase['chromium_pages']['analysis']} and "
                f"{phase['chromium_pages']['plan']} pages)."
                if "chromium_pages" in phase
                else "."
            ),
        ]
    summary = "\n".join(md) + "\n"
    print("\n" + summary)

    args.results.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y-%m-%dT%H%M%S")
    data = {
        "machine": info,
        "options": {
            "repeat": args.repeat,
            "batch": args.batch,
            "batch_repeat": args.batch_repeat,
            "seed": args.seed,
        },
        "timings": {k: v.as_json() for k, v in t.items()},
        "ratios_libreoffice_over_openita": {
            k: None if v is None else round(v, 3) for k, v in ratios.items()
        },
        "targets": [{"target": n, "met": ok, "value": v} for n, ok, v in targets],
        "libreoffice_batch_documents": lo_batch_count,
        "extra": extra,
    }
    json_path = args.results / f"documents-{stamp}.json"
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (args.results / "latest.md").write_text(summary, encoding="utf-8")
    print(f"wrote {json_path} and {args.results / 'latest.md'}")


if __name__ == "__main__":
    main()
