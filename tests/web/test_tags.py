"""Template filters of the pages."""

from __future__ import annotations

from openita.web.ui.templatetags.openita_tags import thai_wrap


def test_thai_wrap_keeps_words_whole_and_escapes() -> None:
    out = str(thai_wrap("หน่วยงานภาครัฐ <script>x</script>"))
    assert '<span class="w">หน่วยงาน</span>' in out  # the browser may not split หน่วย|งาน
    assert "<script>" not in out and "&lt;script&gt;" in out
