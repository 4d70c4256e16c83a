"""The generated programme reference lists every session, rule and source with its status, and
matches docs/reference/programme.md (regenerate with ``python -m immunospine.docsgen --write``)."""

from __future__ import annotations

from pathlib import Path

from immunospine import docsgen
from immunospine.knowledge.programme.catalogue import catalogue
from immunospine.reports.programme_doc import render_programme

ROOT = Path(__file__).resolve().parents[2]


def test_every_session_source_and_unverified_fact_is_listed() -> None:
    text = render_programme()
    cat = catalogue()
    for s in cat.session:
        assert f"### {s.id}" in text
        for fact in s.unverified:
            assert f"not verified: {fact}" in text
    for code in cat.sources:
        assert f"| {code} |" in text
    assert "**not verified**" in text
    assert "Red flag: new pain after a fall" in text


def test_registered_and_up_to_date() -> None:
    assert docsgen.PROGRAMME_MD in docsgen._TARGETS
    on_disk = (ROOT / docsgen.PROGRAMME_MD).read_text(encoding="utf-8")
    assert on_disk == render_programme(), "regenerate: python -m immunospine.docsgen --write"
