"""Demo settings of the first demo agency: fictional address, memo settings, units and
signers, so that its memo downloads work out of the box. Safe to run again (nothing doubles,
and an unchanged save records nothing)."""

from __future__ import annotations

from openita.web.agencies.models import Agency
from openita.web.agencies.selectors import settings_of
from openita.web.agencies.services import agency_settings_save, signers_data, unit_add

UNITS = ("สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา", "กองสาธารณสุขและสิ่งแวดล้อม")
ADDRESS = "เลขที่ 99 หมู่ 1 ตำบลตัวอย่าง อำเภอเมืองตัวอย่าง จังหวัดตัวอย่าง 99999"


def load_settings(*, agency: Agency) -> None:
    """Fill the agency's settings with fictional people and places (all names invented)."""
    for name in UNITS:
        unit_add(agency=agency, user=None, name=name)
    signers = signers_data(
        officer={"name": "นางสาวตัวอย่าง ใจดี", "position": "นิติกร"},
        reviewers=[
            {"name": "นายทดลอง ตั้งใจ", "position": "หัวหน้าสำนักปลัด"},
            {"name": "นางสาธิต มั่นคง", "position": "ปลัดเทศบาล"},
        ],
        executive={"name": "นายจำลอง รักถิ่น", "position": "นายกเทศมนตรีตำบลตัวอย่าง"},
    )
    agency_settings_save(
        agency=agency,
        user=None,
        address=ADDRESS,
        website="https://www.example.go.th",
        memo_unit=f"สำนักปลัด {agency.name} อำเภอเมืองตัวอย่าง จังหวัดตัวอย่าง",
        memo_prefix="ตย ๙๙๙๐๑/",
        signers=signers,
        base_version=settings_of(agency).version,
    )
