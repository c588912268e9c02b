"""The crawl of an agency's website and the pages it proposes for each OIT item."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from openita.oit.crawl import Crawl, CrawlLimits, crawl, propose

from . import agency_site

# FY2569's OIT titles, as the framework writes them (the site paraphrases some).
ITEMS: list[tuple[str, str | None]] = [
    ("o1", "โครงสร้าง หน้าที่และอำนาจ"),
    ("o2", None),  # title unknown: found by its code only
    ("o3", "ข้อมูลการติดต่อและช่องทางการสอบถาม"),
    ("o5", "แผนยุทธศาสตร์หรือแผนพัฒนาหน่วยงาน"),
    ("o10", "ระบบการให้บริการผ่านช่องทางออนไลน์ (E-SERVICE)"),
    ("o17", "ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"),
    ("o21", "การประเมินความเสี่ยงการทุจริตในหน่วยงานภาครัฐ"),
    ("o25", "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร"),
    ("o26", "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"),
]


@pytest.fixture(scope="module")
def site_crawl() -> Iterator[tuple[str, Crawl, list[str]]]:
    with agency_site.serve() as base:
        found = crawl(base + "/", CrawlLimits(max_depth=4, max_pages=100))
        yield base, found, list(agency_site.Handler.requested)


def test_stays_polite(site_crawl: tuple[str, Crawl, list[str]]) -> None:
    base, found, requested = site_crawl
    assert requested[0] == "/robots.txt"
    assert not any(p.startswith("/private/") for p in requested)  # robots.txt obeyed
    assert f"{base}/private/admin" in found.refused_by_robots
    assert not any(p.startswith("/files/") for p in requested)  # documents are not downloaded
    assert "/deep/4" in requested and "/deep/5" not in requested  # depth limit
    assert len(requested) == len(set(requested))  # each page once
    assert all(p.url.startswith(base) for p in found.pages)  # same site only


def test_page_limit() -> None:
    with agency_site.serve() as base:
        found = crawl(base + "/", CrawlLimits(max_pages=3))
    assert len(found.pages) == 3 and found.truncated


def test_proposals_with_reasons(site_crawl: tuple[str, Crawl, list[str]]) -> None:
    base, found, _ = site_crawl
    proposals = propose(found, ITEMS, year=2569)
    first = {code: (props[0].url if props else None) for code, props in proposals.items()}
    assert first["o1"] == f"{base}/about/structure"
    assert first["o3"] == f"{base}/contact"  # "o3" in the link text, title paraphrased
    assert first["o5"] == f"{base}/files/plan-2566-2570.pdf"  # code label, a file
    assert first["o10"] == f"{base}/eservice"
    assert first["o17"] == f"{base}/complaints"  # spaced differently; page in TIS-620
    assert first["o26"] == f"{base}/files/O26-report.pdf"  # only the file name says O26
    assert first["o21"] is None  # nothing on the site: no guess
    assert first["o25"] is None  # only behind robots.txt
    assert first["o2"] is None
    o1 = proposals["o1"][0]
    assert "ระบุรหัสข้อ O1" in o1.reasons
    assert any(r.startswith("ข้อความของลิงก์ตรงกับชื่อข้อ") for r in o1.reasons)
    assert o1.found_on == f"{base}/ita"
    assert "ชื่อไฟล์ระบุรหัสข้อ O26" in proposals["o26"][0].reasons


def test_the_year_counts_but_does_not_decide(site_crawl: tuple[str, Crawl, list[str]]) -> None:
    _, found, _ = site_crawl
    with_year = propose(found, ITEMS, year=2569)["o5"][0]
    without = propose(found, ITEMS)["o5"][0]
    assert with_year.url == without.url
    assert with_year.score > without.score and "กล่าวถึงปี 2569" in with_year.reasons


def test_command_crawl(tmp_path: object) -> None:
    import json

    from click.testing import CliRunner

    from openita.cli.main import cli

    with agency_site.serve() as base:
        result = CliRunner().invoke(
            cli, ["oit", "crawl", base + "/", "-f", "ita-2565", "--year", "2569", "--json"]
        )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["pages"] >= 5 and data["refused_by_robots"] == [base + "/private/admin"]
    # ita-2565's o1 is "โครงสร้าง": the structure page is proposed for it, with reasons.
    assert data["proposals"]["o1"][0]["url"] == base + "/about/structure"
    assert data["proposals"]["o1"][0]["reasons"]


def test_command_crawl_bad_address() -> None:
    from click.testing import CliRunner

    from openita.cli.main import cli

    result = CliRunner().invoke(cli, ["oit", "crawl", "www.example.go.th"])
    assert result.exit_code == 2
    assert "is not an http:// or https:// address" in result.stderr


def test_crawl_runs_where_an_event_loop_is_running() -> None:
    """Playwright's sync driver keeps a loop running in the main thread; the crawl and the link
    check must still work there (they run on a fresh loop in a helper thread)."""
    from openita.oit import aio
    from openita.oit.linkcheck import Link, check_links

    async def inside() -> tuple[int, bool]:
        with agency_site.serve() as base:
            found = crawl(base + "/", CrawlLimits(max_depth=1, max_pages=5))
            result = check_links([Link("o1", base + "/about/structure")])
        return len(found.pages), result[0].status == 200

    pages, ok = aio.run(inside())  # inside() runs on a loop, as under Playwright
    assert pages >= 2 and ok
