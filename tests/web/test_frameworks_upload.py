"""Uploading a corrected framework in the web app: validated (every problem with its line, in
Thai, a 400 page, nothing stored), versioned, audited, site admins only; and the database
provider the loader reads it through."""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from openita import frameworks
from openita.frameworks import loader
from openita.web.audit.models import Action, AuditEntry
from openita.web.frameworks import services
from openita.web.frameworks.messages import thai_problem
from openita.web.frameworks.models import FrameworkVersion, Origin
from openita.web.frameworks.registry import PROVIDER, DatabaseFrameworks
from tests.web.conftest import World
from tests.web.test_views import client_for

NON_ADMINS = ["officer_a", "officer_b", "executive_a", "viewer_a", "provincial"]


@pytest.fixture
def db_frameworks(db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[DatabaseFrameworks]:
    """The web app's provider, as the app registers it, reading the database on every look-up
    (the tests' transactions never commit, so the forget-at-commit never runs)."""
    monkeypatch.setattr(PROVIDER, "ttl", 0.0)
    PROVIDER.forget()
    loader.register_provider(PROVIDER)
    yield PROVIDER
    loader.unregister_provider(PROVIDER)
    PROVIDER.forget()


def framework_data(framework_id: str = "ita-2565") -> dict[str, Any]:
    where = frameworks.available()[framework_id]
    data: dict[str, Any] = yaml.safe_load(open(where, encoding="utf-8").read())  # noqa: SIM115
    return data


def yaml_text(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def corrected(
    framework_id: str = "ita-2565", *, version: int | None = None, weights: tuple[int, ...] = ()
) -> bytes:
    """The built-in framework as a corrected file: the next version, other tool weights."""
    data = framework_data(framework_id)
    data["version"] = version if version is not None else frameworks.get(framework_id).version + 1
    for tool, weight in zip(data["tools"], weights, strict=False):
        tool["weight"] = weight
    return yaml_text(data).encode("utf-8")


def post_upload(client: Client, content: bytes, name: str = "ita-2565.yaml", note: str = "") -> Any:
    upload = SimpleUploadedFile(name, content, content_type="application/yaml")
    return client.post(reverse("frameworks:upload"), {"file": upload, "note": note})


def line_of(text: str, startswith: str, nth: int = 1) -> int:
    seen = 0
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith(startswith):
            seen += 1
            if seen == nth:
                return number
    raise AssertionError(startswith)


def last_line_of(text: str, startswith: str) -> int:
    found = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith(startswith)]
    assert found, startswith
    return found[-1]


# --- a valid upload -----------------------------------------------------------------------------


def test_a_valid_upload_becomes_the_current_version(world: World, db_frameworks: Any) -> None:
    builtin = frameworks.get("ita-2565")
    client = client_for(world, "admin")
    got = post_upload(client, corrected(weights=(25, 35, 40)), note="น้ำหนักตามคู่มือฉบับแก้ไข")
    assert got.status_code == 302
    assert got["Location"] == reverse("frameworks:detail", args=["ita-2565"])
    stored = FrameworkVersion.objects.get(framework_id="ita-2565", origin=Origin.UPLOAD)
    assert stored.version == builtin.version + 1
    assert stored.uploaded_by == world.users["admin"] and stored.note == "น้ำหนักตามคู่มือฉบับแก้ไข"
    # the version it replaced is kept as it was, so results pinned to it never change
    kept = FrameworkVersion.objects.get(framework_id="ita-2565", origin=Origin.BUILTIN)
    assert kept.version == builtin.version
    assert frameworks.get(f"ita-2565@{builtin.version}") == builtin
    now = frameworks.get("ita-2565")
    assert now.version == builtin.version + 1
    assert [t.weight for t in now.tools] == [25, 35, 40]
    assert frameworks.for_year(2565) == now
    entry = AuditEntry.objects.get(object_type="frameworks.frameworkversion")
    assert entry.action == Action.CREATE and entry.actor == world.users["admin"]
    assert f"ita-2565 รุ่น {now.version}" in entry.summary
    assert entry.after["previous_version"] == builtin.version
    # the list and the detail pages show it
    listing = client.get(reverse("frameworks:index")).content.decode()
    assert "ita-2565" in listing and "อัปโหลด" in listing
    page = client.get(reverse("frameworks:detail", args=["ita-2565"])).content.decode()
    assert "น้ำหนักตามคู่มือฉบับแก้ไข" in page and "25%" in page
    old = client.get(reverse("frameworks:detail", args=["ita-2565"]), {"version": builtin.version})
    assert old.status_code == 200 and "30%" in old.content.decode()
    text = client.get(reverse("frameworks:download", args=["ita-2565", now.version]))
    assert frameworks.parse(text.content.decode(), "x.yaml") == now


def test_versions_must_increase_gaps_allowed_and_a_double_submit_saves_once(
    world: World, db_frameworks: Any
) -> None:
    client = client_for(world, "admin")
    v = frameworks.get("ita-2565").version
    same = post_upload(client, corrected(version=v, weights=(25, 35, 40)))
    assert same.status_code == 400
    page = same.content.decode()
    assert f"ต้องมากกว่ารุ่นปัจจุบัน {v} (ระบุ version: {v + 1})" in page
    assert "ยังไม่ได้บันทึกข้อมูลใด" in page
    assert not FrameworkVersion.objects.exists()
    first = corrected(version=v + 2, weights=(25, 35, 40))  # a gap is fine
    assert post_upload(client, first).status_code == 302
    again = post_upload(client, first)  # the same file again: nothing new
    assert again.status_code == 302
    assert FrameworkVersion.objects.filter(origin=Origin.UPLOAD).count() == 1
    assert AuditEntry.objects.filter(object_type="frameworks.frameworkversion").count() == 1
    other = post_upload(client, corrected(version=v + 2, weights=(20, 40, 40)))
    assert other.status_code == 400
    assert f"ต้องมากกว่ารุ่นปัจจุบัน {v + 2}" in other.content.decode()
    assert [t.weight for t in frameworks.get("ita-2565").tools] == [25, 35, 40]


def test_a_new_framework_id_can_be_uploaded(world: World, db_frameworks: Any) -> None:
    data = framework_data("ita-2568")
    data.update(id="ita-2599", version=1, fiscal_years=[2599])
    assert post_upload(client_for(world, "admin"), yaml_text(data).encode()).status_code == 302
    assert frameworks.get("ita-2599").fiscal_years == (2599,)
    assert frameworks.for_year(2599) is not None
    assert "ita-2599" in frameworks.available()
    assert not FrameworkVersion.objects.filter(origin=Origin.BUILTIN).exists()


# --- invalid uploads ----------------------------------------------------------------------------


def test_every_problem_is_listed_with_its_line_in_thai_and_nothing_is_stored(
    world: World, db_frameworks: Any
) -> None:
    data = framework_data()
    data["version"] = frameworks.get("ita-2565").version + 1
    data["tools"][0]["weight"] = 35  # weights sum to 105
    data["tools"][1]["colour"] = "red"  # an unknown key
    data["bands"][-1]["min"] = 5  # the lowest band: a gap from 0 to 5
    text = yaml_text(data)
    before = AuditEntry.objects.count()
    got = post_upload(client_for(world, "admin"), text.encode(), name="แก้ไข.yaml")
    assert got.status_code == 400
    page = got.content.decode()
    assert "พบปัญหา: 3" in page and "ยังไม่ได้บันทึกข้อมูลใด" in page
    weights = line_of(text, "tools:")
    colour = line_of(text, "  colour:")
    lines = text.splitlines()
    gap = max(  # the lowest band's entry (the line its "- code:" is on)
        n for n in range(1, last_line_of(text, "  min: 5")) if lines[n - 1].startswith("- code:")
    )
    assert (
        f"แก้ไข.yaml:{weights}</code> บรรทัดที่ {weights}: น้ำหนักของแบบวัดต้องรวมกันได้ 100 แต่รวมได้ 105"
        in page
    )
    assert f"แก้ไข.yaml:{colour}</code> บรรทัดที่ {colour}: tools.1.colour: ไม่รู้จักคีย์นี้" in page
    assert f"บรรทัดที่ {gap}: ช่วงระดับผลไม่ครอบคลุมคะแนน 0 ถึง 5" in page
    assert not FrameworkVersion.objects.exists() and AuditEntry.objects.count() == before
    # the same page in English keeps the validator's own words
    client = client_for(world, "admin")
    client.cookies["django_language"] = "en"
    english = post_upload(client, text.encode(), name="x.yaml").content.decode()
    assert "tool weights must sum to 100, they sum to 105" in english


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("fw.yaml", b"id: [unclosed\n", "ไม่ใช่ YAML ที่ถูกต้อง"),
        ("fw.yaml", b"", "เป็นไฟล์ว่าง"),
        ("fw.yaml", "id: ita-2565\n".encode("cp874") + "ทดสอบ".encode("cp874"), "ไม่ใช่ข้อความ UTF-8"),
        ("fw.csv", b"code,score\n", "ต้องเป็นไฟล์ .yaml หรือ .yml"),
        ("fw.yaml", b"id: ita-2565\nversion: two\n", "version: ต้องเป็นจำนวนเต็ม (ค่าที่ให้ 'two')"),
    ],
)
def test_files_that_are_not_frameworks_are_refused(
    world: World, db_frameworks: Any, name: str, content: bytes, expected: str
) -> None:
    got = post_upload(client_for(world, "admin"), content, name=name)
    assert got.status_code == 400
    assert expected in html.unescape(got.content.decode())
    assert not FrameworkVersion.objects.exists()


def test_an_oversize_file_is_refused(world: World, db_frameworks: Any) -> None:
    got = post_upload(client_for(world, "admin"), b"#" * (services.MAX_BYTES + 1))
    assert got.status_code == 400 and "ไฟล์ใหญ่เกิน 2 MB" in got.content.decode()


def test_validator_messages_in_thai() -> None:
    cases = {
        "key 'id' appears twice": "คีย์ 'id' ปรากฏสองครั้ง",
        "code 'o3' is used twice (first at tools.2.indicators.0.items.2)": "รหัส 'o3' ใช้ซ้ำ",
        "indicator ind9 must have either items or sub_indicators, not both": "ไม่ใช่ทั้งสองอย่าง",
        "item i3 of survey tool IIT needs a scale": "ต้องระบุ scale",
        "item e1: unknown scale 'rating9'": "ไม่มีมาตรวัดคำตอบ 'rating9'",
        "band from 90 overlaps the band up to 95": "ซ้อนกับช่วงที่สิ้นสุดที่ 95",
        "bands leave a gap: 99 to 100": "ไม่ครอบคลุมคะแนน 99 ถึง 100",
        "tools.0.kind: Input should be 'survey' or 'checklist' (got 'poll')": (
            "tools.0.kind: ต้องเป็น 'survey' or 'checklist' (ค่าที่ให้ 'poll')"
        ),
        "sources: Field required": "sources: ต้องระบุ",
        "tools.0.weight: Input should be less than or equal to 100 (got 120)": (
            "tools.0.weight: ต้องไม่เกิน 100 (ค่าที่ให้ 120)"
        ),
        "id: String should match pattern '^[a-z0-9][a-z0-9-]*$' (got 'ITA')": "รูปแบบไม่ถูกต้อง",
    }
    for english, thai in cases.items():
        assert thai in thai_problem(english), english
    assert thai_problem("something new") == "something new"  # shown as it is, not hidden


# --- who may do what ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", NON_ADMINS)
def test_only_site_admins_upload_and_rescore(world: World, db_frameworks: Any, role: str) -> None:
    client = client_for(world, role)
    assert client.get(reverse("frameworks:upload")).status_code == 403
    assert post_upload(client, corrected(weights=(25, 35, 40))).status_code == 403
    assert client.get(reverse("frameworks:rescore", args=["ita-2565"])).status_code == 403
    apply = reverse("frameworks:rescore_apply", args=["ita-2565"])
    assert client.post(apply, {"token": "x"}).status_code == 403
    assert not FrameworkVersion.objects.exists()
    # reading the methodology is for everyone logged in
    assert client.get(reverse("frameworks:index")).status_code == 200
    page = client.get(reverse("frameworks:detail", args=["ita-2565"]))
    assert page.status_code == 200 and reverse("frameworks:upload") not in page.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(world: World, db_frameworks: Any) -> None:
    client = client_for(world, None)
    for url in (
        reverse("frameworks:index"),
        reverse("frameworks:upload"),
        reverse("frameworks:detail", args=["ita-2565"]),
        reverse("frameworks:rescore", args=["ita-2565"]),
    ):
        got = client.get(url)
        assert got.status_code == 302 and got["Location"].startswith("/accounts/login/"), url


def test_unknown_frameworks_and_versions_are_404(world: World, db_frameworks: Any) -> None:
    client = client_for(world, "admin")
    assert client.get(reverse("frameworks:detail", args=["ita-1999"])).status_code == 404
    detail = reverse("frameworks:detail", args=["ita-2565"])
    assert client.get(detail, {"version": "77"}).status_code == 404
    assert client.get(detail, {"version": "x"}).status_code == 404
    assert client.get(reverse("frameworks:download", args=["ita-2565", 77])).status_code == 404
    assert client.get(reverse("frameworks:rescore", args=["ita-1999"])).status_code == 404


# --- the provider: cheap look-ups, new versions seen --------------------------------------------


def test_the_index_is_read_once_per_ttl_and_forgotten_at_commit(
    world: World, db_frameworks: DatabaseFrameworks, django_capture_on_commit_callbacks: Any
) -> None:
    db_frameworks.ttl = 3600.0
    db_frameworks.forget()
    reads = db_frameworks.reads
    for _ in range(20):
        frameworks.get("ita-2565")
    frameworks.for_year(2565)
    assert db_frameworks.reads == reads + 1  # one small query for all of them
    with django_capture_on_commit_callbacks(execute=True):
        services.framework_upload(
            content=corrected(weights=(25, 35, 40)), filename="f.yaml", note="", user=None
        )
    assert [t.weight for t in frameworks.get("ita-2565").tools] == [25, 35, 40]
    assert db_frameworks.reads == reads + 2


def test_without_the_provider_only_the_files_count(world: World, db_frameworks: Any) -> None:
    services.framework_upload(
        content=corrected(weights=(25, 35, 40)), filename="f.yaml", note="", user=None
    )
    loader.unregister_provider(PROVIDER)  # as the command line runs: files only
    assert [t.weight for t in frameworks.get("ita-2565").tools] == [30, 30, 40]
    with pytest.raises(frameworks.FrameworkNotFound):
        frameworks.get("ita-2565@99")


def test_the_pages_speak_english_on_request(world: World, db_frameworks: Any) -> None:
    client = client_for(world, "viewer_a")
    client.cookies["django_language"] = "en"
    fw = frameworks.get("ita-2565")
    assert fw.title.en
    listing = client.get(reverse("frameworks:index")).content.decode()
    assert "Upload a corrected framework" not in listing  # not an admin
    detail = html.unescape(
        client.get(reverse("frameworks:detail", args=["ita-2565"])).content.decode()
    )
    assert f"<h1>{fw.title.en}</h1>" in detail and "Stored versions" in detail
