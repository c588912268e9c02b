"""Document -> HTML: the web preview, and the page that Chromium prints to PDF.

Body text is set flush left: Chromium can justify Thai only at spaces, which leaves wide
gaps in lines with few of them (the DOCX uses Word's Thai distributed justification).

Thai has no spaces between words. Chromium breaks Thai lines with its own dictionary, which
splits some words (ธรรมาภิ|บาล); so every Thai word found by PyThaiNLP is kept whole
(``white-space: nowrap``) and a break opportunity (``<wbr>``) is offered between words.
"""

from __future__ import annotations

import base64
import html
import os
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Literal

from openita.documents import model as m
from openita.documents.fonts import FAMILY, Weight, sarabun_bytes

os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

_THAI = re.compile(r"[\u0e00-\u0e7f]+")


@lru_cache(maxsize=8192)
def thai_words(text: str) -> tuple[str, ...]:
    """Words of a Thai run (PyThaiNLP newmm, its offline dictionary)."""
    from openita.text.dictionary import segment  # slow to import: only when Thai is drawn

    return tuple(segment(text))


def escape_words(text: str) -> str:
    """Escape text for HTML, keeping each Thai word unbreakable with breaks between words."""
    out: list[str] = []
    pos = 0
    for match in _THAI.finditer(text):
        out.append(html.escape(text[pos : match.start()]))
        words = [w for w in thai_words(match.group()) if w]
        out.append(
            "<wbr>".join(
                f'<span class="w">{html.escape(w)}</span>' if len(w) > 1 else html.escape(w)
                for w in words
            )
        )
        pos = match.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _runs(text: m.Text) -> str:
    parts = []
    for run in text:
        body = escape_words(run.text)
        if run.bold:
            body = f"<strong>{body}</strong>"
        if run.italic:
            body = f"<em>{body}</em>"
        if run.underline:
            body = f"<u>{body}</u>"
        parts.append(body)
    return "".join(parts)


def _heading(b: m.Heading) -> str:
    return f'<h{b.level} class="a-{b.align}">{escape_words(b.text)}</h{b.level}>'


def _paragraph(b: m.Paragraph) -> str:
    classes = [f"a-{b.align}"]
    if b.indent:
        classes.append("indent")
    if b.size == "small":
        classes.append("small")
    if b.keep_with_next:
        classes.append("keep")
    return f'<p class="{" ".join(classes)}">{_runs(b.content)}</p>'


def _bullets(b: m.BulletList) -> str:
    items = []
    for n, item in enumerate(b.items, 1):
        marker = f"{n}." if b.marker == "1." else b.marker
        items.append(
            f'<li><span class="marker">{html.escape(marker)}</span><span>{_runs(item)}</span></li>'
        )
    keep = ' style="break-after:avoid"' if b.keep_with_next else ""
    return f'<ul class="bullets"{keep}>{"".join(items)}</ul>'


def _cell(c: m.Cell, tag: str = "td") -> str:
    classes = [f"a-{c.align}"] + ([f"shade-{c.shade}"] if c.shade else [])
    span = f' colspan="{c.colspan}"' if c.colspan > 1 else ""
    extra = "".join(f'<div class="line">{_runs(t)}</div>' for t in c.lines)
    return f'<{tag} class="{" ".join(classes)}"{span}>{_runs(c.content)}{extra}</{tag}>'


def _table(b: m.Table) -> str:
    cols = "".join(f'<col style="width:{c.width:g}%">' for c in b.columns)
    head = "".join(f'<th class="a-center">{escape_words(c.title)}</th>' for c in b.columns)
    body = "".join(f"<tr>{''.join(_cell(c) for c in row)}</tr>" for row in b.rows)
    caption = f'<p class="caption">{escape_words(b.caption)}</p>' if b.caption else ""
    note = f'<p class="small note">{escape_words(b.note)}</p>' if b.note else ""
    return (
        f"{caption}<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>{note}"
    )


def _figure(b: m.Figure) -> str:
    data = base64.b64encode(b.png).decode()
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(b.alt)}" '
        f'style="width:{b.width_cm:g}cm"><figcaption>{escape_words(b.caption)}'
        "</figcaption></figure>"
    )


def _signature(b: m.Signature) -> str:
    lines = [
        f"{html.escape(b.label)} ........................................",
        f"({escape_words(b.name)})",
        *(escape_words(p) for p in b.positions),
    ]
    return '<div class="signature">' + "".join(f"<div>{x}</div>" for x in lines) + "</div>"


def _memo_head(b: m.MemoHead) -> str:
    emblem = (
        f'<img class="emblem" alt="ตราครุฑ" src="data:image/png;base64,'
        f'{base64.b64encode(b.emblem_png).decode()}">'
        if b.emblem_png
        else '<span class="emblem"></span>'
    )

    def field(label: str, value: str) -> str:
        return f'<span class="label">{label}</span> <span class="fill">{escape_words(value)}</span>'

    return (
        f'<div class="memo-head"><div class="memo-title">{emblem}'
        f"<span>บันทึกข้อความ</span></div>"
        f'<div class="field">{field("ส่วนราชการ", b.unit)}</div>'
        f'<div class="field two"><span>{field("ที่", b.reference)}</span>'
        f"<span>{field('วันที่', b.date)}</span></div>"
        f'<div class="field">{field("เรื่อง", b.subject)}</div>'
        f'<div class="field to">{field("เรียน", b.to)}</div></div>'
    )


def _comment(b: m.Comment) -> str:
    text = escape_words(b.text) if b.text else "." * 80
    return (
        f'<div class="comment"><div><span class="label">ความเห็น</span> {text}</div>'
        f"{_signature(b.signature)}</div>"
    )


def _approval(b: m.Approval) -> str:
    yes = "☑" if b.decision == "approved" else "☐"
    no = "☑" if b.decision == "rejected" else "☐"
    reason = escape_words(b.reason) if b.reason else "." * 50
    return (
        f'<div class="approval"><div class="label">{escape_words(b.title)}</div>'
        f'<div class="choice">{yes} {escape_words(b.approve_label)}</div>'
        f'<div class="choice">{no} {escape_words(b.reject_label)} {reason}</div>'
        f"{_signature(b.signature)}</div>"
    )


def _block(b: m.Block) -> str:
    if isinstance(b, m.Heading):
        return _heading(b)
    if isinstance(b, m.Paragraph):
        return _paragraph(b)
    if isinstance(b, m.BulletList):
        return _bullets(b)
    if isinstance(b, m.Table):
        return _table(b)
    if isinstance(b, m.Figure):
        return _figure(b)
    if isinstance(b, m.Signature):
        return _signature(b)
    if isinstance(b, m.MemoHead):
        return _memo_head(b)
    if isinstance(b, m.Comment):
        return _comment(b)
    if isinstance(b, m.Approval):
        return _approval(b)
    if isinstance(b, m.PageBreak):
        return '<div class="page-break"></div>'
    return f'<div style="height:{b.lines * 1.2:g}em"></div>'


Fonts = Literal["embed", "local", "none"]
_FACES: list[tuple[Weight, str, str]] = [
    ("Regular", "normal", "normal"),
    ("Bold", "bold", "normal"),
    ("Italic", "normal", "italic"),
    ("BoldItalic", "bold", "italic"),
]


@lru_cache(maxsize=2)
def _font_faces(fonts: Fonts) -> str:
    """``embed``: the faces inside the page (a standalone file); ``local``: the installed
    Sarabun (much faster to print: Chromium need not decode 0.5 MB of fonts per page)."""
    if fonts == "none":
        return ""
    out = []
    for name, weight, style in _FACES:
        if fonts == "local":
            src = f'local("Sarabun {name}"),local("Sarabun-{name}")'
        else:
            src = f"url(data:font/ttf;base64,{base64.b64encode(sarabun_bytes(name)).decode()})"
        out.append(
            f"@font-face{{font-family:{FAMILY};font-weight:{weight};font-style:{style};src:{src}}}"
        )
    return "".join(out)


def css(doc: m.Document) -> str:
    p = doc.page
    size = doc.font_size
    counter = "counter(page, thai)" if doc.thai_digits else "counter(page)"
    numbers = (
        (
            f'@bottom-center{{content:"- " {counter} " -";font-family:{FAMILY};'
            f"font-size:{size - 2:g}pt}}"
        )
        if doc.page_numbers
        else ""
    )
    memo = ""
    if doc.kind == "memo":
        # the correspondence regulation: numbers from page 2 centred at the top, labels bold
        # 20 pt, paragraphs indented 2.5 cm
        if doc.page_numbers:
            numbers = numbers.replace("@bottom-center", "@top-center").replace(
                f"font-size:{size - 2:g}pt", f"font-size:{size:g}pt"
            )
            memo += "@page:first{@top-center{content:none}}"
        memo += ".indent{text-indent:2.5cm} .memo-head .label{font-size:20pt}"
        memo += " .memo-head .to .label{font-size:inherit}"
    orientation = " landscape" if p.landscape else ""
    rules = f"""
@page{{size:A4{orientation};margin:{p.top:g}cm {p.right:g}cm {p.bottom:g}cm {p.left:g}cm;{numbers}}}
html{{font-family:{FAMILY},sans-serif;font-size:{size:g}pt;line-height:{doc.line_spacing:g};color:#000}}
body{{margin:0}}
.w{{white-space:nowrap}}
td .w,th .w{{display:inline-block;max-width:100%;overflow-wrap:anywhere;white-space:normal}}
h1,h2,h3{{font-weight:bold;margin:0.4em 0 0.3em;break-after:avoid;line-height:1.3}}
h1{{font-size:{size + 4:g}pt}} h2{{font-size:{size + 1:g}pt}} h3{{font-size:{size:g}pt}}
p{{margin:0 0 0.35em}} .indent{{text-indent:1.25cm}} .small{{font-size:{size - 2:g}pt}}
.keep{{break-after:avoid}}
.a-left{{text-align:left}} .a-center{{text-align:center}} .a-right{{text-align:right}}
.a-justify{{text-align:left}}
ul.bullets{{list-style:none;margin:0 0 0.35em;padding:0}}
ul.bullets li{{display:flex;gap:0.4em;margin-left:1.25cm}}
ul.bullets .marker{{flex:none}}
table{{border-collapse:collapse;table-layout:fixed;width:100%;margin:0.2em 0 0.5em;
  font-size:{size - 2:g}pt}}
th,td{{border:0.6pt solid #000;padding:1pt 3pt;vertical-align:top;line-height:1.35}}
th{{background:#d9d9d9;font-weight:bold}}
thead{{display:table-header-group}} td{{overflow-wrap:anywhere}}
td .line{{margin-top:0.15em}}
.shade-good{{background:#e2efda}} .shade-bad{{background:#f8cbad}}
.shade-header{{background:#d9d9d9;font-weight:bold}} .shade-group{{background:#ddebf7}}
.caption{{font-weight:bold;text-align:center;margin:0.4em 0 0.2em;break-after:avoid}}
.note{{margin-top:-0.2em}}
figure{{margin:0.4em 0;text-align:center;break-inside:avoid}}
figcaption{{font-size:{size - 2:g}pt}}
.signature{{margin:1.2em 0 0.6em 45%;text-align:center;break-inside:avoid;break-before:avoid}}
.memo-title{{position:relative;text-align:center;font-weight:bold;font-size:29pt;
  height:1.5cm;line-height:1.5cm;margin-bottom:0.3em}}
.memo-title .emblem{{position:absolute;left:0;top:0;height:1.5cm;width:auto}}
.memo-title span.emblem{{width:1.5cm}}
.memo-head .field{{border-bottom:0.6pt dotted #000;margin:0.15em 0}}
.memo-head .two{{display:flex;gap:1em}} .memo-head .two>span{{flex:1}}
.memo-head .to{{border:none;margin-top:0.5em}}
.label{{font-weight:bold}}
.comment,.approval{{margin-top:0.8em;break-inside:avoid}}
.choice{{margin-left:1.25cm}}
.page-break{{break-after:page}}
@media screen{{body{{max-width:21cm;margin:1em auto;padding:0 1em}}}}
"""
    return rules + memo


def render_html(doc: m.Document, *, fonts: Fonts = "embed") -> str:
    """A standalone HTML page of the document; see ``_font_faces`` for ``fonts``."""
    faces = _font_faces(fonts)
    body = "\n".join(_block(b) for b in doc.blocks)
    meta = _meta(doc.subject, doc.keywords)
    return (
        f'<!doctype html><html lang="th"><head><meta charset="utf-8">'
        f"<title>{html.escape(doc.title)}</title>{meta}"
        f"<style>{faces}{css(doc)}</style></head><body>{body}</body></html>"
    )


def _meta(subject: str, keywords: Iterable[str]) -> str:
    out = f'<meta name="description" content="{html.escape(subject)}">' if subject else ""
    words = ", ".join(keywords)
    return out + (f'<meta name="keywords" content="{html.escape(words)}">' if words else "")
