"""A form renderer that writes the plain widgets in Python, the rest as Django does.

Django renders every form field through a template (input, attributes, options: three nested
templates for a select). A progress round has about 90 fields, and that template work was 40% of
the page's time. ``FastWidgetRenderer`` produces the same HTML, character for character, for the
widgets whose templates are simple (text-like inputs, textarea, select with plain options), and
hands every other template to Django. ``tests/web/test_forms_renderer.py`` compares the two on
every widget kind, odd values included, and on whole pages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, SafeString, mark_safe

WIDGETS = "django/forms/widgets/"
INPUTS = frozenset(
    f"{WIDGETS}{kind}.html"
    for kind in ("input", "text", "number", "hidden", "email", "url", "password", "search", "tel")
)
OPTION = f"{WIDGETS}select_option.html"


def _value(value: Any) -> str:
    """``{{ value|stringformat:'s' }}`` with autoescaping."""
    return str(value) if isinstance(value, SafeData) else escape(str(value))


def _attrs(attrs: Mapping[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {escape(name)}" if value is True else f' {escape(name)}="{_value(value)}"')
    return "".join(out)


def _input(w: Mapping[str, Any]) -> str:
    value = "" if w["value"] is None else f' value="{_value(w["value"])}"'
    return (
        f'<input type="{escape(w["type"])}" name="{escape(w["name"])}"{value}{_attrs(w["attrs"])}>'
    )


def _textarea(w: Mapping[str, Any]) -> str:
    text = conditional_escape(w["value"]) if w["value"] else ""
    return f'<textarea name="{escape(w["name"])}"{_attrs(w["attrs"])}>\n{text}</textarea>'


def _option(o: Mapping[str, Any]) -> str:
    label = conditional_escape(o["label"])
    return f'<option value="{_value(o["value"])}"{_attrs(o["attrs"])}>{label}</option>\n'


def _select(w: Mapping[str, Any]) -> str | None:
    out = [f'<select name="{escape(w["name"])}"{_attrs(w["attrs"])}>']
    for group_name, options, _index in w["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option.get("template_name") != OPTION:
                return None  # options of another kind: Django's templates
            out.append("\n  " + _option(option))
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


FAST: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    **dict.fromkeys(INPUTS, _input),
    f"{WIDGETS}textarea.html": _textarea,
    f"{WIDGETS}select.html": _select,
}


class FastWidgetRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        fast = FAST.get(template_name)
        widget = context.get("widget")
        if fast is not None and isinstance(widget, Mapping):
            html = fast(widget)
            if html is not None:
                return mark_safe(html.strip())  # safe: every value above is escaped
        return SafeString(super().render(template_name, context, request))
