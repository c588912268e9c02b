"""Agency settings: details, signers, units, emblem and letterhead, for every role; edits
audited, stale edits and double submits, bad files, and the documents that use them."""

from __future__ import annotations

import io
from typing import Any

import docx as python_docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx.shared import Cm
from PIL import Image

from openita.web.agencies import selectors as agency_selectors
from openita.web.agencies import services as agency_services
from openita.web.agencies.demo import load_settings
from openita.web.agencies.models import AgencyFile, AgencySettings, FileKind, Unit
from openita.web.audit.models import Action, AuditEntry
from openita.web.plans import selectors as plan_selectors
from openita.web.plans.content import plan_of
from openita.web.plans.models import PlanVersion
from openita.web.results.models import Assessment
from tests.conftest import docx_plain
from tests.web.conftest import World
from tests.web.test_plans import READS_A, WRITES_A, drafted
from tests.web.test_views import ROLES, client_for

HEADER = "ตราหน่วยงาน"
OFFICER = "นางสาวตัวอย่าง ใจดี"
EXECUTIVE = "นายจำลอง รักถิ่น"
REVIEWERS = ("นายทดลอง ตั้งใจ", "นางสาธิต มั่นคง")


def url(world: World, name: str = "settings", *args: Any) -> str:
    return reverse(f"agencies:{name}", args=[world.a.pk, *args])


def settings_data(version: int = 0, **changes: Any) -> dict[str, Any]:
    """The settings form as an officer fills it: details, officer, two reviewers, executive."""
    data: dict[str, Any] = {
        "base_version": version,
        "address": "เลขที่ 1 ตำบลตัวอย่าง",
        "website": "www.example.go.th",
        "memo_unit": "สำนักปลัด เทศบาลตำบลตัวอย่าง",
        "memo_prefix": "ตย ๙๙๙๐๑/",
        "officer_name": OFFICER,
        "officer_position": "นิติกร",
        "executive_name": EXECUTIVE,
        "executive_position": "นายกเทศมนตรีตำบลตัวอย่าง",
        "executive_position_extra": "",
        "r-TOTAL_FORMS": 3,
        "r-INITIAL_FORMS": 0,
        "r-MIN_NUM_FORMS": 0,
        "r-MAX_NUM_FORMS": 10,
        "r-0-name": REVIEWERS[0],
        "r-0-position": "หัวหน้าสำนักปลัด",
        "r-0-ORDER": 1,
        "r-1-name": REVIEWERS[1],
        "r-1-position": "ปลัดเทศบาล",
        "r-1-ORDER": 2,
    }
    data.update(changes)
    return data


def page_data(client: Client, world: World) -> dict[str, Any]:
    """The settings form exactly as the page fills it (all rows, their initial values)."""
    response = client.get(url(world))
    assert response.status_code == 200
    form, formset = response.context["form"], response.context["formset"]
    data: dict[str, Any] = {name: form.initial.get(name, "") for name in form.fields}
    for key, value in formset.management_form.initial.items():
        data[f"r-{key}"] = value
    for sub in formset.forms:
        for name in sub.fields:
            if name != "DELETE":
                data[f"{sub.prefix}-{name}"] = (sub.initial or {}).get(name, "")
    return data


def png(width: int = 60, height: int = 60, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (180, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def letterhead() -> bytes:
    """A letterhead as an agency makes it in Word: A4, its own margins, a header text."""
    template = python_docx.Document()
    section = template.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3.5), Cm(1.5)
    section.header.paragraphs[0].text = HEADER
    template.add_paragraph("เนื้อความในแม่แบบ")
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def docx_text(data: bytes) -> str:
    document = python_docx.Document(io.BytesIO(data))
    return docx_plain("\n".join(p.text for p in document.paragraphs)) + docx_plain(
        "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    )


def upload(client: Client, world: World, kind: str, name: str, data: bytes) -> Any:
    return client.post(url(world, "file_upload", kind), {"file": SimpleUploadedFile(name, data)})


def stored(world: World) -> AgencySettings:
    return AgencySettings.objects.get(agency=world.a)


# --- every role -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [None, *ROLES])
def test_settings_page_per_role(world: World, role: str | None) -> None:
    client = client_for(world, role)
    response = client.get(url(world))
    if role is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in READS_A:
        assert response.status_code == 200
        page = response.content.decode()
        assert "ตั้งค่าหน่วยงาน" in page
        assert ('name="officer_name"' in page) == (role in WRITES_A)
        assert (url(world, "unit_add") in page) == (role in WRITES_A)
    else:
        assert response.status_code == 404
    post = client.post(url(world), settings_data())
    unit = client.post(url(world, "unit_add"), {"name": "กองคลัง"})
    emblem = upload(client, world, "emblem", "garuda.png", png())
    if role is None or role in WRITES_A:
        assert post.status_code == unit.status_code == emblem.status_code == 302
    else:
        assert post.status_code == unit.status_code == emblem.status_code == 404
    expected = role in WRITES_A
    assert AgencySettings.objects.filter(agency=world.a, version=1).exists() == expected
    assert Unit.objects.filter(agency=world.a, name="กองคลัง").exists() == expected
    assert AgencyFile.objects.filter(agency=world.a).exists() == expected


def test_agency_page_links_to_settings(world: World) -> None:
    page = client_for(world, "viewer_a").get(reverse("agency", args=[world.a.pk]))
    assert url(world) in page.content.decode()


@pytest.mark.parametrize("role", ["officer_a", "officer_b", "viewer_a", "provincial"])
def test_guessed_urls_give_404(world: World, role: str) -> None:
    other = Unit.objects.create(agency=world.c, name="กองช่าง")
    AgencyFile.objects.create(
        agency=world.c, kind=FileKind.EMBLEM, name="x.png", data=png(), size=1, sha256="-"
    )
    client = client_for(world, role)
    c = world.c.pk
    assert client.get(reverse("agencies:settings", args=[c])).status_code == 404
    assert client.get(reverse("agencies:file", args=[c, "emblem"])).status_code == 404
    assert client.get(url(world, "file", "other")).status_code == 404
    if role == "officer_a":
        rename = url(world, "unit_rename", other.pk)
        assert client.post(rename, {"current": "กองช่าง", "name": "กองใหม่"}).status_code == 404
        assert client.post(url(world, "file_upload", "other"), {}).status_code == 404
    assert Unit.objects.get(pk=other.pk).name == "กองช่าง"


# --- details and signers ----------------------------------------------------------------------


def test_settings_saved_and_audited(world: World) -> None:
    client = client_for(world, "officer_a")
    response = client.post(url(world), settings_data())
    assert response.status_code == 302
    found = stored(world)
    assert found.version == 1 and found.updated_by == world.users["officer_a"]
    assert found.website == "https://www.example.go.th"
    assert found.memo_prefix == "ตย ๙๙๙๐๑/"
    signers = agency_selectors.signers_of(found)
    assert signers is not None
    assert signers.officer.name == OFFICER
    assert [p.name for p in signers.reviewers] == list(REVIEWERS)
    assert signers.executive.position == "นายกเทศมนตรีตำบลตัวอย่าง"
    entry = AuditEntry.objects.get(agency=world.a, object_type="agencies.agencysettings")
    assert entry.action == Action.CHANGE and entry.actor == world.users["officer_a"]
    assert entry.before["memo_prefix"] == "" and entry.after["memo_prefix"] == "ตย ๙๙๙๐๑/"
    assert entry.after["signers"]["officer"]["name"] == OFFICER
    page = client.get(url(world)).content.decode()
    assert OFFICER in page and "ตย ๙๙๙๐๑/" in page


def test_read_only_page_shows_the_settings(world: World) -> None:
    client_for(world, "officer_a").post(url(world), settings_data())
    page = client_for(world, "executive_a").get(url(world)).content.decode()
    assert OFFICER in page and REVIEWERS[1] in page and EXECUTIVE in page
    assert 'name="officer_name"' not in page and 'name="file"' not in page


def test_reviewers_reordered_and_removed(world: World) -> None:
    client = client_for(world, "officer_a")
    client.post(url(world), settings_data())
    data = page_data(client, world)
    assert data["r-0-name"] == REVIEWERS[0] and data["r-INITIAL_FORMS"] == 2
    data["r-0-ORDER"], data["r-1-ORDER"] = 2, 1
    assert client.post(url(world), data).status_code == 302
    assert [p.name for p in agency_selectors.reviewers_of(stored(world))] == [
        REVIEWERS[1],
        REVIEWERS[0],
    ]
    data = page_data(client, world)
    data["r-1-DELETE"] = "on"  # the second row is now REVIEWERS[0]
    data["r-2-name"], data["r-2-position"] = "นายใหม่ ใจกว้าง", "รองปลัดเทศบาล"
    assert client.post(url(world), data).status_code == 302
    names = [p.name for p in agency_selectors.reviewers_of(stored(world))]
    assert names == [REVIEWERS[1], "นายใหม่ ใจกว้าง"]
    assert stored(world).version == 3


def test_a_person_needs_name_and_position(world: World) -> None:
    response = client_for(world, "officer_a").post(
        url(world), settings_data(officer_position="", **{"r-1-name": ""})
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "โปรดกรอกตำแหน่งด้วย" in page and "โปรดกรอกชื่อด้วย" in page
    assert not AgencySettings.objects.filter(agency=world.a).exists()


def test_stale_edit_is_refused_and_keeps_the_input(world: World) -> None:
    first, second = client_for(world, "officer_a"), client_for(world, "admin")
    mine = page_data(second, world)  # opened at version 0
    assert first.post(url(world), settings_data()).status_code == 302
    mine.update(address="ที่อยู่ของผู้ที่สอง", officer_name="นายสอง", officer_position="นิติกร")
    response = second.post(url(world), mine)
    assert response.status_code == 409
    page = response.content.decode()
    assert "มีผู้อื่นบันทึกการตั้งค่านี้ก่อนคุณ" in page and "officer_a" in page
    assert "ที่อยู่ของผู้ที่สอง" in page  # the input stays
    assert stored(world).address == "เลขที่ 1 ตำบลตัวอย่าง" and stored(world).version == 1
    retry = dict(mine, base_version=response.context["form"].data["base_version"])
    assert second.post(url(world), retry).status_code == 302
    assert stored(world).address == "ที่อยู่ของผู้ที่สอง" and stored(world).version == 2


def test_double_submit_changes_nothing(world: World) -> None:
    client = client_for(world, "officer_a")
    assert client.post(url(world), settings_data()).status_code == 302
    again = client.post(url(world), settings_data(), follow=True)
    assert "ไม่มีการเปลี่ยนแปลง" in again.content.decode()
    assert stored(world).version == 1
    assert AuditEntry.objects.filter(object_type="agencies.agencysettings").count() == 1


# --- units ------------------------------------------------------------------------------------


def test_units_added_renamed_removed_thai_sorted(world: World) -> None:
    client = client_for(world, "officer_a")
    for name in ("กองช่าง", "สำนักปลัด", "กองคลัง", "กองคลัง"):
        assert client.post(url(world, "unit_add"), {"name": name}).status_code == 302
    assert [u.name for u in agency_selectors.units_of(world.a)] == [
        "กองคลัง",
        "กองช่าง",
        "สำนักปลัด",
    ]
    unit = Unit.objects.get(agency=world.a, name="กองช่าง")
    rename = url(world, "unit_rename", unit.pk)
    assert client.post(rename, {"current": "กองช่าง", "name": "กองโยธา"}).status_code == 302
    # a double submit of the same rename: nothing more happens
    assert client.post(rename, {"current": "กองช่าง", "name": "กองโยธา"}).status_code == 302
    taken = client.post(rename, {"current": "กองโยธา", "name": "กองคลัง"})
    assert taken.status_code == 400 and "มีส่วนงานชื่อ" in taken.content.decode()
    remove = url(world, "unit_remove", unit.pk)
    assert client.post(remove).status_code == 302
    assert client.post(remove, follow=True).status_code == 200  # gone already: a message
    assert [u.name for u in agency_selectors.units_of(world.a)] == ["กองคลัง", "สำนักปลัด"]
    actions = list(
        AuditEntry.objects.filter(object_type="agencies.unit")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create"] * 3 + ["change", "delete"]
    short = client.post(url(world, "unit_add"), {"name": "ก"})
    assert short.status_code == 400


def test_stale_rename_is_refused(world: World) -> None:
    unit = Unit.objects.create(agency=world.a, name="กองช่าง")
    agency_services.unit_rename(
        agency=world.a, user=None, unit_id=unit.pk, current="กองช่าง", name="กองโยธา"
    )
    response = client_for(world, "officer_a").post(
        url(world, "unit_rename", unit.pk), {"current": "กองช่าง", "name": "กองช่างใหม่"}
    )
    assert response.status_code == 409
    assert "กองโยธา" in response.content.decode()
    assert Unit.objects.get(pk=unit.pk).name == "กองโยธา"


def test_unit_in_use_asks_before_removal_and_plans_keep_it(world: World) -> None:
    plan = drafted(world)
    version = plan_selectors.current_version(plan)
    used = plan_of(version.content).measures[0].unit
    unit, _ = Unit.objects.get_or_create(agency=world.a, name=used)
    client = client_for(world, "officer_a")
    asked = client.post(url(world, "unit_remove", unit.pk))
    assert asked.status_code == 409
    page = asked.content.decode()
    assert "2566" in page and 'name="confirm"' in page
    assert Unit.objects.filter(pk=unit.pk).exists()
    rename = client.post(
        url(world, "unit_rename", unit.pk), {"current": used, "name": f"{used} (ใหม่)"}
    )
    assert rename.status_code == 302
    assert plan_of(PlanVersion.objects.get(pk=version.pk).content).measures[0].unit == used
    confirmed = client.post(url(world, "unit_remove", unit.pk), {"confirm": "1"})
    assert confirmed.status_code == 302 and not Unit.objects.filter(pk=unit.pk).exists()
    assert PlanVersion.objects.filter(plan=plan).count() == 1


# --- emblem and letterhead --------------------------------------------------------------------


def test_emblem_stored_shown_replaced_and_removed(world: World) -> None:
    client = client_for(world, "officer_a")
    assert upload(client, world, "emblem", "garuda.png", png(60, 80)).status_code == 302
    found = agency_selectors.file_of(world.a, FileKind.EMBLEM)
    assert found is not None and (found.width, found.height) == (60, 80)
    page = client_for(world, "viewer_a").get(url(world)).content.decode()
    assert "garuda.png" in page and "60×80" in page
    image = client_for(world, "viewer_a").get(url(world, "file", "emblem"))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    # a JPEG is kept as PNG (the memo embeds PNG)
    assert upload(client, world, "emblem", "garuda.jpg", png(40, 40, "JPEG")).status_code == 302
    data = agency_selectors.emblem_of(world.a)
    assert data is not None and data.startswith(b"\x89PNG")
    assert AgencyFile.objects.filter(agency=world.a).count() == 1
    assert client.post(url(world, "file_remove", "emblem")).status_code == 302
    assert agency_selectors.emblem_of(world.a) is None
    assert client.post(url(world, "file_remove", "emblem")).status_code == 302  # gone already
    actions = AuditEntry.objects.filter(object_type="agencies.agencyfile")
    assert sorted(actions.values_list("action", flat=True)) == ["change", "create", "delete"]


@pytest.mark.parametrize(
    ("kind", "name", "data", "message"),
    [
        ("emblem", "big.png", png() + b"\0" * (1024 * 1024), "1 MB"),
        ("emblem", "notes.png", "ไม่ใช่รูปภาพ".encode(), "ไม่ใช่รูปภาพ PNG หรือ JPEG"),
        ("emblem", "truncated.png", png(200, 200)[:-40], "ไม่ใช่รูปภาพ PNG หรือ JPEG"),
        ("emblem", "anim.gif", b"GIF89a" + png()[6:], "ไม่ใช่รูปภาพ PNG หรือ JPEG"),
        ("letterhead", "huge.docx", b"PK" + b"\0" * (5 * 1024 * 1024), "5 MB"),
        ("letterhead", "broken.docx", b"PK\x03\x04 not really a zip", "ไม่ใช่ไฟล์ Word"),
        ("letterhead", "image.docx", png(), "ไม่ใช่ไฟล์ Word"),
    ],
)
def test_bad_files_are_refused_and_nothing_changes(
    world: World, kind: str, name: str, data: bytes, message: str
) -> None:
    client = client_for(world, "officer_a")
    good = png() if kind == "emblem" else letterhead()
    assert upload(client, world, kind, f"good.{'png' if kind == 'emblem' else 'docx'}", good)
    before = AgencyFile.objects.get(agency=world.a, kind=kind)
    entries = AuditEntry.objects.count()
    response = upload(client, world, kind, name, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert name in page and message in page
    after = AgencyFile.objects.get(agency=world.a, kind=kind)
    assert (after.name, bytes(after.data)) == (before.name, bytes(before.data))
    assert AuditEntry.objects.count() == entries


def test_letterhead_needs_a_file(world: World) -> None:
    response = client_for(world, "officer_a").post(url(world, "file_upload", "letterhead"), {})
    assert response.status_code == 400
    assert not AgencyFile.objects.exists()


# --- documents use the settings ---------------------------------------------------------------


def test_memo_of_an_older_plan_uses_the_current_signers(world: World) -> None:
    plan = drafted(world)  # drafted before any signers were entered
    assert plan_of(plan_selectors.current_version(plan).content).agency.signers is None
    address = reverse("plans:progress_download", args=[world.a.pk, plan.pk, 6, "memo", "docx"])
    client = client_for(world, "viewer_a")
    missing = client.get(address)
    assert missing.status_code == 400 and url(world) in missing.content.decode()
    load_settings(agency=world.a)
    upload(client_for(world, "officer_a"), world, "emblem", "garuda.png", png())
    response = client.get(address)
    assert response.status_code == 200
    text = docx_text(response.content)
    for name in (OFFICER, *REVIEWERS, EXECUTIVE, "ตย ๙๙๙๐๑/"):
        assert name in text, name
    document = python_docx.Document(io.BytesIO(response.content))
    assert len(document.inline_shapes) == 1  # the emblem
    assert PlanVersion.objects.filter(plan=plan).count() == 1  # nothing stored


def test_new_draft_carries_the_settings(world: World) -> None:
    load_settings(agency=world.a)
    plan = drafted(world)
    agency = plan_of(plan_selectors.current_version(plan).content).agency
    assert agency.signers is not None and agency.signers.officer.name == OFFICER
    assert agency.memo_prefix == "ตย ๙๙๙๐๑/" and agency.website == "https://www.example.go.th"
    assert agency.address and "สำนักปลัด" in agency.units
    assert agency.units == [u.name for u in agency_selectors.units_of(world.a)]


def test_letterhead_kept_in_docx_downloads(world: World) -> None:
    plan = drafted(world)
    client = client_for(world, "officer_a")
    load_settings(agency=world.a)
    assert upload(client, world, "letterhead", "หัวกระดาษ.docx", letterhead()).status_code == 302
    addresses = [
        reverse("plans:download", args=[world.a.pk, plan.pk, 1, "docx"]),
        reverse("plans:progress_download", args=[world.a.pk, plan.pk, 6, "progress", "docx"]),
        reverse("plans:progress_download", args=[world.a.pk, plan.pk, 6, "memo", "docx"]),
        reverse("results:download", args=[world.a.pk, 2565, "docx"]),
    ]
    for address in addresses:
        response = client_for(world, "viewer_a").get(address)
        assert response.status_code == 200, address
        document = python_docx.Document(io.BytesIO(response.content))
        section = document.sections[0]
        assert section.header.paragraphs[0].text == HEADER, address
        assert round((section.left_margin or 0) / 360000, 2) == 3.5, address
        assert "เนื้อความในแม่แบบ" not in docx_text(response.content)
        assert world.a.name in docx_text(response.content), address
    other = saved_b_download(world)
    assert HEADER not in python_docx.Document(io.BytesIO(other)).sections[0].header._element.xml


def saved_b_download(world: World) -> bytes:
    """Agency b's analysis: it has no letterhead, so none of agency a's either."""
    source = Assessment.objects.get(agency=world.a, fiscal_year=2565)
    Assessment.objects.create(
        agency=world.b,
        fiscal_year=2565,
        framework_id=source.framework_id,
        scores=source.scores,
        source_name="b.csv",
        content_hash=source.content_hash,
    )
    response = client_for(world, "officer_b").get(
        reverse("results:download", args=[world.b.pk, 2565, "docx"])
    )
    assert response.status_code == 200
    return bytes(response.content)


def test_demo_settings_load_twice(world: World) -> None:
    load_settings(agency=world.a)
    load_settings(agency=world.a)
    assert stored(world).version == 1
    assert Unit.objects.filter(agency=world.a).count() == 5
    assert AuditEntry.objects.filter(object_type="agencies.agencysettings").count() == 1
    signers = agency_selectors.signers_of(stored(world))
    assert signers is not None and [p.position for p in signers.reviewers] == [
        "หัวหน้าสำนักปลัด",
        "ปลัดเทศบาล",
    ]
