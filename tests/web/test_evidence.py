"""Evidence files of a round: checks (size, type, content), upload from the round page per
role, download (SHA-256 kept), delete (audited), and the progress report naming the files."""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import Any

import docx as python_docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openita.documents import docx
from openita.web.audit.models import Action, AuditEntry
from openita.web.evidence import files as evidence_files
from openita.web.evidence.models import EvidenceFile
from openita.web.plans import selectors, services
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan, PlanVersion
from tests.conftest import docx_plain
from tests.web.conftest import World
from tests.web.test_plans import READS_A, WRITES_A, drafted
from tests.web.test_views import ROLES, client_for

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
THAI_NAME = "รายงานการประชุม ครั้งที่ 1.pdf"


def docx_bytes() -> bytes:
    out = io.BytesIO()
    document = python_docx.Document()
    document.add_paragraph("หลักฐาน")
    document.save(out)
    return out.getvalue()


def upload_url(world: World, plan: MeasuresPlan, months: int = 6) -> str:
    return reverse("evidence:upload", args=[world.a.pk, plan.pk, months])


def upload(client: Any, world: World, plan: MeasuresPlan, *files: Any, measure: str = "M1") -> Any:
    return client.post(upload_url(world, plan), {"measure": measure, "files": list(files)})


def pdf_file(name: str = THAI_NAME, data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def evidence_of(plan: MeasuresPlan, measure: str = "M1", months: int = 6) -> list[str]:
    content = plan_of(selectors.current_version(plan).content)
    m = next(m for m in content.measures if m.id == measure)
    p = m.progress.get(months)  # type: ignore[call-overload]
    return list(p.evidence) if p else []


# --- the checks alone ---------------------------------------------------------------------------


def test_sniffing_and_names() -> None:
    assert evidence_files.sniff(PDF) == "pdf"
    assert evidence_files.sniff(PNG) == "png"
    assert evidence_files.sniff(EXE) is None
    assert evidence_files.sniff(docx_bytes()) == "docx"
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("a.txt", "x")
    assert evidence_files.sniff(plain_zip.getvalue()) is None
    assert evidence_files.display_name("C:\\เอกสาร\\รูป: ก*ข.PNG") == "รูป_ ก_ข.png"
    assert evidence_files.display_name("../../etc/passwd.pdf") == "passwd.pdf"
    long = evidence_files.display_name("ก" * 300 + ".pdf")
    assert len(long) == 200 and long.endswith(".pdf")
    assert evidence_files.unique_name("a.pdf", {"a.pdf", "a (2).pdf"}) == "a (3).pdf"
    with pytest.raises(evidence_files.FileRefused) as exc:
        evidence_files.check("setup.pdf", EXE)
    assert exc.value.problem == "content"
    with pytest.raises(evidence_files.FileRefused):
        evidence_files.check("setup.exe", EXE)
    with pytest.raises(evidence_files.FileRefused):
        evidence_files.check("big.pdf", PDF + b"x" * 100, limit=50)


# --- upload, download, delete through the pages ------------------------------------------------


def test_upload_keeps_the_file_and_names_it_in_the_plan(world: World) -> None:
    plan = drafted(world)
    client = client_for(world, "officer_a")
    response = upload(client, world, plan, pdf_file())
    assert response.status_code == 302
    stored = EvidenceFile.objects.get()
    assert stored.name == THAI_NAME and stored.size == len(PDF)
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    assert stored.stored_name == f"evidence-{stored.pk}.pdf"
    assert stored.uploaded_by == world.users["officer_a"]
    assert evidence_of(plan) == [THAI_NAME]
    assert selectors.current_version(plan).number == 2
    entry = AuditEntry.objects.filter(object_type="evidence.evidencefile").get()
    assert entry.action == Action.CREATE and entry.after["sha256"] == stored.sha256
    page = client.get(reverse("plans:progress", args=[world.a.pk, plan.pk, 6]))
    assert THAI_NAME in page.content.decode()
    assert reverse("evidence:download", args=[world.a.pk, stored.pk]) in page.content.decode()
    # the progress report of the round names the file
    document = selectors.round_document(selectors.current_version(plan), 6, "progress", None)  # type: ignore[arg-type]
    text = "\n".join(
        cell.text
        for table in python_docx.Document(io.BytesIO(docx.render_docx(document))).tables
        for row in table.rows
        for cell in row.cells
    )
    assert THAI_NAME in docx_plain(text)
    # the same file again (a double submit) is kept once, no new version
    assert upload(client, world, plan, pdf_file()).status_code == 302
    assert EvidenceFile.objects.count() == 1
    assert selectors.current_version(plan).number == 2
    # another file of the same name gets its own name
    assert upload(client, world, plan, pdf_file(data=PDF + b"% other\n")).status_code == 302
    assert evidence_of(plan) == [THAI_NAME, "รายงานการประชุม ครั้งที่ 1 (2).pdf"]


def test_download_matches_sha256(world: World) -> None:
    plan = drafted(world)
    upload(client_for(world, "officer_a"), world, plan, pdf_file())
    stored = EvidenceFile.objects.get()
    response = client_for(world, "viewer_a").get(
        reverse("evidence:download", args=[world.a.pk, stored.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert hashlib.sha256(response.content).hexdigest() == stored.sha256


@pytest.mark.parametrize("role", [None, *ROLES])
def test_upload_and_download_per_role(world: World, role: str | None) -> None:
    plan = drafted(world)
    upload(client_for(world, "officer_a"), world, plan, pdf_file("ก.pdf"))
    stored = EvidenceFile.objects.get()
    client = client_for(world, role)
    response = upload(client, world, plan, pdf_file("ข.pdf", PDF + b"%2\n"))
    download = client.get(reverse("evidence:download", args=[world.a.pk, stored.pk]))
    page = client.get(reverse("plans:progress", args=[world.a.pk, plan.pk, 6]))
    if role is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert download.status_code == 302
    elif role in WRITES_A:
        assert response.status_code == 302
        assert download.status_code == 200
        assert 'name="files"' in page.content.decode()
    else:
        assert response.status_code == 404
        assert download.status_code == (200 if role in READS_A else 404)
        if role in READS_A:
            assert 'name="files"' not in page.content.decode()
            assert "ก.pdf" in page.content.decode()
    expected = 2 if role in WRITES_A else 1
    assert EvidenceFile.objects.count() == expected


def test_other_agencies_files_are_404(world: World) -> None:
    plan = drafted(world)
    upload(client_for(world, "officer_a"), world, plan, pdf_file())
    stored = EvidenceFile.objects.get()
    officer_b = client_for(world, "officer_b")
    # by its own agency's URL (b) the file of agency a is not found either
    assert (
        officer_b.get(reverse("evidence:download", args=[world.b.pk, stored.pk])).status_code == 404
    )
    assert (
        officer_b.post(reverse("evidence:delete", args=[world.b.pk, stored.pk])).status_code == 404
    )
    assert (
        officer_b.post(reverse("evidence:delete", args=[world.a.pk, stored.pk])).status_code == 404
    )
    other = MeasuresPlan.objects.create(agency=world.b, fiscal_year=2566)
    bad = reverse("evidence:upload", args=[world.a.pk, other.pk, 6])
    assert client_for(world, "officer_a").post(bad, {"measure": "M1"}).status_code == 404
    assert EvidenceFile.objects.count() == 1


def test_oversize_and_disguised_files_are_refused(world: World, settings: Any) -> None:
    settings.OPENITA_EVIDENCE_MAX_BYTES = 1024
    plan = drafted(world)
    client = client_for(world, "officer_a")
    cases = [
        (pdf_file("ใหญ่.pdf", PDF + b"0" * 2000), "ใหญ่.pdf", "0.000976562 MB"),
        (pdf_file("setup.pdf", EXE), "setup.pdf", "ไม่ตรงกับนามสกุล"),
        (SimpleUploadedFile("setup.exe", EXE), "setup.exe", "ไม่ใช่ชนิดที่รับ"),
        (SimpleUploadedFile("ว่าง.pdf", b""), "ว่าง.pdf", "ว่างเปล่า"),
    ]
    for item, name, words in cases:
        response = upload(client, world, plan, item)
        assert response.status_code == 400, name
        text = response.content.decode()
        assert name in text and words in text, name
    # one good file with one bad one: nothing of the batch is kept
    response = upload(client, world, plan, pdf_file("ดี.pdf"), pdf_file("setup.pdf", EXE))
    assert response.status_code == 400 and "setup.pdf" in response.content.decode()
    assert EvidenceFile.objects.count() == 0
    assert PlanVersion.objects.filter(plan=plan).count() == 1
    # a real DOCX and a PNG are taken; an unknown measure is refused
    settings.OPENITA_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
    assert (
        upload(client, world, plan, SimpleUploadedFile("บันทึก.docx", docx_bytes())).status_code
        == 302
    )
    assert upload(client, world, plan, SimpleUploadedFile("รูป.PNG", PNG)).status_code == 302
    assert upload(client, world, plan, pdf_file(), measure="M999").status_code == 400
    assert upload(client, world, plan).status_code == 400  # no file chosen
    assert sorted(EvidenceFile.objects.values_list("name", flat=True)) == ["บันทึก.docx", "รูป.png"]


def test_delete_by_officer_is_audited(world: World) -> None:
    plan = drafted(world)
    officer = client_for(world, "officer_a")
    upload(officer, world, plan, pdf_file())
    stored = EvidenceFile.objects.get()
    delete = reverse("evidence:delete", args=[world.a.pk, stored.pk])
    for role in ("viewer_a", "executive_a", "provincial"):
        assert client_for(world, role).post(delete).status_code == 404
    assert EvidenceFile.objects.count() == 1
    assert officer.post(delete).status_code == 302
    assert not EvidenceFile.objects.exists()
    assert evidence_of(plan) == []
    entry = AuditEntry.objects.get(action=Action.DELETE, object_type="evidence.evidencefile")
    assert entry.actor == world.users["officer_a"] and entry.before["name"] == THAI_NAME
    assert officer.post(delete).status_code == 404  # gone: a second delete finds nothing


def test_a_file_whose_name_was_erased_is_flagged(world: World) -> None:
    plan = drafted(world)
    client = client_for(world, "officer_a")
    upload(client, world, plan, pdf_file())
    version = selectors.current_version(plan)
    content = plan_of(version.content)
    measures = [
        m.model_copy(update={"progress": {6: m.progress[6].model_copy(update={"evidence": []})}})
        if m.id == "M1"
        else m
        for m in content.measures
    ]
    services.plan_save(
        plan=plan,
        user=None,
        content=content.model_copy(update={"measures": measures}),
        base_version=version.number,
    )
    page = client.get(reverse("plans:progress", args=[world.a.pk, plan.pk, 6])).content.decode()
    assert THAI_NAME in page and "ไม่อยู่ในรายงาน" in page


def test_admin_lists_are_read_only(world: World) -> None:
    plan = drafted(world)
    upload(client_for(world, "officer_a"), world, plan, pdf_file())
    admin = client_for(world, "admin")
    for name in ("evidence/evidencefile", "unitlinks/unitlink", "reminders/remindersent"):
        assert admin.get(f"/admin/{name}/").status_code == 200, name
    stored = EvidenceFile.objects.get()
    page = admin.get(f"/admin/evidence/evidencefile/{stored.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
