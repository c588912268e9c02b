"""Survey handouts: the A4 poster with the public (EIT) link's QR code for the service counter,
and the staff (IIT) access-code slips, several to a page, to cut apart and hand out."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

import segno

from openita.documents.model import (
    Block,
    Document,
    Figure,
    Heading,
    Page,
    PageBreak,
    Paragraph,
    Run,
    Spacer,
    runs,
)
from openita.text.thai import format_date

SLIPS_PER_PAGE = 3


def qr_png(url: str, *, scale: int = 10) -> bytes:
    """A QR code of ``url`` as PNG (error correction M: survives a crease or a smudge)."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


def poster(
    *, agency: str, fiscal_year: int, title: str, url: str, opens: date, closes: date
) -> Document:
    period = f"ตั้งแต่วันที่ {format_date(opens)} ถึงวันที่ {format_date(closes)}"
    blocks = (
        Heading(agency, level=1, align="center"),
        Heading("ขอเชิญร่วมตอบแบบสำรวจความคิดเห็นต่อการให้บริการ", level=2, align="center"),
        Paragraph(runs(title), align="center", indent=False),
        Spacer(0.5),
        Figure(qr_png(url, scale=12), width_cm=9.0, caption="สแกนคิวอาร์โค้ดเพื่อตอบแบบสำรวจ", alt=url),
        Paragraph(runs("หรือเปิดลิงก์ ", Run(url, bold=True)), align="center", indent=False),
        Spacer(0.5),
        Paragraph(
            runs(
                "ใช้เวลาประมาณ 5 นาที ไม่ต้องระบุชื่อ ไม่มีการเก็บข้อมูลที่ระบุตัวท่าน "
                "คำตอบของท่านช่วยให้หน่วยงานปรับปรุงการให้บริการให้ดียิ่งขึ้น"
            ),
            align="center",
            indent=False,
        ),
        Paragraph(runs(period), align="center", indent=False),
    )
    return Document(
        kind="survey",
        title=f"แบบสำรวจ EIT {agency}",
        agency=agency,
        fiscal_year=fiscal_year,
        blocks=blocks,
        page=Page(top=2.0, bottom=2.0, left=2.0, right=2.0),
        page_numbers=False,
    )


def slips(
    *,
    agency: str,
    fiscal_year: int,
    title: str,
    url: str,
    codes: Sequence[str],
    closes: date,
    names: Sequence[str] = (),
) -> Document:
    """One slip per code: the link's QR code (the same for every slip: the code is typed, so it
    never travels in a URL that servers log), the code, and how to answer. ``names`` (optional,
    in the order of ``codes``) are printed on the slips to hand them out and kept nowhere else:
    codes are drawn at random, so the pairing says nothing the table could tell."""
    qr = qr_png(url, scale=6)
    blocks: list[Block] = []
    for n, code in enumerate(codes):
        if n and n % SLIPS_PER_PAGE == 0:
            blocks.append(PageBreak())
        blocks += [
            Heading(f"{title} — {agency}", level=3),
            *(
                [Paragraph(runs("สำหรับ: ", Run(names[n], bold=True)), indent=False)]
                if n < len(names)
                else []
            ),
            Paragraph(
                runs("รหัสเข้าตอบของท่าน: ", Run(code, bold=True), "  (ใช้ได้ครั้งเดียว ไม่ต้องระบุชื่อ)"),
                indent=False,
            ),
            Figure(qr, width_cm=2.6, caption="", alt=url),
            Paragraph(
                runs(f"สแกนคิวอาร์โค้ดหรือเปิด {url} แล้วกรอกรหัส ตอบได้ถึงวันที่ {format_date(closes)}"),
                size="small",
                indent=False,
            ),
            Paragraph(runs("✂ " + "-" * 60), size="small", indent=False, align="center"),
        ]
    return Document(
        kind="survey",
        title=f"รหัสเข้าตอบแบบสำรวจ IIT {agency}",
        agency=agency,
        fiscal_year=fiscal_year,
        blocks=tuple(blocks),
        page=Page(top=1.5, bottom=1.5, left=2.0, right=2.0),
        page_numbers=True,
    )
