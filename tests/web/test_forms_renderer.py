"""The fast form renderer writes exactly what Django's templates write."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import override_settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from openita.web.ui.forms_renderer import FastWidgetRenderer
from tests.web.conftest import World
from tests.web.test_plans import drafted
from tests.web.test_views import client_for

ODD = "ก<ข>&\"ค' ๑๒"

WIDGETS: list[tuple[forms.Widget, Any]] = [
    (forms.TextInput(), "ข้อความ"),
    (forms.TextInput(attrs={"maxlength": 20, "required": True, "disabled": False}), ODD),
    (forms.TextInput(), None),
    (forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1, "inputmode": "numeric"}), 40),
    (forms.HiddenInput(), "M1"),
    (forms.EmailInput(attrs={"autocomplete": "email"}), "a@b.invalid"),
    (forms.URLInput(), "https://example.invalid/?a=1&b=2"),
    (forms.PasswordInput(), "secret"),
    (forms.PasswordInput(render_value=True), ODD),
    (forms.Textarea(attrs={"rows": 3}), "บรรทัดหนึ่ง\nบรรทัดสอง <b>"),
    (forms.Textarea(), ""),
    (forms.Textarea(), None),
    (forms.Textarea(), mark_safe("<i>safe</i>")),
    (forms.Select(choices=[("a", "ก"), ("b", ODD), (1, "หนึ่ง")]), "b"),
    (forms.Select(choices=[("", "---"), ("x", "เอ็กซ์")]), None),
    (forms.Select(choices=[("กลุ่ม", [("a", "ก"), ("b", "ข")]), ("c", "ค")]), "c"),
    (forms.SelectMultiple(choices=[("a", "ก"), ("b", "ข")]), ["a", "b"]),
    (forms.CheckboxInput(), True),  # not a fast widget: Django renders it
    (forms.RadioSelect(choices=[("a", "ก")]), "a"),  # not a fast widget either
    (forms.DateInput(), "2566-01-01"),  # date.html is not in the fast set
]


@pytest.mark.parametrize(("widget", "value"), WIDGETS)
def test_same_html_as_django(widget: forms.Widget, value: Any) -> None:
    attrs = {"id": "id_f", "aria-describedby": "help-f"}
    ours = widget.render("f", value, attrs=attrs, renderer=FastWidgetRenderer())
    django = widget.render("f", value, attrs=attrs, renderer=DjangoTemplates())
    assert ours == django


@pytest.mark.parametrize("path", ["progress", "edit"])
def test_same_pages_as_with_django(world: World, path: str) -> None:
    plan = drafted(world)
    name = "plans:progress" if path == "progress" else "plans:edit"
    args = [world.a.pk, plan.pk, 6] if path == "progress" else [world.a.pk, plan.pk]
    url = reverse(name, args=args)
    client = client_for(world, "officer_a")
    ours = client.get(url).content.decode()
    with override_settings(FORM_RENDERER="django.forms.renderers.DjangoTemplates"):
        django = client.get(url).content.decode()
    strip = lambda html: "\n".join(  # noqa: E731  (the CSRF token differs per response)
        line for line in html.splitlines() if "csrfmiddlewaretoken" not in line
    )
    assert strip(ours) == strip(django)
    assert ours.count("<textarea") >= 10
