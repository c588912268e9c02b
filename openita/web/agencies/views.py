"""The agency settings page: a few lines each; access by agency_for_user, work by services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openita.web.agencies import selectors, services
from openita.web.agencies.forms import (
    REVIEWERS_PREFIX,
    FileForm,
    ReviewerFormSet,
    SettingsForm,
    UnitForm,
    UnitRenameForm,
    settings_initial,
)
from openita.web.agencies.models import Agency, FileKind
from openita.web.agencies.selectors import agency_for_user, can_edit
from openita.web.audit.services import actor_name

CONTENT_TYPES = {
    FileKind.EMBLEM: "image/png",
    FileKind.LETTERHEAD: (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
}


def _kind(raw: str) -> FileKind:
    if raw not in FileKind.values:
        raise Http404("no such file kind")
    return FileKind(raw)


def _user(request: HttpRequest) -> Any:
    return request.user


def _back(agency: Agency, anchor: str = "") -> HttpResponse:
    response = redirect("agencies:settings", agency_id=agency.pk)
    response["Location"] += f"#{anchor}" if anchor else ""
    return response


def _page(request: HttpRequest, agency: Agency, status: int = 200, **forms: Any) -> HttpResponse:
    """The settings page; editors get empty forms where the request did not bring its own."""
    current = selectors.settings_of(agency)
    editable = can_edit(request.user, agency)
    if editable:
        if "form" not in forms:
            initial, reviewers = settings_initial(current)
            forms["form"] = SettingsForm(initial=initial)
            forms["formset"] = ReviewerFormSet(initial=reviewers, prefix=REVIEWERS_PREFIX)
        forms.setdefault("unit_form", UnitForm())
        forms.setdefault("rename_forms", {})
        forms.setdefault("emblem_form", FileForm(kind=FileKind.EMBLEM))
        forms.setdefault("letterhead_form", FileForm(kind=FileKind.LETTERHEAD))
    rename_forms = forms.pop("rename_forms", {})
    units = [
        (unit, uses, rename_forms.get(unit.pk) or UnitRenameForm(initial={"current": unit.name}))
        for unit, uses in selectors.unit_rows(agency)
    ]
    context = {
        "agency": agency,
        "settings": current,
        "updated_by": actor_name(current.updated_by),
        "signers": current.signers or {},
        "reviewers": selectors.reviewers_of(current),
        "complete": selectors.signers_of(current) is not None,
        "units": units,
        "emblem": selectors.file_of(agency, FileKind.EMBLEM),
        "letterhead": selectors.file_of(agency, FileKind.LETTERHEAD),
        "can_edit": editable,
        "limits": {
            "emblem": services.EMBLEM_MAX_BYTES // (1024 * 1024),
            "letterhead": services.LETTERHEAD_MAX_BYTES // (1024 * 1024),
        },
        **forms,
    }
    return render(request, "agencies/settings.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def settings(request: HttpRequest, agency_id: int) -> HttpResponse:
    """Everyone who reads the agency sees its settings; its officers change them here."""
    write = request.method == "POST"
    agency = agency_for_user(request.user, agency_id, write=write)
    if not write:
        return _page(request, agency)
    form = SettingsForm(request.POST)
    formset: Any = ReviewerFormSet(request.POST, prefix=REVIEWERS_PREFIX)
    status, stale = 400, None  # a POST that did not save: the form shows what to fix
    if form.is_valid() and formset.is_valid():
        try:
            signers = services.signers_data(
                officer=form.person("officer"),
                reviewers=formset.reviewers(),
                executive=form.person("executive"),
            )
            changed = services.agency_settings_save(
                agency=agency,
                user=_user(request),
                address=form.cleaned_data["address"],
                website=form.cleaned_data["website"],
                memo_unit=form.cleaned_data["memo_unit"],
                memo_prefix=form.cleaned_data["memo_prefix"],
                signers=signers,
                base_version=form.cleaned_data["base_version"],
            )
        except services.StaleSettings as exc:
            # Keep everything typed; the next save deliberately builds on the newer one.
            stale, status = exc, 409
            data = request.POST.copy()
            data["base_version"] = str(exc.current.version)
            form = SettingsForm(data)
            formset = ReviewerFormSet(data, prefix=REVIEWERS_PREFIX)
            form.is_valid()
            formset.is_valid()
        except services.SettingsRefused as exc:
            form.add_error(None, str(exc))
        else:
            if changed:
                messages.success(request, _("บันทึกการตั้งค่าหน่วยงานแล้ว"))
            else:
                messages.info(request, _("ไม่มีการเปลี่ยนแปลง การตั้งค่านี้บันทึกไว้แล้ว"))
            return _back(agency)
    return _page(request, agency, status, form=form, formset=formset, stale=stale)


@login_required
@require_POST
def unit_add(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=True)
    form = UnitForm(request.POST)
    if form.is_valid():
        try:
            unit = services.unit_add(
                agency=agency, user=_user(request), name=form.cleaned_data["name"]
            )
        except services.SettingsRefused as exc:
            form.add_error("name", str(exc))
        else:
            name = form.cleaned_data["name"]
            if unit is None:
                messages.info(request, _("มีส่วนงาน “%(name)s” อยู่แล้ว") % {"name": name})
            else:
                messages.success(request, _("เพิ่มส่วนงาน “%(name)s” แล้ว") % {"name": unit.name})
            return _back(agency, "units")
    return _page(request, agency, 400, unit_form=form)


@login_required
@require_POST
def unit_rename(request: HttpRequest, agency_id: int, unit_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=True)
    if selectors.unit_in(agency, unit_id) is None:
        raise Http404("no such unit")
    form = UnitRenameForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            changed = services.unit_rename(
                agency=agency,
                user=_user(request),
                unit_id=unit_id,
                current=form.cleaned_data["current"],
                name=form.cleaned_data["name"],
            )
        except services.StaleUnit as exc:
            status = 409
            text = _("ยังไม่ได้เปลี่ยนชื่อ: มีผู้อื่นเปลี่ยนชื่อส่วนงานนี้เป็น “%(name)s” แล้ว")
            text %= {"name": exc.unit.name}
            data = {"current": exc.unit.name, "name": form.cleaned_data["name"]}
            form = UnitRenameForm(data)  # the next try renames from the name it has now
            form.is_valid()
            form.add_error(None, text)
        except services.SettingsRefused as exc:
            form.add_error("name", str(exc))
        else:
            if changed:
                text = _("เปลี่ยนชื่อส่วนงานเป็น “%(name)s” แล้ว")
                messages.success(request, text % {"name": form.cleaned_data["name"]})
            else:
                messages.info(request, _("ไม่มีการเปลี่ยนแปลง ส่วนงานชื่อนี้อยู่แล้ว"))
            return _back(agency, "units")
    return _page(request, agency, status, rename_forms={unit_id: form})


@login_required
@require_POST
def unit_remove(request: HttpRequest, agency_id: int, unit_id: int) -> HttpResponse:
    """Remove a unit; one that plans use is removed only after the user confirms."""
    agency = agency_for_user(request.user, agency_id, write=True)
    try:
        removed = services.unit_remove(
            agency=agency,
            user=_user(request),
            unit_id=unit_id,
            confirmed=request.POST.get("confirm") == "1",
        )
    except services.UnitInUse as exc:
        context = {"agency": agency, "unit": exc.unit, "uses": exc.uses}
        return render(request, "agencies/unit_remove.html", context, status=409)
    if removed is None:
        messages.info(request, _("ส่วนงานนี้ถูกลบไปแล้ว"))
    else:
        messages.success(request, _("ลบส่วนงาน “%(name)s” แล้ว") % {"name": removed.name})
    return _back(agency, "units")


@login_required
@require_POST
def file_upload(request: HttpRequest, agency_id: int, kind: str) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=True)
    file_kind = _kind(kind)
    form = FileForm(request.POST, request.FILES, kind=file_kind)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            changed = services.agency_file_save(
                agency=agency,
                user=_user(request),
                kind=file_kind,
                name=upload.name or "-",
                data=upload.read(),
            )
        except services.SettingsRefused as exc:
            form.add_error("file", str(exc))
        else:
            if changed:
                text = _("บันทึก%(what)s “%(name)s” แล้ว")
                messages.success(request, text % {"what": file_kind.label, "name": upload.name})
            else:
                messages.info(request, _("ไม่มีการเปลี่ยนแปลง ไฟล์นี้บันทึกไว้แล้ว"))
            return _back(agency, kind)
    return _page(request, agency, 400, **{f"{kind}_form": form})


@login_required
@require_POST
def file_remove(request: HttpRequest, agency_id: int, kind: str) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=True)
    file_kind = _kind(kind)
    if services.agency_file_remove(agency=agency, user=_user(request), kind=file_kind):
        messages.success(request, _("ลบ%(what)sแล้ว") % {"what": file_kind.label})
    else:
        messages.info(request, _("ไม่มีไฟล์ให้ลบ อาจถูกลบไปแล้ว"))
    return _back(agency, kind)


@login_required
@require_GET
def file_download(request: HttpRequest, agency_id: int, kind: str) -> HttpResponse:
    """The stored emblem (shown on the page) or letterhead, to whoever reads the agency."""
    agency = agency_for_user(request.user, agency_id)
    file_kind = _kind(kind)
    found = selectors.file_of(agency, file_kind, data=True)
    if found is None:
        raise Http404("no such file")
    response = HttpResponse(bytes(found.data), content_type=CONTENT_TYPES[file_kind])
    disposition = "inline" if file_kind == FileKind.EMBLEM else "attachment"
    filename = "emblem.png" if file_kind == FileKind.EMBLEM else "letterhead.docx"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response
