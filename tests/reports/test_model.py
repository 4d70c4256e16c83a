"""The Report model: plain frozen data with a few shape checks."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from immunospine.reports.model import Paragraph, Report, Section, Table


def test_table_rows_must_match_the_columns() -> None:
    Table(("a", "b"), (("1", "2"),))
    with pytest.raises(ValueError, match="2 cells"):
        Table(("a", "b", "c"), (("1", "2"),))
    with pytest.raises(ValueError, match="split"):
        Table(("a",), (), split=0)


def test_report_is_frozen_and_finds_sections_by_heading() -> None:
    report = Report("T", date(2025, 1, 2), (Section("One", (Paragraph("x"),)),), "not a diagnosis")
    assert report.section("One").blocks == (Paragraph("x"),)
    with pytest.raises(KeyError):
        report.section("Two")
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.title = "other"  # type: ignore[misc]
