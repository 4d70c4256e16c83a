"""Render a ``Report`` as a one-page A4 PDF with fpdf2 (the ``reports`` extra).

Unicode text needs a TrueType font: DejaVu Sans is looked for in ``FONT_DIRS`` (Debian package
``fonts-dejavu-core``) or in ``font_dir``. Without it the PDF falls back to the built-in Helvetica,
and characters outside Latin-1 are replaced by plain equivalents (``≥`` → ``>=``) or ``?``.

One page: the report is laid out at ``SIZES[0]`` points and, while it runs onto a second page,
again at a smaller size (the largest the overflow suggests could fit, then each smaller one).
Should even the smallest overflow, page breaks are switched off and the bottom of the page is cut
off (the title, alert and disclaimer come first, so they always show): the result is always one
page.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from immunospine.errors import MissingExtraError
from immunospine.reports.model import BarChart, Bullets, Paragraph, Report, Section, Table

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = ["FONT_DIRS", "close_fonts", "find_unicode_font", "render_pdf"]

FONT_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
)
SIZES: tuple[float, ...] = (9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0, 5.5, 5.0)
MARGIN_MM = 10.0
_ASCII = {
    "–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "≥": ">=", "≤": "<=",
    "→": "->", "…": "...", "•": "-", "≈": "~", "−": "-",
}  # fmt: skip
_BLUE = (31, 95, 168)
_OLIVE = (107, 142, 35)


def find_unicode_font(font_dir: Path | None = None) -> tuple[Path, Path] | None:
    """(regular, bold) DejaVu Sans files, from ``font_dir`` or ``FONT_DIRS``; ``None`` if absent."""
    for folder in (font_dir,) if font_dir is not None else FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


def close_fonts(pdf: Any) -> None:
    """Close the TrueType files an ``FPDF`` opened (fontTools reads them lazily and keeps them
    open; left to the garbage collector they are closed at a random later moment, with a
    ResourceWarning)."""
    for font in getattr(pdf, "fonts", {}).values():
        ttfont = getattr(font, "ttfont", None)
        if ttfont is not None:
            ttfont.close()


class _Writer:
    """Draws one report at one base font size."""

    def __init__(self, fonts: tuple[Path, Path] | None, size: float, clip: bool) -> None:
        try:
            from fpdf import FPDF
        except ImportError as exc:  # pragma: no cover - the extra is installed in development
            raise MissingExtraError("reports", feature="PDF reports") from exc
        self.pdf: FPDF = FPDF(orientation="P", unit="mm", format="A4")
        self.pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
        self.pdf.set_auto_page_break(auto=not clip, margin=MARGIN_MM)
        self.unicode = fonts is not None
        self.family = "helvetica"
        if fonts is not None:
            self.pdf.add_font("DejaVu", "", str(fonts[0]))
            self.pdf.add_font("DejaVu", "B", str(fonts[1]))
            self.family = "DejaVu"
        self.size = size
        self.line = size * 0.45
        self.pdf.add_page()

    def text(self, value: str) -> str:
        if self.unicode:
            return value
        for k, v in _ASCII.items():
            value = value.replace(k, v)
        return value.encode("latin-1", "replace").decode("latin-1")

    def font(self, scale: float = 1.0, bold: bool = False) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", self.size * scale)

    def para(self, value: str, *, scale: float = 1.0, bold: bool = False, **kw: Any) -> None:
        self.font(scale, bold)
        self.pdf.multi_cell(
            0, self.line * scale, self.text(value), new_x="LMARGIN", new_y="NEXT", align="L", **kw
        )

    def boxed(self, value: str, fill: tuple[int, int, int], color: tuple[int, int, int]) -> None:
        self.pdf.set_fill_color(*fill)
        self.pdf.set_text_color(*color)
        self.pdf.set_draw_color(40, 40, 40)
        self.para(value, bold=True, border=1, fill=True, padding=1.2)
        self.pdf.set_text_color(0, 0, 0)
        self.pdf.ln(1)

    def section(self, section: Section) -> None:
        self.pdf.ln(0.8)
        self.para(section.heading, scale=1.15, bold=True)
        y = self.pdf.get_y()
        self.pdf.set_draw_color(150, 150, 150)
        self.pdf.line(MARGIN_MM, y, self.pdf.w - MARGIN_MM, y)
        self.pdf.ln(0.6)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                color = (90, 90, 90) if block.tone == "muted" else (0, 0, 0)
                self.pdf.set_text_color(*color)
                self.para(block.text, bold=block.tone == "strong")
                self.pdf.set_text_color(0, 0, 0)
            elif isinstance(block, Bullets):
                self.bullets(block.items)
            elif isinstance(block, Table):
                self.table(block)
            else:
                self.chart(block)

    def bullets(self, items: Iterable[str]) -> None:
        self.font()
        for item in items:
            self.pdf.set_x(MARGIN_MM + 2)
            self.pdf.multi_cell(
                0, self.line, self.text(f"•  {item}"), new_x="LMARGIN", new_y="NEXT", align="L"
            )

    def table(self, table: Table) -> None:
        rows = list(table.rows)
        parts = table.split if table.split > 1 and len(rows) >= 2 * table.split else 1
        size = -(-len(rows) // parts)
        chunks = [rows[i : i + size] for i in range(0, len(rows), size)] or [[]]
        width = len(table.columns)
        head = [self.text(c) for c in table.columns] * parts
        body = []
        for i in range(size):
            line: list[str] = []
            for chunk in chunks:
                line += [self.text(c) for c in chunk[i]] if i < len(chunk) else [""] * width
            body.append(line)
        self.font(0.9)
        self.pdf.set_fill_color(255, 255, 255)
        weights = [
            min(max(max((len(r[i]) for r in rows), default=0), len(table.columns[i]), 8), 40)
            for i in range(width)
        ] * parts
        from fpdf.fonts import FontFace

        with self.pdf.table(
            headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
            col_widths=tuple(weights),
            line_height=self.line * 0.95,
            borders_layout="HORIZONTAL_LINES",
            text_align="LEFT",
            padding=0.5,
        ) as pdf_table:
            for cells in [head, *body]:
                row = pdf_table.row()
                for cell in cells:
                    row.cell(cell)
        self.pdf.ln(0.5)

    def chart(self, chart: BarChart) -> None:
        pdf = self.pdf
        label_w, half, row_h = 62.0, 40.0, self.line * 1.05
        axis = MARGIN_MM + label_w + 2 + half
        biggest = max((abs(b.value) for b in chart.bars), default=0.0) or 1.0
        self.font(0.85)
        if chart.left_label or chart.right_label:
            pdf.set_xy(axis - half, pdf.get_y())
            pdf.cell(half - 1, row_h, self.text(chart.left_label), align="R")
            pdf.cell(half, row_h, " " + self.text(chart.right_label), align="L")
            pdf.ln(row_h)
        top = pdf.get_y()
        for i, bar in enumerate(chart.bars):
            y = top + i * row_h
            pdf.set_xy(MARGIN_MM, y)
            pdf.cell(label_w, row_h, self.text(bar.label), align="R")
            length = max(half * abs(bar.value) / biggest, 0.3)
            pdf.set_fill_color(*(_OLIVE if bar.value < 0 else _BLUE))
            x = axis - length if bar.value < 0 else axis
            pdf.rect(x, y + row_h * 0.15, length, row_h * 0.7, style="F")
            pdf.set_xy(axis + half + 2, y)
            pdf.cell(0, row_h, self.text(bar.note))
        pdf.set_draw_color(40, 40, 40)
        pdf.line(axis, top, axis, top + row_h * len(chart.bars))
        pdf.set_xy(MARGIN_MM, top + row_h * len(chart.bars) + 0.5)
        if chart.caption:
            pdf.set_text_color(90, 90, 90)
            self.para(chart.caption, scale=0.85)
            pdf.set_text_color(0, 0, 0)

    def report(self, report: Report) -> bytes:
        self.para(report.title, scale=1.6, bold=True)
        sub = report.date.isoformat() + (f" · {report.subtitle}" if report.subtitle else "")
        self.pdf.set_text_color(90, 90, 90)
        self.para(sub, scale=0.9)
        self.pdf.set_text_color(0, 0, 0)
        self.pdf.ln(1)
        if report.alert:
            self.boxed(report.alert, (176, 0, 32), (255, 255, 255))
        self.boxed(report.disclaimer, (255, 248, 214), (0, 0, 0))
        for section in report.sections:
            self.section(section)
        if report.footer:
            self.pdf.ln(1)
            self.para(report.footer, scale=0.8)
        return bytes(self.pdf.output())


def render_pdf(report: Report, *, font_dir: Path | None = None) -> bytes:
    """The report as the bytes of a one-page A4 PDF."""
    fonts = find_unicode_font(font_dir)
    i = 0
    while i < len(SIZES):
        writer = _Writer(fonts, SIZES[i], clip=False)
        data = writer.report(report)
        pdf = writer.pdf
        close_fonts(pdf)
        if pdf.pages_count == 1:
            return data
        # Height grows with the size at most as its square (more lines, each taller), so this
        # guess is never smaller than needed; the loop then steps down from it.
        usable = pdf.h - 2 * MARGIN_MM
        used = (pdf.pages_count - 1) * usable + pdf.get_y() - MARGIN_MM
        guess = SIZES[i] * math.sqrt(usable / used)
        i = next((j for j in range(i + 1, len(SIZES)) if SIZES[j] <= guess), len(SIZES))
    last = _Writer(fonts, SIZES[-1], clip=True)
    data = last.report(report)
    close_fonts(last.pdf)
    return data
