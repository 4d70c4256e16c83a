"""Generated reference docs match the registry: regenerate with ``python -m immunospine.docsgen --write``."""

from __future__ import annotations

from pathlib import Path

import pytest

from immunospine import docsgen
from immunospine.knowledge import catalogue

ROOT = Path(__file__).resolve().parents[1]


def test_calculator_reference_is_current() -> None:
    on_disk = (ROOT / docsgen.CALCULATORS_MD).read_text(encoding="utf-8")
    assert on_disk == docsgen.render_calculators(), (
        f"{docsgen.CALCULATORS_MD} is out of date: run .venv/bin/python -m immunospine.docsgen --write"
    )


def test_every_calculator_has_a_section_with_its_facts() -> None:
    text = docsgen.render_calculators()
    for spec in catalogue():
        section = text.split(f"\n## {spec.name}\n", 1)[1].split("\n## ", 1)[0]
        assert spec.title in section and spec.version in section
        for field in spec.inputs.model_fields:
            assert f"`{field}`" in section
        for category in spec.categories:
            assert f"`{category}`" in section
        for ref in spec.references:
            if ref.doi:
                assert f"https://doi.org/{ref.doi}" in section
            if ref.pmid:
                assert f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/" in section
        for fact in spec.unverified:
            assert " ".join(fact.split()) in section


def test_bands_show_the_inclusivity_of_each_boundary() -> None:
    text = docsgen.render_calculators()
    asdas = text.split("\n## asdas_crp\n", 1)[1].split("\n## ", 1)[0]
    for row in (
        "| `inactive` | score < 1.3 |",
        "| `low` | 1.3 ≤ score < 2.1 |",
        "| `high` | 2.1 ≤ score ≤ 3.5 |",
        "| `very_high` | 3.5 < score |",
    ):
        assert row in asdas
    assert "| `crp_mg_l` | number | x ≥ 0 | required |" in asdas


def test_output_is_deterministic() -> None:
    assert docsgen.render_calculators() == docsgen.render_calculators()


def test_check_and_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert docsgen.main(["--check", "--root", str(tmp_path)]) == 1
    assert "calculators.md is out of date" in capsys.readouterr().err
    assert docsgen.main(["--write", "--root", str(tmp_path)]) == 0
    assert docsgen.main(["--check", "--root", str(tmp_path)]) == 0
    (tmp_path / docsgen.CALCULATORS_MD).write_text("stale", encoding="utf-8")
    assert docsgen.main(["--check", "--root", str(tmp_path)]) == 1
    capsys.readouterr()
    assert docsgen.main([]) == 0
    assert capsys.readouterr().out == "".join(render() for render in docsgen._TARGETS.values())


def test_cli_reference_is_current_and_lists_every_command() -> None:
    import typer

    from immunospine.cli import app, register_all

    on_disk = (ROOT / docsgen.CLI_MD).read_text(encoding="utf-8")
    assert on_disk == docsgen.render_cli(), (
        f"{docsgen.CLI_MD} is out of date: run .venv/bin/python -m immunospine.docsgen --write"
    )
    register_all()
    root = typer.main.get_command(app)
    for name in root.commands:  # type: ignore[attr-defined]
        assert f"## `immunospine {name}`" in on_disk


def test_every_document_the_readme_names_is_in_the_repository() -> None:
    """The README points only at files a user has (issue 8, defect 10)."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(docs/[^`\s]+)`", readme))
    assert named, "the README names no documents"
    missing = sorted(p for p in named if not (ROOT / p.rstrip("/")).exists())
    assert not missing, f"README names documents that are not in the repository: {missing}"
    assert "shared reference" not in readme
