"""Benchmark: scoring every agency of one year at once (``openita.engine.batch``).

The synthetic country's item scores of one fiscal year (``--agencies``, default 8,300; the
framework of ``--year``) are scored four ways, in the same run:

- **batch (arrays)**: ``batch.score_items`` on the item matrix: printed tool and indicator
  figures, total, band, qualitative level, each exactly as the engine gives them;
- **batch (figures)**: ``batch.score_matrix``, the same turned into one ``Figures`` per agency
  (what the synthetic country and rescoring store);
- **batch (from dicts)**: ``batch.score_many`` from the stored form (code -> score per agency);
- **plain NumPy roll-up** (the baseline): the same tree as plain means (a matrix product per
  level, the weighted total, cents by ``np.round``), no exactness: the floor for NumPy;
- **one by one**: ``engine.score`` + ``engine.official`` per agency (``--one-by-one`` agencies,
  scaled to all when fewer).

Every batch figure is checked against one-by-one scoring (equal to the cent). Each timing is
the median (and minimum) of ``--repeat`` runs after a warm-up, the methods alternating so the
noise of the machine falls on all. Targets (issue 14): all agencies under 1 s; batch within 3x
of the plain NumPy roll-up. The run also counts the agencies whose plain NumPy figures differ
from the engine's to the cent (why the batch path does more than the roll-up). Results: printed,
and written to ``bench/results/scoring-<date>T<time>.txt``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openita import engine  # noqa: E402
from openita.engine import batch  # noqa: E402
from openita.frameworks import Framework  # noqa: E402
from openita.web.synthetic import country  # noqa: E402


def plain_numpy(framework: Framework, items: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The baseline: every node a plain mean (matrix products), the weighted total, cents."""
    codes = list(batch.item_codes(framework))
    values = {c: items[:, n] for n, c in enumerate(codes)}
    cols: dict[str, np.ndarray] = {}

    def mean_of(node: engine.scoring.Node) -> np.ndarray:
        kids = engine.scoring.children(node)
        if not kids:
            return values[node.code]
        if all(not engine.scoring.children(k) for k in kids):
            idx = [codes.index(k.code) for k in kids]
            got = items[:, idx].mean(axis=1)
        else:
            got = np.column_stack([mean_of(k) for k in kids]).mean(axis=1)
        cols[node.code] = got
        return got

    tools = np.column_stack([mean_of(t) for t in framework.tools])
    weights = np.array([t.weight for t in framework.tools])
    total = tools @ weights / weights.sum()
    shown = np.column_stack([cols[c] for c in _shown(framework)])
    return np.round(shown, 2), np.round(total, 2)


def _shown(framework: Framework) -> list[str]:
    return [t.code for t in framework.tools] + [i.code for i in framework.indicators]


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agencies", type=int, default=8300)
    parser.add_argument("--year", type=int, default=2569)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--one-by-one", type=int, default=0, help="agencies scored one by one (0: all)"
    )
    args = parser.parse_args()
    made = country.agencies(args.agencies, args.seed)
    framework, items = country.year_items(made, args.year, args.seed)
    codes = batch.item_codes(framework)
    rows = [dict(zip(codes, r, strict=True)) for r in items.tolist()]
    subset = rows[: args.one_by_one or len(rows)]

    def one_by_one() -> list[batch.Figures]:
        return [batch.figures_of(engine.score(framework, r)) for r in subset]

    methods: dict[str, Callable[[], object]] = {
        "batch (arrays)": lambda: batch.score_items(framework, items),
        "batch (figures)": lambda: batch.score_matrix(framework, items),
        "batch (from dicts)": lambda: batch.score_many(framework, rows),
        "plain NumPy roll-up": lambda: plain_numpy(framework, items),
    }
    # Correctness first: the batch figures of every agency against one by one.
    expected = one_by_one()
    got = batch.score_matrix(framework, items)[: len(expected)]
    differ = sum(1 for a, b in zip(got, expected, strict=True) if a != b)
    arrays = batch.score_items(framework, items)
    vectorised = float(arrays.ok.mean())
    shown, total = plain_numpy(framework, items)
    want_total = np.array([f.total for f in expected])
    want_shown = np.array([[f.figures[c] for c in _shown(framework)] for f in expected])
    numpy_wrong = int(
        (
            (total[: len(expected)] != want_total)
            | (shown[: len(expected)] != want_shown).any(axis=1)
        ).sum()
    )
    for fn in methods.values():
        fn()  # warm-up
    times: dict[str, list[float]] = {name: [] for name in methods}
    for _ in range(args.repeat):
        for name, fn in methods.items():
            times[name].append(timed(fn))
    one_runs = [
        timed(one_by_one) * len(rows) / len(subset) for _ in range(max(1, args.repeat // 3))
    ]
    times["one by one"] = one_runs
    base = statistics.median(times["plain NumPy roll-up"])
    lines = [
        f"# Scoring {len(rows)} agencies of FY{args.year} ({framework.id}, {len(codes)} items)"
        f" at once — {dt.datetime.now().isoformat(timespec='seconds')}",
        f"machine: {platform.machine()}, {os.cpu_count()} cpus, load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; python {platform.python_version()}, "
        f"numpy {np.__version__}; --repeat {args.repeat}"
        + (f"; one by one on {len(subset)} agencies, scaled" if len(subset) < len(rows) else ""),
        f"checked: {len(expected)} agencies, {differ} differ from one-by-one scoring to the cent;"
        f" {vectorised:.1%} of rows on the vectorised path; the plain NumPy roll-up gets "
        f"{numpy_wrong} agencies ({numpy_wrong / len(expected):.1%}) wrong to the cent",
        "",
        f"{'method':<22} {'median s':>10} {'min s':>10} {'x NumPy':>9}",
    ]
    for name, runs in times.items():
        med = statistics.median(runs)
        lines.append(f"{name:<22} {med:>10.4f} {min(runs):>10.4f} {med / base:>9.1f}")
    batch_med = statistics.median(times["batch (figures)"])
    lines += [
        "",
        f"one by one / batch (figures): {statistics.median(one_runs) / batch_med:.0f}x; "
        f"target all agencies < 1 s: {'met' if batch_med < 1 else 'MISSED'} "
        f"({batch_med:.3f} s); within 3x NumPy: "
        f"arrays {statistics.median(times['batch (arrays)']) / base:.1f}x, "
        f"figures {batch_med / base:.1f}x",
    ]
    text = "\n".join(lines)
    print(text)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y-%m-%dT%H%M%S")
    (out / f"scoring-{stamp}.txt").write_text(text + "\n", encoding="utf-8")
    if differ:
        sys.exit(1)


if __name__ == "__main__":
    main()
