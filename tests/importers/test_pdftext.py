"""PDF text through pdftotext, on PDFs made here from text written here."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from openita.importers import InputInvalid
from openita.importers.pdftext import PdfTextError, pdf_text
from openita.importers.report_files import load_report

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="no pdftotext")

ROWS = [
    ("การปฏิบัติหน้าที่", 86.95, 95.21),
    ("การใช้งบประมาณ", 77.31, 92.11),
    ("การใช้อำนาจ", 82.37, 94.38),
    ("การใช้ทรัพย์สินของราชการ", 76.87, 91.96),
    ("การแก้ไขปัญหาการทุจริต", 79.40, 91.82),
    ("คุณภาพการดำเนินงาน", 98.19, 81.03),
    ("ประสิทธิภาพการสื่อสาร", 76.45, 76.92),
    ("การปรับปรุงระบบการทำงาน", 87.27, 78.64),
    ("การเปิดเผยข้อมูล", 87.00, 94.64),
    ("การป้องกันการทุจริต", 87.50, 100.00),
]
HTML = """<!doctype html><html><head><meta charset="utf-8"><style>
body {{ font-family: Sarabun, Laksaman, sans-serif; font-size: 14pt }}
td, th {{ padding: 2pt 14pt; border: 1px solid #999 }}</style></head><body>
<h3>ผลการประเมิน ITA ของเทศบาลตำบลทดสอบ ประจำปีงบประมาณ พ.ศ. 2565</h3>
<p>คะแนนรวมปี 2564 มีคะแนน 85.30 คะแนน และคะแนนรวมปี 2565 มีคะแนน 90.52 คะแนน</p>
<table><tr><th>ตัวชี้วัด</th><th>ปี 2564</th><th>ปี 2565</th></tr>{rows}
<tr><td>ผลคะแนนรวม</td><td>85.26</td><td>90.52</td></tr></table></body></html>"""


def _pdf_bytes(html: str) -> bytes:
    try:
        from openita.documents.pdf import PdfPrinter, PdfUnavailable

        with PdfPrinter() as printer:
            return printer.print_html(html)
    except PdfUnavailable as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Chromium is missing: {exc}")


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = "".join(f"<tr><td>{n}</td><td>{a:.2f}</td><td>{b:.2f}</td></tr>" for n, a, b in ROWS)
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(_pdf_bytes(HTML.format(rows=rows)))
    return path


def test_text_of_a_pdf(report_pdf: Path) -> None:
    text = pdf_text(report_pdf)
    assert "การปฏิบัติหน้าที่" in text and "95.21" in text
    assert "การปฏิบัติหน้าที่" in pdf_text(report_pdf, layout=False)


def test_report_from_pdf(report_pdf: Path) -> None:
    found = load_report(report_pdf)
    assert found.agency is not None and found.agency.name == "เทศบาลตำบลทดสอบ"
    assert {c: f.value for c, f in found.years[2565].indicators.items()} == {
        f"ind{n}": b for n, (_, _, b) in enumerate(ROWS, 1)
    }
    assert found.years[2564].indicators["ind9"].value == 87.00
    year = found.years[2564]
    assert [(c.value, c.agrees) for c in year.totals if c.how == "sentence"] == [(85.30, False)]


def test_pdf_without_text_is_called_scanned(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(
        _pdf_bytes(
            "<html><body><div style='width:5cm;height:5cm;background:#000'></div></body></html>"
        )
    )
    found = load_report(path)
    assert [p.kind for p in found.problems] == ["no_text"]


def test_broken_pdf(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nthis is not really a pdf\n")
    with pytest.raises(PdfTextError):
        pdf_text(path)
    with pytest.raises(InputInvalid) as info:
        load_report(path)
    assert "not a readable PDF" in str(info.value)


def test_encrypted_message() -> None:
    from openita.importers.pdftext import _explain

    assert "encrypted" in _explain("Command Line Error: Incorrect password\n")
    assert "not a readable PDF (Syntax Error" in _explain("Syntax Error: broken xref\n")
