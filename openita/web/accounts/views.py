"""The agency's people (list, invite, change a role, remove) and the change-password page.
A few lines each: access by agency_for_user and can_manage_people, work by services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from openita.web.accounts import services
from openita.web.accounts.forms_people import InviteForm, RoleForm
from openita.web.accounts.selectors import can_manage_people, member_in, people_of
from openita.web.agencies.models import Agency, Role
from openita.web.agencies.selectors import agency_for_user

SESSION_KEY = "accounts_invited"


def _managed(request: HttpRequest, agency_id: int) -> Agency:
    agency = agency_for_user(request.user, agency_id)
    if not can_manage_people(request.user, agency):
        raise Http404("no people page for this user")
    return agency


def _page(
    request: HttpRequest, agency: Agency, form: InviteForm, status: int = 200
) -> HttpResponse:
    context = {
        "agency": agency,
        "people": [
            (m, RoleForm(initial={"role": m.role}, prefix=f"r{m.pk}")) for m in people_of(agency)
        ],
        "form": form,
        "invited": request.session.pop(SESSION_KEY, None) if request.method == "GET" else None,
        "roles": Role.choices,
    }
    return render(request, "accounts/people.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = _managed(request, agency_id)
    if request.method != "POST":
        return _page(request, agency, InviteForm())
    form = InviteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            invited = services.person_invite(
                agency=agency,
                actor=request.user,  # type: ignore[arg-type]
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                role=Role(data["role"]),
            )
        except services.PeopleRefused as exc:
            form.add_error("username", str(exc))
        else:
            link = request.build_absolute_uri(
                reverse("password_reset_confirm", args=[invited.uid, invited.token])
            )
            sent = data["send"] and _mail(agency, data["email"], data["full_name"], link)
            if data["send"] and not sent:
                messages.warning(request, _("ส่งอีเมลไม่สำเร็จ โปรดคัดลอกลิงก์ส่งเอง"))
            name = services.display_name(invited.membership.user)
            request.session[SESSION_KEY] = {"name": name, "url": link, "sent": bool(sent)}
            return redirect("people:list", agency_id=agency.pk)
    return _page(request, agency, form, status=400)


def _mail(agency: Agency, email: str, name: str, link: str) -> bool:
    body = (
        f"เรียน {name}\n\n{agency.name} เพิ่มท่านเป็นผู้ใช้ OpenITA\n"
        f"โปรดตั้งรหัสผ่านผ่านลิงก์นี้ (ใช้ได้ครั้งเดียว):\n\n{link}\n"
    )
    try:
        return send_mail(f"OpenITA: {agency.name}", body, None, [email]) == 1
    except OSError:
        return False


@login_required
@require_POST
def role(request: HttpRequest, agency_id: int, membership_id: int) -> HttpResponse:
    agency = _managed(request, agency_id)
    membership = member_in(agency, membership_id)
    form = RoleForm(request.POST, prefix=f"r{membership.pk}")
    if not form.is_valid():
        messages.error(request, _("บทบาทไม่ถูกต้อง"))
        return redirect("people:list", agency_id=agency.pk)
    try:
        changed = services.person_role_change(
            agency=agency,
            actor=request.user,  # type: ignore[arg-type]
            membership=membership,
            role=Role(form.cleaned_data["role"]),
        )
    except services.PeopleRefused as exc:
        return _refused(request, agency, str(exc))
    text = _("บทบาทของ %(name)s: %(role)s")
    messages.success(
        request,
        text % {"name": services.display_name(changed.user), "role": changed.get_role_display()},
    )
    return redirect("people:list", agency_id=agency.pk)


@login_required
@require_POST
def remove(request: HttpRequest, agency_id: int, membership_id: int) -> HttpResponse:
    agency = _managed(request, agency_id)
    membership = member_in(agency, membership_id)
    if request.POST.get("confirm") != "1":
        context = {"agency": agency, "membership": membership}
        return render(request, "accounts/remove_confirm.html", context)
    name = services.display_name(membership.user)
    try:
        services.person_remove(
            agency=agency,
            actor=request.user,  # type: ignore[arg-type]
            membership=membership,
        )
    except services.PeopleRefused as exc:
        return _refused(request, agency, str(exc))
    messages.success(request, _("นำ %(name)s ออกจากหน่วยงานแล้ว") % {"name": name})
    return redirect("people:list", agency_id=agency.pk)


def _refused(request: HttpRequest, agency: Agency, message: str) -> HttpResponse:
    context = {"agency": agency, "message": message}
    return render(request, "accounts/refused.html", context, status=409)


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("password_change_done")

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400  # nothing changed; the form says what to fix
        return response


class PasswordChangeDone(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"
