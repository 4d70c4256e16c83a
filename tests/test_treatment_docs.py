"""docs/reference/treatment.md is generated from the guideline data and lists every step."""

from __future__ import annotations

from immunospine import docsgen
from immunospine.knowledge.treatment import guidelines
from tests.paths import REPO_ROOT as ROOT


def test_treatment_reference_is_up_to_date() -> None:
    on_disk = (ROOT / docsgen.TREATMENT_MD).read_text(encoding="utf-8")
    assert on_disk == docsgen.render_treatment(), (
        f"{docsgen.TREATMENT_MD} is out of date: run .venv/bin/python -m immunospine.docsgen --write"
    )


def test_every_step_with_its_citation_and_status() -> None:
    text = docsgen.render_treatment()
    for g in guidelines():
        assert g.guideline.citation in text
        for s in g.step:
            row = next(
                line
                for line in text.splitlines()
                if f"(`{s.id}`) |" in line and s.wording[:30] in line
            )
            assert ("**not checked**" in row) != s.verified
    assert docsgen.TREATMENT_MD in docsgen._TARGETS
