"""A sample report with every kind of block (invented content)."""

from __future__ import annotations

from datetime import date

from immunospine.reports.model import Bar, BarChart, Bullets, Paragraph, Report, Section, Table

DISCLAIMER = "This supports a decision, it is not a diagnosis."


def sample_report(*, rows: int = 12, alert: str = "") -> Report:
    return Report(
        title="Back pain self-check: summary",
        date=date(2025, 3, 4),
        subtitle="a test — with Unicode: ≥ 45 minutes, naïve café, “quotes”",
        alert=alert,
        disclaimer=DISCLAIMER,
        sections=(
            Section(
                "What your answers suggest",
                (
                    Paragraph("See your GP.", "strong"),
                    Paragraph("Some <b>markup</b> & ampersands must be escaped."),
                    Paragraph("For the doctor: details.", "muted"),
                ),
            ),
            Section("Warning signs", (Bullets(("none reported", "one more item")),)),
            Section(
                "Chance",
                (
                    BarChart(
                        (Bar("HLA-B27", 2.2, "×9.0"), Bar("No raised CRP", -0.46, "×0.63")),
                        caption="How much each answer changed the chance.",
                        left_label="lowers",
                        right_label="raises",
                    ),
                ),
            ),
            Section(
                "Your answers",
                (
                    Table(
                        ("Question", "Answer"),
                        tuple((f"Question number {i}", "Don't know") for i in range(rows)),
                        split=2,
                    ),
                ),
            ),
        ),
        footer="immunospine test",
    )
