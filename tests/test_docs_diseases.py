"""docs/reference/autoimmune-diseases.md matches the knowledge base (regenerate with
``python -m immunospine.docsgen --write``)."""

from __future__ import annotations

from pathlib import Path

from immunospine import docsgen
from immunospine.knowledge.reasoning import autoimmune

ROOT = Path(__file__).resolve().parents[1]


def test_disease_reference_is_current() -> None:
    on_disk = (ROOT / docsgen.DISEASES_MD).read_text(encoding="utf-8")
    assert on_disk == docsgen.render_diseases(), (
        f"{docsgen.DISEASES_MD} is out of date: run .venv/bin/python -m immunospine.docsgen --write"
    )


def test_every_disease_has_a_section_with_its_sources_and_status() -> None:
    text = docsgen.render_diseases()
    assert "Hayter" in text and "## Counts" in text
    for key, entry in autoimmune.diseases().items():
        section = text.split(f"## {entry.name} (`{key}`)\n", 1)[1].split("\n## ", 1)[0]
        for source in entry.sources:
            assert source.citation in section
        assert ("**not verified**" in section) == (not entry.verified)
    for key in autoimmune.disease_lists():
        assert f"| `{key}` |" in text
