"""Importing an earlier published report from the web, and the score templates."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from openita.importers import read_file
from openita.web.results.models import Assessment
from tests.web.conftest import World

NAMES = {
    "ind1": "การปฏิบัติหน้าที่", "ind2": "การใช้งบประมาณ", "ind3": "การใช้อำนาจ",
    "ind4": "การใช้ทรัพย์สินของราชการ", "ind5": "การแก้ไขปัญหาการทุจริต",
    "ind6": "คุณภาพการดำเนินงาน", "ind7": "ประสิทธิภาพการสื่อสาร",
    "ind8": "การปรับปรุงระบบการทำงาน", "ind9": "การเปิดเผยข้อมูล", "ind10": "การป้องกันการทุจริต",
}  # fmt: skip
SCORES = {  # code: (2563, 2564, 2565)
    "ind1": (88.52, 86.95, 95.21), "ind2": (74.70, 77.31, 92.11), "ind3": (82.59, 82.37, 94.38),
    "ind4": (77.03, 76.87, 91.96), "ind5": (80.53, 79.40, 91.82), "ind6": (89.87, 98.19, 81.03),
    "ind7": (90.03, 76.45, 76.92), "ind8": (79.17, 87.27, 78.64), "ind9": (34.47, 87.00, 94.64),
    "ind10": (12.50, 87.50, 100.0),
}  # fmt: skip


def report_text() -> bytes:
    """A seed-003-like table of three years; the 2563 total is claimed wrongly (70.00)."""
    rows = [
        f"{n}.\t{NAMES[c]}\t" + "\t".join(f"{v:.2f}" for v in SCORES[c])
        for n, c in enumerate(SCORES, 1)
    ]
    lines = [
        "ผลการประเมิน ITA ขององค์การบริหารส่วนตำบลหนองบัว",
        "อันดับ\tตัวชี้วัด\tปี 2563\tปี 2564\tปี 2565",
        *rows,
        "ผลคะแนนรวม\t\t70.00\t85.26\t90.52",
    ]
    return "\n".join(lines).encode("utf-8")


def login(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def upload(client: Client, world: World, content: bytes, name: str = "report-nongbua.txt") -> Any:
    url = reverse("results:import", args=[world.a.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def token_of(html: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_officer_previews_then_saves_the_chosen_years(world: World) -> None:
    client = login(world, "officer_a")
    response = upload(client, world, report_text())
    html = response.content.decode()
    assert response.status_code == 200
    for year in (2563, 2564, 2565):
        assert f'name="year" value="{year}"' in html
    assert (
        "70.00" in html and "ไม่ตรงกับคะแนนรวมที่คำนวณจากคะแนนในรายงาน (59.50)" in html
    )  # the flagged claim
    assert "59.50" in html  # what the 2563 figures really give
    assert Assessment.objects.count() == 0  # nothing saved by the preview

    confirm = reverse("results:import_confirm", args=[world.a.pk])
    data = {"token": token_of(html), "year": ["2564", "2565"]}
    response = client.post(confirm, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("agency", args=[world.a.pk])
    saved = Assessment.objects.filter(agency=world.a).order_by("fiscal_year")
    assert [a.fiscal_year for a in saved] == [2564, 2565]
    assert {a.source_name for a in saved} == {"report-nongbua.txt"}
    assert saved[1].scores["ind10"] == 100.0

    page = client.get(reverse("agency", args=[world.a.pk])).content.decode()
    assert reverse("results:detail", args=[world.a.pk, 2564]) in page
    assert reverse("results:detail", args=[world.a.pk, 2565]) in page
    assert reverse("results:detail", args=[world.a.pk, 2563]) not in page
    assert client.get(reverse("results:detail", args=[world.a.pk, 2565])).status_code == 200

    # a double submit saves once
    client.post(confirm, data)
    assert Assessment.objects.count() == 2
    assert {a.pk for a in Assessment.objects.all()} == {a.pk for a in saved}


def test_a_year_on_file_is_unchecked_with_a_note(world: World) -> None:
    client = login(world, "officer_a")
    token = token_of(upload(client, world, report_text()).content.decode())
    client.post(
        reverse("results:import_confirm", args=[world.a.pk]), {"token": token, "year": "2565"}
    )
    html = upload(client, world, report_text()).content.decode()
    assert 'value="2565" id="year-2565" >' in html
    assert 'value="2564" id="year-2564" checked>' in html
    assert "จะแทนที่ผลที่บันทึกไว้" in html


def test_a_forged_year_is_not_saved(world: World) -> None:
    client = login(world, "officer_a")
    token = token_of(upload(client, world, report_text()).content.decode())
    url = reverse("results:import_confirm", args=[world.a.pk])
    client.post(url, {"token": token, "year": ["2599"]})
    client.post(url, {"token": token[:-3] + "xyz", "year": ["2565"]})
    assert Assessment.objects.count() == 0


@pytest.mark.parametrize("role", ["viewer_a", "officer_b", "executive_a", "provincial"])
def test_only_officers_of_the_agency_may_import(world: World, role: str) -> None:
    client = login(world, role)
    assert client.get(reverse("results:import", args=[world.a.pk])).status_code == 404
    assert upload(client, world, report_text()).status_code == 404
    officer = login(world, "officer_a")
    token = token_of(upload(officer, world, report_text()).content.decode())
    url = reverse("results:import_confirm", args=[world.a.pk])
    assert client.post(url, {"token": token, "year": "2565"}).status_code == 404
    assert Assessment.objects.count() == 0


def test_an_empty_file_is_a_400(world: World) -> None:
    response = upload(login(world, "officer_a"), world, b"", name="empty.txt")
    assert response.status_code == 400
    assert 'id="id_file-error"' in response.content.decode()
    assert Assessment.objects.count() == 0


@pytest.mark.parametrize("content", [b" \n", b"hello, this is not a report\n" * 3])
def test_nothing_usable_is_a_400(world: World, content: bytes) -> None:
    response = upload(login(world, "officer_a"), world, content, name="garbage.txt")
    html = response.content.decode()
    assert response.status_code == 400
    assert "ไม่พบผลคะแนนที่ครบถ้วนหรือคะแนนรวมที่ประกาศในไฟล์นี้" in html
    assert 'name="token"' not in html
    assert Assessment.objects.count() == 0


def blank_pdf() -> bytes:
    """A valid one-page PDF with no text, as a scan without OCR reads."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 4\n0000000000 65535 f \n"
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="no pdftotext")
def test_a_scanned_pdf_says_so(world: World) -> None:
    response = upload(login(world, "officer_a"), world, blank_pdf(), name="scan.pdf")
    assert response.status_code == 400
    assert "อาจเป็น PDF ที่สแกนมา" in response.content.decode()
    assert Assessment.objects.count() == 0


def test_a_broken_pdf_is_a_400(world: World) -> None:
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    response = upload(login(world, "officer_a"), world, pdf, name="broken.pdf")
    assert response.status_code == 400
    assert Assessment.objects.count() == 0


def test_only_pdf_or_text_files(world: World) -> None:
    response = upload(login(world, "officer_a"), world, report_text(), name="r.docx")
    assert response.status_code == 400
    assert "รับเฉพาะไฟล์ PDF หรือ TXT" in response.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_templates_download_and_read_back(world: World, fmt: str, tmp_path: Path) -> None:
    url = reverse("results:template", args=[world.a.pk, fmt])
    assert login(world, "officer_b").get(url).status_code == 404
    response = login(world, "viewer_a").get(url)
    assert response.status_code == 200
    assert f".{fmt}" in response["Content-Disposition"]
    path = tmp_path / f"template.{fmt}"
    path.write_bytes(response.content)
    data = read_file(path)
    assert data.framework is not None
    page = login(world, "viewer_a").get(reverse("agency", args=[world.a.pk])).content.decode()
    assert url in page


# --- headline-only years, published figures, Thai messages, the upload preview's warnings ---

NEWS = """ข่าวประชาสัมพันธ์ เทศบาลตำบลตัวอย่าง ประจำปี 2568
เทศบาลตำบลตัวอย่าง ได้รับผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. ๒๕๖๓ ได้คะแนนรวม **๖๑.๒๐**
คะแนน ระดับ “D” และปีงบประมาณ 2564 ได้คะแนนรวม 84.00 คะแนน ระดับ B
"""


def test_a_news_item_saves_headline_years_shown_in_the_trend(world: World) -> None:
    from openita.web.audit.models import AuditEntry
    from openita.web.results.models import HeadlineResult

    client = login(world, "officer_a")
    response = upload(client, world, NEWS.encode("utf-8"), name="news.txt")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="year" value="2563"' in html and 'name="year" value="2564"' in html
    assert "เฉพาะคะแนนรวมและระดับผล ใช้แสดงแนวโน้ม ไม่นำไปวิเคราะห์" in html
    confirm = reverse("results:import_confirm", args=[world.a.pk])
    response = client.post(confirm, {"token": token_of(html), "year": ["2563", "2564"]})
    assert response.status_code == 302
    heads = list(HeadlineResult.objects.filter(agency=world.a).order_by("fiscal_year"))
    assert [(h.fiscal_year, float(h.total), h.rating) for h in heads] == [
        (2563, 61.2, "D"),
        (2564, 84.0, "B"),
    ]
    assert "๒๕๖๓" in heads[0].source_line and heads[0].source_name == "news.txt"
    assert Assessment.objects.count() == 0  # never stored as a scored result
    assert (
        AuditEntry.objects.filter(agency=world.a, summary__contains="คะแนนรวมที่ประกาศ").count() == 2
    )

    # the full results of a later year: the headline years stand in its trend
    upload_scores = reverse("results:upload", args=[world.a.pk])
    page = client.post(
        upload_scores,
        {"fiscal_year": 2565, "file": SimpleUploadedFile("s.csv", example_bytes_2565())},
    ).content.decode()
    client.post(reverse("results:confirm", args=[world.a.pk]), {"token": token_of(page)})
    detail = client.get(reverse("results:detail", args=[world.a.pk, 2565])).content.decode()
    assert "เฉพาะคะแนนรวมที่ประกาศ" in detail and "61.20" in detail and "84.00" in detail
    assert "+6.52" in detail  # 90.52 - 84.00: the change from the headline year

    # a headline year is never offered over full results of that year
    report = report_text()
    client.post(confirm, {"token": token_of(upload(client, world, report).content.decode()),
                          "year": ["2564"]})  # fmt: skip
    again = upload(client, world, NEWS.encode("utf-8"), name="news.txt").content.decode()
    assert 'name="year" value="2564"' not in again and "มีผลครบถ้วนบันทึกไว้แล้ว" in again


def example_bytes_2565() -> bytes:
    from tests.web.conftest import example_bytes

    return example_bytes(2565)


def test_the_published_tool_figures_are_kept_beside_the_items(world: World) -> None:
    from openita.web.results.selectors import result_of

    text = report_text().decode() + "\nแบบวัด IIT (93.10 คะแนน) แบบวัด EIT (70.00 คะแนน)\n"
    client = login(world, "officer_a")
    html = upload(client, world, text.encode(), name="r.txt").content.decode()
    client.post(
        reverse("results:import_confirm", args=[world.a.pk]),
        {"token": token_of(html), "year": ["2565"]},
    )
    saved = Assessment.objects.get(agency=world.a, fiscal_year=2565)
    assert saved.scores["IIT"] == 93.1 and saved.scores["EIT"] == 70.0
    assert saved.scores["total"] == 90.52
    result = result_of(saved)
    assert result.claimed["IIT"] == 93.1  # kept as the report's figure, recomputed beside it
    assert round(result.scores["EIT"], 2) == 78.86
    page = client.get(reverse("results:detail", args=[world.a.pk, 2565])).content.decode()
    assert "ปี 2565: คะแนน EIT ที่ระบุไว้ 70.00 ไม่ตรงกับที่คำนวณจากองค์ประกอบ 78.86" in page


def test_import_problems_are_thai_with_both_figures(world: World) -> None:
    text = report_text().decode()
    text += "\nตัวชี้วัด\tปี 2566\nการปฏิบัติหน้าที่\t90.00\n"
    html = upload(login(world, "officer_a"), world, text.encode(), name="r.txt").content.decode()
    assert "ปี 2563: รายงานระบุคะแนนรวม 70 แต่คะแนนรายตัวชี้วัด 10 ตัว (บรรทัด 3–12)" in html
    assert "ในรายงานคำนวณได้ 59.50" in html
    # the engine's own words about the incomplete year are Thai too
    assert "ปี 2566 ข้อมูลไม่ครบ (คำนวณคะแนนรวมไม่ได้): IIT: ยังไม่ครบ ขาด i7, i8" in html
    assert "และอีก 16 รายการ" in html and "; ไม่มีคะแนนของ EIT: ให้คะแนนรายข้อ" in html
    assert "missing" not in html and "incomplete" not in html and " more" not in html


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="no pdftotext")
def test_our_own_analysis_pdf_imports_without_a_false_mismatch(world: World, tmp_path: Path):
    from click.testing import CliRunner

    from openita.cli.main import cli
    from tests.conftest import EXAMPLES

    pdf = tmp_path / "analysis.pdf"
    args = ["report", "analysis", str(EXAMPLES / "bansong-2565.csv"), "-o", str(pdf),
            "-H", str(EXAMPLES / "bansong-2564.csv"), "-H", str(EXAMPLES / "bansong-2563.csv"),
            "--agency", "เทศบาลตำบลตัวอย่าง"]  # fmt: skip
    assert CliRunner().invoke(cli, args).exit_code == 0
    response = upload(login(world, "officer_a"), world, pdf.read_bytes(), name="analysis.pdf")
    html = response.content.decode()
    assert response.status_code == 200
    for year in (2563, 2564, 2565):
        assert f'name="year" value="{year}"' in html
    # The document prints the published figures (official figures win). Only where those
    # disagree among themselves beyond rounding does reading them back say so.
    from openita import engine
    from openita.engine.analysis import TOLERANCE
    from openita.importers import load_result

    inconsistent = set()
    for year in (2563, 2564, 2565):
        result = load_result([EXAMPLES / f"bansong-{year}.csv"], "ita-2565")
        claimed = result.claimed.get("total")
        if (
            claimed is not None
            and abs(
                claimed
                - engine.score(
                    result.framework,
                    {k: v for k, v in result.scores.items() if k.startswith("ind")},
                ).total
            )
            > TOLERANCE + 1e-9
        ):
            inconsistent.add(year)
    assert html.count("ไม่ตรงกับคะแนนรวมที่คำนวณจากคะแนนในรายงาน") == len(inconsistent)
    section = html.split('id="problems-title"')
    problems = re.findall(r"<li>(.*?)</li>", section[1], re.S) if len(section) > 1 else []
    assert len(problems) == len(inconsistent)


def scores_with(total: str, iit: str | None = None) -> bytes:
    lines = [
        line
        for line in example_bytes_2565().decode("utf-8").splitlines()
        if not line.startswith(("total,", "IIT,"))
    ]
    lines.append(f"total,{total}")
    if iit is not None:
        lines.append(f"IIT,{iit}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_the_upload_preview_warns_of_totals_its_items_do_not_give(world: World) -> None:
    client = login(world, "officer_a")
    url = reverse("results:upload", args=[world.a.pk])

    def preview(content: bytes) -> str:
        file = SimpleUploadedFile("scores.csv", content)
        response = client.post(url, {"fiscal_year": 2565, "file": file})
        assert response.status_code == 200
        return response.content.decode()

    html = preview(scores_with("91.50", iit="95.00"))
    assert "ตัวเลขในไฟล์ไม่ตรงกับที่คำนวณจากคะแนนองค์ประกอบ" in html
    assert "total: ในไฟล์ 91.50 (แถว 110) แต่คำนวณจากองค์ประกอบได้ 90.52" in html
    assert "IIT: ในไฟล์ 95.00 (แถว 111) แต่คำนวณจากองค์ประกอบได้ 93.09" in html
    assert 'name="token"' in html  # a warning, not a block: the officer decides
    assert Assessment.objects.count() == 0
    # a rounding difference (0.01) is no warning
    assert "ไม่ตรงกับที่คำนวณ" not in preview(scores_with("90.53", iit="93.09"))
