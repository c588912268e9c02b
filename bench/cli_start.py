"""Benchmark: how fast the ``openita`` command starts, and a cold document against a cold
LibreOffice conversion of the same DOCX, in the same run.

Each run is a fresh process, as a user types it: ``python -c pass`` (the floor: the
interpreter alone, same Python, same site-packages), ``openita --help``, ``openita report plan
--help``, ``openita report plan PLAN.yaml -o plan.pdf`` (the seed 003 agency's plan, native
PDF), and ``soffice --headless --convert-to pdf plan.docx`` of OpenITA's DOCX of the same plan
(a fresh LibreOffice profile, created and warmed once first, as in bench/documents.py). The
measurements are interleaved run by run (floor, help, ..., LibreOffice; then again), so a
machine that gets busier slows every column alike. It prints min and median per command, the
ratios, whether the targets are met, and writes ``bench/results/cli-start-<date>.json`` and
``bench/results/cli-start-latest.md``.

Targets (issue 14): ``openita --help`` under 0.3 s; a cold ``openita report plan`` faster
than a cold LibreOffice conversion of the same DOCX (ratio LibreOffice / OpenITA above 1).

    bash bench/cli_start.sh            # pinned to one core, like bench/run.sh
    .venv/bin/python bench/cli_start.py --repeat 9
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
PLAN_FILE = ROOT / "openita" / "examples" / "bansong-plan-2566.yaml"
AGENCY = "เทศบาลตำบลบ้านส้อง"
LO_PROFILE = Path("/tmp/lo-profile-cli-start")
TARGET_HELP_S = 0.3


def _openita() -> list[str]:
    """The installed ``openita`` script beside this Python, else ``python -m``."""
    script = Path(sys.executable).parent / "openita"
    return [str(script)] if script.exists() else [sys.executable, "-m", "openita.cli.main"]


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time, and CPU time (user + system of the process and what it waited for: soffice's
    launcher waits for soffice.bin): the CPU time hardly moves when the machine is busy."""
    cpu, start = _cpu(), time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=ROOT)
    return time.perf_counter() - start, _cpu() - cpu


def _check_pdf(path: Path, where: str) -> None:
    data = path.read_bytes() if path.exists() else b""
    if not data.startswith(b"%PDF"):
        raise SystemExit(f"{where}: {path} is not a PDF")
    text = subprocess.run(
        ["pdftotext", "-l", "1", str(path), "-"], capture_output=True, text=True, check=False
    ).stdout
    if AGENCY not in "".join(text.split()) and AGENCY not in text:
        raise SystemExit(f"{where}: the agency's name is not on the first page of {path}")


def _stats(runs: list[float]) -> dict[str, Any]:
    return {
        "min_s": round(min(runs), 4),
        "median_s": round(statistics.median(runs), 4),
        "runs_s": [round(r, 4) for r in runs],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of each command")
    parser.add_argument("--no-libreoffice", action="store_true", help="skip the baseline")
    parser.add_argument("--results", type=Path, default=RESULTS_DIR, help="results folder")
    args = parser.parse_args()
    repeat = max(1, args.repeat)

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    work = Path(tempfile.mkdtemp(prefix="openita-cli-start-"))
    openita = _openita()
    pdf_out, docx_out, lo_out = work / "plan.pdf", work / "plan.docx", work / "lo"
    lo_out.mkdir()
    subprocess.run(
        [*openita, "report", "plan", str(PLAN_FILE), "-o", str(docx_out)],
        check=True,
        capture_output=True,
        env=env,
    )
    lo = None if args.no_libreoffice else shutil.which("soffice") or shutil.which("libreoffice")
    lo_cmd = [
        *([lo] if lo else []),
        f"-env:UserInstallation=file://{LO_PROFILE}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(lo_out),
        str(docx_out),
    ]
    commands: dict[str, list[str]] = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "openita --help": [*openita, "--help"],
        "openita report plan --help": [*openita, "report", "plan", "--help"],
        "openita report plan (PDF, cold)": [
            *openita,
            "report",
            "plan",
            str(PLAN_FILE),
            "-o",
            str(pdf_out),
        ],
    }
    if lo:
        shutil.rmtree(LO_PROFILE, ignore_errors=True)
        _run(lo_cmd, env)  # creates and warms the fresh profile: not timed
        commands["LibreOffice DOCX -> PDF (cold soffice)"] = lo_cmd

    print(f"OpenITA start-up benchmark: {repeat} runs of each, interleaved; {' '.join(openita)}")
    for cmd in commands.values():
        _run(cmd, env)  # warm the page cache once
    runs: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():
            wall, used = _run(cmd, env)
            runs[name].append(wall)
            cpu[name].append(used)
    _check_pdf(pdf_out, "openita report plan")
    if lo:
        _check_pdf(lo_out / "plan.pdf", "LibreOffice")
    shutil.rmtree(work, ignore_errors=True)

    med = {name: statistics.median(r) for name, r in runs.items()}
    med_cpu = {name: statistics.median(r) for name, r in cpu.items()}
    floor = med["python -c pass"]
    help_s = min(runs["openita --help"])  # start-up: the least noisy figure is the fastest run
    plan_s = med["openita report plan (PDF, cold)"]
    lo_s = med.get("LibreOffice DOCX -> PDF (cold soffice)")
    ratio = None if lo_s is None else lo_s / plan_s
    lo_cpu = med_cpu.get("LibreOffice DOCX -> PDF (cold soffice)")
    cpu_ratio = None if lo_cpu is None else lo_cpu / med_cpu["openita report plan (PDF, cold)"]
    targets = [
        (
            f"openita --help under {TARGET_HELP_S} s (fastest run, wall)",
            help_s < TARGET_HELP_S,
            f"{help_s:.3f} s wall, {med_cpu['openita --help']:.3f} s CPU (median)",
        ),
        (
            "cold openita report plan faster than a cold LibreOffice conversion",
            None if ratio is None else ratio > 1,
            "n/a"
            if ratio is None or cpu_ratio is None
            else f"{ratio:.2f}x wall, {cpu_ratio:.2f}x CPU (LibreOffice / OpenITA, medians)",
        ),
    ]
    verdict = {True: "MET", False: "MISSED", None: "NOT MEASURED (no LibreOffice)"}
    cores = sorted(os.sched_getaffinity(0))
    lines = [
        f"# Command start-up benchmark, {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        "",
        f"nproc {os.cpu_count()}, run on core(s) {cores}; Python {platform.python_version()}; "
        f"load average at the end {os.getloadavg()[0]:.1f}. {repeat} runs of each command, "
        "interleaved, each a fresh process; wall time, and CPU time (user + system, the "
        "process and its children).",
        "",
        "| command | wall min (s) | wall median (s) | median / python -c pass | CPU median (s) |",
        "|---|---:|---:|---:|---:|",
        *[
            f"| {name} | {min(r):.3f} | {med[name]:.3f} | {med[name] / floor:.1f}x "
            f"| {med_cpu[name]:.3f} |"
            for name, r in runs.items()
        ],
        "",
        "Targets:",
        "",
        *[f"- {name}: **{verdict[ok]}**, {value}" for name, ok, value in targets],
    ]
    summary = "\n".join(lines) + "\n"
    print("\n" + summary)
    args.results.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y-%m-%dT%H%M%S")
    data = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cores_used": cores,
        "python": platform.python_version(),
        "load_average_end": os.getloadavg(),
        "repeat": repeat,
        "commands": {name: " ".join(cmd) for name, cmd in commands.items()},
        "timings": {name: _stats(r) for name, r in runs.items()},
        "cpu": {name: _stats(r) for name, r in cpu.items()},
        "ratio_libreoffice_over_plan": None if ratio is None else round(ratio, 3),
        "cpu_ratio_libreoffice_over_plan": None if cpu_ratio is None else round(cpu_ratio, 3),
        "targets": [{"target": n, "met": ok, "value": v} for n, ok, v in targets],
    }
    path = args.results / f"cli-start-{stamp}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (args.results / "cli-start-latest.md").write_text(summary, encoding="utf-8")
    print(f"wrote {path} and {args.results / 'cli-start-latest.md'}")


if __name__ == "__main__":
    main()
