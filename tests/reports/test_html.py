"""The HTML renderer: one self-contained page with the disclaimer and every section."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from immunospine.reports.html import chart_geometry, render_html
from immunospine.reports.model import BarChart
from tests.reports.sample import DISCLAIMER, sample_report


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs


def parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def test_html_has_the_disclaimer_and_every_section() -> None:
    report = sample_report()
    html = render_html(report)
    assert html.startswith("<!DOCTYPE html>")
    assert DISCLAIMER in html
    assert 'class="disclaimer"' in html
    for section in report.sections:
        assert f"<h2>{section.heading}</h2>" in html
    assert "2025-03-04" in html
    assert "Question number 11" in html


def test_html_is_self_contained_and_printable() -> None:
    html = render_html(sample_report())
    tags = parse(html)
    assert "script" not in tags.tags and "link" not in tags.tags and "img" not in tags.tags
    assert not [v for k, v in tags.attrs if k in {"src", "href"}]
    assert re.findall(r"https?://[^\s\"]+", html) == ["http://www.w3.org/2000/svg"]
    assert "@page { size: A4" in html


def test_html_escapes_text() -> None:
    html = render_html(sample_report())
    assert "Some &lt;b&gt;markup&lt;/b&gt; &amp; ampersands" in html
    assert "<b>markup" not in html


def test_alert_shows_only_when_there_is_one() -> None:
    assert 'role="alert"' not in render_html(sample_report())
    html = render_html(sample_report(alert="Seek emergency care now."))
    assert html.index('role="alert"') < html.index('class="disclaimer"')


def test_split_tables_are_set_side_by_side() -> None:
    assert render_html(sample_report(rows=12)).count("<table>") == 2
    assert render_html(sample_report(rows=3)).count("<table>") == 1


def test_bar_chart_is_inline_svg_with_one_bar_per_value() -> None:
    report = sample_report()
    chart = report.section("Chance").blocks[0]
    assert isinstance(chart, BarChart)
    html = render_html(report)
    assert html.count("<svg") == 1
    assert html.count("<rect") == len(chart.bars)
    geometry = chart_geometry(chart)
    up, down = geometry["bars"]
    assert up.x == geometry["axis_x"] and not up.negative
    assert down.x + down.width == geometry["axis_x"] and down.negative
    assert up.width > down.width


def test_an_empty_chart_renders() -> None:
    assert chart_geometry(BarChart(()))["bars"] == []
