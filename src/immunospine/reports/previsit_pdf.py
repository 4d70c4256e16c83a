"""Lay the pre-visit report out on one A4 page with fpdf2 (the ``reports`` extra).

A fixed layout, top to bottom: header (pseudonym, diagnoses, period), the decision-support
sentence, latest scores beside treat-to-target / flares / due questionnaires, the three charts on
one shared time axis (vector SVG from ``vl-convert``, drawn at one common scale so their time
axes line up), medication changes beside an empty ruled box for the patient's own questions, and
the legend. The page never grows a second one: blocks that would run past the bottom margin are
shortened first (fewer table rows), then the charts are scaled down.

fpdf2's SVG reader is stricter than browsers, so the SVG is tidied first (``tidy_svg``): the
attributes SVG lets one omit are written out and empty paths dropped. Chart text stays text (it
can be selected and searched in the PDF).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import astuple
from pathlib import Path
from typing import TYPE_CHECKING

from immunospine.errors import MissingExtraError
from immunospine.reports import charts
from immunospine.reports.model import PrevisitData
from immunospine.reports.pdf import close_fonts, find_unicode_font
from immunospine.reports.previsit import PrevisitView, chart_svgs, previsit_view

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = ["preload", "render_previsit_pdf", "tidy_svg"]

PAGE_W, PAGE_H, MARGIN = 210.0, 297.0, 10.0
CONTENT_W = PAGE_W - 2 * MARGIN
GREY = (95, 95, 95)
RED = (176, 0, 32)
GREEN = (46, 125, 50)
RULE = (170, 170, 170)
QUESTION_LINES = 5
_ASCII = {"–": "-", "—": "-", "≥": ">=", "≤": "<=", "→": "->", "…": "...", "‘": "'", "’": "'",
          "“": '"', "”": '"'}  # fmt: skip
_LINE = re.compile(r"<line\b[^>]*>")
_EMPTY_PATH = re.compile(r"<path\b[^>]*\sd=\"\"[^>]*/>")
_INVISIBLE = re.compile(r"<(?:path|rect|line|text)\b[^>]*\sopacity=\"0\"[^>]*/>")
_SHAPE = re.compile(r"<(path|rect|circle)\b([^>]*)>")
_FONT = re.compile(r'font-family="[^"]*"')
_TEXT = re.compile(r"(<text\b[^>]*>)([^<]*)")
_SIZE = re.compile(r'<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"')


def tidy_svg(svg: str, font_family: str) -> str:
    """``svg`` in the subset fpdf2 reads: explicit line ends and strokes, one known font.

    Empty and fully transparent elements (hover targets for the web page) are dropped: they
    draw nothing, and fpdf2 spends about half a millisecond on each.
    """

    def line(m: re.Match[str]) -> str:
        tag = m.group(0)
        for name in ("x1", "y1", "x2", "y2"):
            if f" {name}=" not in tag:
                tag = tag.replace("<line", f'<line {name}="0"', 1)
        return tag

    def shape(m: re.Match[str]) -> str:
        attrs = m.group(2)
        if "stroke-width=" in attrs and " stroke=" not in attrs:
            attrs = ' stroke="none"' + attrs
        return f"<{m.group(1)}{attrs}>"

    svg = _INVISIBLE.sub("", _EMPTY_PATH.sub("", _LINE.sub(line, svg)))
    return _FONT.sub(f'font-family="{font_family}"', _SHAPE.sub(shape, svg))


def preload() -> None:
    """Import fpdf2 now (about 0.4 s the first time in a process).

    Called while vl-convert is still starting in the background (``previsit.warm_up``), the
    import costs no extra time.
    """
    try:
        import fpdf  # noqa: F401
    except ImportError as exc:  # pragma: no cover - the extra is installed in development
        raise MissingExtraError("reports", feature="PDF reports") from exc


def _svg_size(svg: str) -> tuple[float, float]:
    m = _SIZE.search(svg)
    if m is None:  # pragma: no cover - vl-convert always writes both
        raise ValueError("chart SVG has no width/height")
    return float(m.group(1)), float(m.group(2))


class _Page:
    """One A4 page and the helpers the layout uses."""

    def __init__(self, fonts: tuple[Path, Path] | None) -> None:
        """``fonts``: (regular, bold) TrueType files, or ``None`` for the built-in Helvetica."""
        try:
            from fpdf import FPDF
        except ImportError as exc:  # pragma: no cover - the extra is installed in development
            raise MissingExtraError("reports", feature="PDF reports") from exc
        self.pdf: FPDF = FPDF(orientation="P", unit="mm", format="A4")
        self.pdf.set_margins(MARGIN, MARGIN, MARGIN)
        self.pdf.set_auto_page_break(auto=False)
        self.unicode = fonts is not None
        self.draw_charts = True
        self.family = "helvetica"
        if fonts is not None:
            self.family = "DejaVu"
            self.pdf.add_font(self.family, "", str(fonts[0]))
            self.pdf.add_font(self.family, "B", str(fonts[1]))
        self.pdf.set_title("Pre-visit report")
        self.pdf.set_creator("immunospine")
        self.pdf.add_page()

    def text(self, value: str) -> str:
        if self.unicode:
            return value
        for k, v in _ASCII.items():
            value = value.replace(k, v)
        return value.encode("latin-1", "replace").decode("latin-1")

    def font(self, size: float, bold: bool = False, colour: Sequence[int] = (0, 0, 0)) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)
        self.pdf.set_text_color(*colour)

    def write(self, x: float, y: float, w: float, h: float, value: str, **kw: object) -> float:
        """A wrapped paragraph at (x, y); returns the y below it."""
        self.pdf.set_xy(x, y)
        self.pdf.multi_cell(
            w,
            h,
            self.text(value),
            new_x="LEFT",
            new_y="NEXT",
            align="L",
            **kw,  # type: ignore[arg-type]
        )
        return float(self.pdf.get_y())

    def heading(self, x: float, y: float, w: float, value: str) -> float:
        self.font(9.5, bold=True)
        self.pdf.set_xy(x, y)
        self.pdf.cell(w, 4.6, self.text(value))
        self.pdf.set_draw_color(*RULE)
        self.pdf.line(x, y + 4.8, x + w, y + 4.8)
        return y + 5.6

    def table(
        self, x: float, y: float, widths: Sequence[float], head: Sequence[str],
        rows: Sequence[Sequence[str]],
    ) -> float:  # fmt: skip
        """A compact table with a bold header row; returns the y below it."""
        h = 4.0
        self.font(7.5, bold=True, colour=GREY)
        cx = x
        for w, cell in zip(widths, head, strict=True):
            self.pdf.set_xy(cx, y)
            self.pdf.cell(w, h, self.text(cell))
            cx += w
        y += h
        self.font(8)
        for row in rows:
            cx = x
            for w, cell in zip(widths, row, strict=True):
                self.pdf.set_xy(cx, y)
                self.pdf.cell(w, h, self.text(_fit(self, cell, w)))
                cx += w
            self.pdf.set_draw_color(225, 225, 225)
            self.pdf.line(x, y + h, x + sum(widths), y + h)
            y += h
        return y

    def chart(self, svg: str, x: float, y: float, mm_per_px: float) -> float:
        width, height = _svg_size(svg)
        if not self.draw_charts:  # a trial layout: only where the chart would end
            return y + height * mm_per_px
        svg = _TEXT.sub(lambda m: m.group(1) + self.text(m.group(2)), tidy_svg(svg, self.family))
        self.pdf.image(io.BytesIO(svg.encode()), x=x, y=y,
                       w=width * mm_per_px, h=height * mm_per_px)  # fmt: skip
        return y + height * mm_per_px


def _fit(page: _Page, cell: str, width: float) -> str:
    """``cell`` cut with an ellipsis to fit ``width`` mm in the current font."""
    if page.pdf.get_string_width(page.text(cell)) <= width - 1:
        return cell
    while cell and page.pdf.get_string_width(page.text(cell + "…")) > width - 1:
        cell = cell[:-1]
    return cell + "…"


def _header(page: _Page, view: PrevisitView) -> float:
    page.font(16, bold=True)
    page.pdf.set_xy(MARGIN, MARGIN)
    page.pdf.cell(100, 7, view.title)
    page.font(8, colour=GREY)
    page.pdf.set_xy(MARGIN, MARGIN)
    page.pdf.cell(CONTENT_W, 4, page.text(view.prepared), align="R")
    page.pdf.set_xy(MARGIN, MARGIN + 4)
    page.pdf.cell(CONTENT_W, 4, page.text(view.period), align="R")
    page.font(11, bold=True)
    page.pdf.set_xy(MARGIN, MARGIN + 8.5)
    page.pdf.cell(page.pdf.get_string_width(view.patient) + 2, 5, page.text(view.patient))
    page.font(8.5)
    page.pdf.cell(0, 5, page.text(view.details))
    y = MARGIN + 15
    page.pdf.set_fill_color(255, 248, 214)
    page.pdf.set_draw_color(60, 60, 60)
    page.font(8.5, bold=True)
    page.pdf.set_xy(MARGIN, y)
    page.pdf.cell(CONTENT_W, 5.5, page.text(view.disclaimer), border=1, fill=True, align="C")
    return y + 7.5


def _summary(page: _Page, view: PrevisitView, y: float) -> float:
    left_w, gap = 92.0, 6.0
    right_x, right_w = MARGIN + left_w + gap, CONTENT_W - left_w - gap
    ly = page.heading(MARGIN, y, left_w, "Latest scores")
    ly = page.table(MARGIN, ly, (24, 22, 20, 26), ("Score", "Date", "Value", "Band"),
                    view.score_rows or (("—", "no scores in the period", "", ""),))  # fmt: skip
    ry = page.heading(right_x, y, right_w, "Treat to target")
    for line, off in view.target_lines:
        page.font(8, bold=off, colour=RED if off else (0, 0, 0))
        ry = page.write(right_x, ry, right_w, 3.7, line)
    ry += 1.2
    page.font(8, bold=True)
    ry = page.write(right_x, ry, right_w, 3.7, "Flares in the period")
    page.font(8)
    for line in view.flare_lines:
        ry = page.write(right_x, ry, right_w, 3.6, line)
    ry += 1.2
    page.font(8, bold=True)
    ry = page.write(right_x, ry, right_w, 3.7, "Questionnaires due")
    page.font(8)
    for line in view.due_lines:
        ry = page.write(right_x, ry, right_w, 3.6, line)
    return max(ly, ry) + 2.5


def _bottom(page: _Page, view: PrevisitView, y: float) -> float:
    left_w, gap = 118.0, 5.0
    right_x, right_w = MARGIN + left_w + gap, CONTENT_W - left_w - gap
    ly = page.heading(MARGIN, y, left_w, "Medication changes")
    ly = page.table(MARGIN, ly, (50, 20, 20, 28), ("Medication", "Started", "Stopped", "Reason"),
                    view.medication_rows)  # fmt: skip
    if view.medication_note:
        page.font(7.5, colour=GREY)
        ly = page.write(MARGIN, ly + 0.5, left_w, 3.4, view.medication_note)
    if view.option_lines:
        ly = page.heading(MARGIN, ly + 1.5, left_w, "Options to discuss")
        page.font(7.5)
        for line in view.option_lines:
            ly = page.write(MARGIN, ly, left_w, 3.4, line)
    ry = page.heading(right_x, y, right_w, "My questions for this visit")
    page.pdf.set_draw_color(120, 120, 120)
    box_h = max(ly - ry, QUESTION_LINES * 6.5)
    page.pdf.rect(right_x, ry, right_w, box_h)
    page.pdf.set_draw_color(*RULE)
    step = box_h / (QUESTION_LINES + 1)
    for i in range(1, QUESTION_LINES + 1):
        page.pdf.line(right_x + 2, ry + i * step, right_x + right_w - 2, ry + i * step)
    return max(ly, ry + box_h) + 2


def _footer(page: _Page, view: PrevisitView, y: float) -> None:
    page.font(7, colour=GREY)
    page.write(MARGIN, y, CONTENT_W, 3.1, view.legend)
    page.pdf.set_draw_color(*RULE)
    page.pdf.line(MARGIN, PAGE_H - MARGIN - 4, PAGE_W - MARGIN, PAGE_H - MARGIN - 4)
    page.pdf.set_xy(MARGIN, PAGE_H - MARGIN - 3.5)
    page.pdf.cell(CONTENT_W, 3.5, page.text(view.footer))


def _layout(view: PrevisitView, svgs: Mapping[str, str], fonts: tuple[Path, Path] | None,
            chart_scale: float, *, draw: bool = True) -> tuple[_Page, float]:  # fmt: skip
    """The page laid out at ``chart_scale`` and where its content ends; ``draw=False`` is a
    trial that places the charts without drawing them (drawing an SVG is most of the cost)."""
    page = _Page(fonts)
    page.draw_charts = draw
    y = _summary(page, view, _header(page, view))
    # One scale for every chart (set by the first; all are about as wide), so their time axes
    # line up; a chart a pixel wider is shrunk to fit rather than run into the margin.
    mm_per_px = 0.0
    for name in [n for n in (*charts.CHARTS, ASSOCIATIONS) if n in svgs]:
        svg = svgs[name]
        fit = CONTENT_W / _svg_size(svg)[0]
        mm_per_px = min(mm_per_px or fit * chart_scale, fit)
        y = page.chart(svg, MARGIN, y, mm_per_px) + 1.5
    y = _bottom(page, view, y + 1)
    _footer(page, view, y)
    return page, y


def _needs_unicode(view: PrevisitView, svgs: Mapping[str, str]) -> bool:
    """Whether any text is outside Latin-1 even after the typographic replacements.

    Helvetica is built into every PDF reader and costs nothing to load; a TrueType font costs
    about a quarter of a second to read, so it is embedded only when a name needs it.
    """
    texts = [str(v) for v in astuple(view)]
    texts += [m.group(2) for svg in svgs.values() for m in _TEXT.finditer(svg)]
    for text in texts:
        for k, v in _ASCII.items():
            text = text.replace(k, v)
        if any(ord(c) > 255 for c in text):
            return True
    return False


def render_previsit_pdf(
    data: PrevisitData, svgs: Mapping[str, str] | None = None, *, font_dir: Path | None = None
) -> bytes:
    """The pre-visit report as the bytes of a one-page A4 PDF."""
    if svgs is None:
        svgs = chart_svgs(charts.all_charts(data))
    view = previsit_view(data)
    fonts = find_unicode_font(font_dir) if _needs_unicode(view, svgs) else None
    limit = PAGE_H - MARGIN - 4.5 - 2 * 3.1  # room for a two-line legend
    # the page is laid out without the "what moved with your pain" chart first; the chart is
    # added at the largest scale where the page is predicted to hold it (charts grow with the
    # scale, text does not), with one more layout; if it still does not fit, it is left out
    extra = svgs.get(ASSOCIATIONS)
    base = {name: svg for name, svg in svgs.items() if name != ASSOCIATIONS}
    scales = (1.0, 0.92, 0.85, 0.78, 0.7)
    made: list[_Page] = []
    chosen: Mapping[str, str] = base
    for scale in scales:
        page, bottom = _layout(view, base, fonts, scale, draw=False)
        made.append(page)
        if bottom <= limit:
            break
    chosen_scale = scale
    if extra is not None:
        charted = [base[n] for n in charts.CHARTS if n in base]
        px = sum(_svg_size(svg)[1] for svg in charted)
        at = _mm_per_px(charted, scale)
        for s in (s for s in scales if CHART_MIN_SCALE <= s <= scale):
            predicted = bottom - px * (at - _mm_per_px(charted, s))
            if predicted + _svg_size(extra)[1] * _mm_per_px([*charted, extra], s) + 1.5 <= limit:
                with_chart, b = _layout(view, svgs, fonts, s, draw=False)
                made.append(with_chart)
                if b <= limit:
                    chosen, chosen_scale = svgs, s
                break
    page, _ = _layout(view, chosen, fonts, chosen_scale)  # the one layout that is drawn
    made.append(page)
    content = bytes(page.pdf.output())
    for each in made:
        close_fonts(each.pdf)
    return content


ASSOCIATIONS = "associations_chart"
CHART_MIN_SCALE = 0.78
"""The other charts are not shrunk below this to make room for the associations chart."""


def _mm_per_px(svgs: Sequence[str], scale: float) -> float:
    """The one chart scale ``_layout`` uses for these charts at ``scale``."""
    mm_per_px = 0.0
    for svg in svgs:
        fit = CONTENT_W / _svg_size(svg)[0]
        mm_per_px = min(mm_per_px or fit * scale, fit)
    return mm_per_px
