"""``{% readable_publication p %}``: a publication's results, measures and progress as text on
the public page (from what was frozen when it was published)."""

from __future__ import annotations

from typing import Any

from django import template

from openita.web.publishing.readable import readable

register = template.Library()


@register.inclusion_tag("publishing/_readable.html")
def readable_publication(publication: Any) -> dict[str, Any]:
    return {"r": readable(publication), "p": publication}
