"""docs/reference/unverified-facts.md is generated from the data and lists every open fact."""

from __future__ import annotations

from immunospine import docsgen
from immunospine.knowledge.verification import REASON_IN_FACT, AreaCount, UnverifiedFact
from immunospine.reports.unverified_doc import render_unverified
from immunospine.services.verification import all_unverified, summary
from tests.paths import REPO_ROOT as ROOT


def test_unverified_reference_is_up_to_date() -> None:
    on_disk = (ROOT / docsgen.UNVERIFIED_MD).read_text(encoding="utf-8")
    assert on_disk == docsgen.render_unverified(), (
        f"{docsgen.UNVERIFIED_MD} is out of date: run .venv/bin/python -m immunospine.docsgen --write"
    )
    assert docsgen._TARGETS[docsgen.UNVERIFIED_MD] is docsgen.render_unverified


def test_every_fact_and_count_is_on_the_page() -> None:
    text = docsgen.render_unverified()
    for c in summary():
        assert f"| {c.title} (`{c.area}`) | {c.items} | {c.verified} | {c.unverified} |" in text
    for f in all_unverified():
        assert " ".join(f.what.split()) in text
        assert " ".join(f.check.split()) in text
        if f.reason != REASON_IN_FACT:
            assert " ".join(f.reason.split()) in text


def test_an_area_with_nothing_open_says_so() -> None:
    counts = [
        AreaCount("red_flags", "Red flags", 2, 2, 0, 0),
        AreaCount("treatment", "T", 1, 0, 1, 1),
    ]
    fact = UnverifiedFact("treatment", "g · s", "what | pipe", "why", "options", "check")
    text = render_unverified(counts, [fact])
    assert "Nothing unverified." in text
    assert "**g · s**" in text and "— *why:* why" in text
    assert "| **all** | 3 | 2 | 1 | 1 |" in text
