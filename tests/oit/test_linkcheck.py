"""The OIT link checker against a fixture website on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from openita import frameworks
from openita.cli.main import cli
from openita.oit.linkcheck import Limits, Link, LinkResult, check_links, mentions_title, url_problem
from openita.text.normalise import compact, normalise

from .site import GOOD_PAGE, Concurrency, serve

PLAN_TITLE = "แผนยุทธศาสตร์หรือแผนพัฒนาหน่วยงาน"
COMPLAINT_TITLE = "ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve() as base:
        yield base


DEFAULT_LIMITS = Limits()


def _one(
    site: str,
    path: str,
    *,
    title: str | None = PLAN_TITLE,
    year: int | None = 2569,
    limits: Limits = DEFAULT_LIMITS,
    history: dict[str, dict[str, str]] | None = None,
) -> LinkResult:
    [result] = check_links(
        [Link("o5", site + path, title=title, year=year)], limits=limits, history=history
    )
    return result


@pytest.mark.parametrize(
    ("path", "problem", "status"),
    [
        ("/ita/o5", None, 200),
        ("/ita/o5-gzip", None, 200),
        ("/moved", None, 200),  # a redirect to the right page is fine
        ("/files/plan.pdf", None, 200),
        ("/nowhere", "http_error", 404),
        ("/error", "http_error", 500),
        ("/gone-home", "redirect_home", 200),
        ("/loop-a", "redirect_loop", None),
        ("/drop", "unreachable", None),
        ("/files/fake.pdf", "wrong_type", 200),
        ("/files/empty.pdf", "empty", 200),
        ("/files/tiny.docx", "tiny_file", 200),
        ("/news", "no_item", 200),
        ("/ita/o5-old", "no_year", 200),
    ],
)
def test_each_kind_of_answer(site: str, path: str, problem: str | None, status: int | None) -> None:
    result = _one(site, path)
    assert (result.problem, result.status, result.ok) == (problem, status, problem is None)


def test_a_page_in_tis620_is_read(site: str) -> None:
    assert _one(site, "/tis620", title=COMPLAINT_TITLE).problem is None
    # ...and the content check does read it: the wrong title is noticed.
    assert _one(site, "/tis620", title="รายงานผลการจัดซื้อจัดจ้างประจำปี").problem == "no_item"


def test_slow_page_times_out_without_holding_the_others(site: str) -> None:
    limits = Limits(total_timeout=1.0, read_timeout=1.0)
    results = check_links(
        [
            Link("o5", site + "/slow", title=PLAN_TITLE),
            Link("o5", site + "/ita/o5", title=PLAN_TITLE),
        ],
        limits=limits,
    )
    assert [r.problem for r in results] == ["timeout", None]
    assert results[1].seconds < 1.0


def test_huge_file_is_read_only_up_to_the_limit(site: str) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = _one(site, "/files/huge.pdf", limits=Limits(max_bytes=1_000_000))
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert result.ok and result.size is not None
    assert 1_000_000 <= result.size < 1_200_000
    assert grown_kib < 50_000  # the 200 MB answer is never held


def test_unreachable_host() -> None:
    # A port nothing listens on (bind, note, close).
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    [result] = check_links([Link("o1", f"http://127.0.0.1:{port}/x")])
    assert (result.ok, result.problem, result.status) == (False, "unreachable", None)


def test_unchanged_since_an_earlier_year(site: str) -> None:
    first = _one(site, "/ita/o5")
    assert first.ok and first.sha256
    again = _one(site, "/ita/o5", history={site + "/ita/o5": {"2568": first.sha256}})
    assert (again.problem, again.ok) == ("unchanged", False)
    other = _one(site, "/ita/o5", history={site + "/ita/o5": {"2568": "0" * 64}})
    assert other.ok


@pytest.mark.parametrize("per_host", [1, 3])
def test_per_host_limit_is_kept(site: str, per_host: int) -> None:
    Concurrency.reset()
    links = [Link("o5", f"{site}/busy?n={i}", title=PLAN_TITLE) for i in range(9)]
    results = check_links(links, limits=Limits(per_host=per_host, concurrency=32))
    assert all(r.ok for r in results)
    assert Concurrency.peak == per_host  # never more, and the limit is what held it back


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://www.example.go.th/ita/o5", True),
        ("http://127.0.0.1:8000/x", True),
        ("www.example.go.th/ita", False),
        ("ftp://example.go.th/a.pdf", False),
        ("https:///nohost", False),
        ("https://exa mple.go.th/", False),
        ("https://example.go.th:99999/", False),
    ],
)
def test_url_problems(url: str, ok: bool) -> None:
    assert (url_problem(url) is None) is ok


def test_thai_normalisation_for_matching() -> None:
    # sara am as nikhahit + sara aa, a tone mark before its upper vowel, zero-width spaces,
    # Thai digits: all compare equal to the clean text.
    assert normalise("ต\u0e4d\u0e32บล") == "ตำบล"
    assert normalise("เร\u0e48\u0e37อง") == "เรื่อง"
    assert compact("ปีงบประมาณ\u200b ๒๕๖๙") == "ปีงบประมาณ2569"
    assert mentions_title(compact(GOOD_PAGE), "แผนยุทธศาสตร์ หรือ แผนพัฒนาหน่วยงาน", "o5")
    assert not mentions_title(compact("<p>ข่าวกีฬาประจำสัปดาห์ของตำบล</p>" * 3), PLAN_TITLE, "o4")


# --- the command ---------------------------------------------------------------------------


def _framework_and_code(title: str) -> tuple[str, str]:
    """A framework that has an OIT item of this title, and its code (numbering changes by year)."""
    for fw_id in sorted(frameworks.available(), reverse=True):
        fw = frameworks.get(fw_id)
        for item in fw.items:
            if item.code.startswith("o") and compact(item.text) == compact(title):
                return fw_id, item.code
    raise AssertionError(f"no framework has {title!r}")


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


def _run(*args: str) -> Done:
    """The command in this process (a subprocess per case costs seconds of start-up)."""
    result = CliRunner().invoke(cli, ["oit", "check", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Done(result.exit_code, result.stdout, result.stderr)


def test_command_runs_as_a_program(tmp_path: Path) -> None:
    listing = tmp_path / "links.csv"
    listing.write_text("code,url\no999,https://example.go.th/\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "openita.cli.main", "oit", "check", str(listing), "-f", "ita-2565"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "unknown OIT item 'o999'" in done.stderr


def test_command_json_and_exit_status(site: str, tmp_path: Path) -> None:
    fw_id, code = _framework_and_code(PLAN_TITLE)
    listing = tmp_path / "links.csv"
    listing.write_text(
        f"code,url\n{code.upper()},{site}/ita/o5\n{code},{site}/nowhere {site}/files/fake.pdf\n",
        encoding="utf-8",
    )
    done = _run(str(listing), "--json", "--framework", fw_id, "--year", "2569")
    assert done.returncode == 1, done.stderr
    rows = json.loads(done.stdout)
    assert [(r["code"], r["ok"], r["status"], r["problem"]) for r in rows] == [
        (code, True, 200, None),
        (code, False, 404, "http_error"),
        (code, False, 200, "wrong_type"),
    ]
    assert all(set(r) == {"code", "url", "ok", "status", "problem"} for r in rows)

    good = tmp_path / "good.csv"  # cp874, no header
    good.write_bytes(f"{code},{site}/ita/o5\n".encode("cp874"))
    done = _run(str(good), "--framework", fw_id, "--year", "2569")
    assert done.returncode == 0, done.stderr
    assert "1 of 1 links ok" in done.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("code,url\no999,https://example.go.th/\n", "unknown OIT item 'o999'"),
        ("code,url\no1,www.example.go.th/ita\n", "is not an http:// or https:// address"),
        ("code,url\no1,\n", "o1: no URL"),
        ("title,note\nx,y\n", "the header has no code"),
        ("", "has no code,url rows"),
    ],
)
def test_command_bad_input_exits_2(tmp_path: Path, content: str, message: str) -> None:
    listing = tmp_path / "links.csv"
    listing.write_text(content, encoding="utf-8")
    done = _run(str(listing), "--framework", "ita-2565")
    assert done.returncode == 2
    assert message in done.stderr
    assert "links.csv" in done.stderr
    assert done.stdout == ""


def test_command_unreadable_file_exits_2(tmp_path: Path) -> None:
    done = _run(str(tmp_path / "missing.csv"), "--framework", "ita-2565")
    assert done.returncode == 2 and "cannot be read" in done.stderr


def test_command_history_reports_unchanged(site: str, tmp_path: Path) -> None:
    fw_id, code = _framework_and_code(PLAN_TITLE)
    listing = tmp_path / "links.csv"
    listing.write_text(f"{code},{site}/ita/o5\n", encoding="utf-8")
    state = tmp_path / "state.json"
    assert (
        _run(str(listing), "-f", fw_id, "--year", "2568", "--history", str(state)).returncode == 0
    )
    # Pages must mention 2569 next year; this one does, but it is byte for byte last year's.
    done = _run(str(listing), "-f", fw_id, "--year", "2569", "--history", str(state), "--json")
    assert done.returncode == 1
    assert json.loads(done.stdout)[0]["problem"] == "unchanged"


def test_checks_run_from_a_thread_that_already_runs_an_event_loop(site: str) -> None:
    # An async server or a test harness (Playwright's sync API) may run a loop in this
    # thread: the synchronous entry point must still work there.
    import asyncio

    async def inside() -> list[LinkResult]:
        return check_links([Link("o5", site + "/ita/o5", title=PLAN_TITLE, year=2569)])

    import concurrent.futures

    # A thread of its own for the outer loop: the test process may already run one here.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        [result] = pool.submit(asyncio.run, inside()).result()
    assert result.ok
