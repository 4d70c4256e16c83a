"""``docs/reference/unverified-facts.md``: every fact still marked unverified, generated from the
data where the flags live (registered in ``immunospine.docsgen``; issue 14)."""

from __future__ import annotations

from collections.abc import Sequence

from immunospine.knowledge.verification import AREAS, REASON_IN_FACT, AreaCount, UnverifiedFact

__all__ = ["render_unverified"]

_REGENERATE = "python -m immunospine.docsgen --write"


def _text(text: str) -> str:
    return " ".join(text.split())


def _cell(text: str) -> str:
    return _text(text).replace("|", "\\|")


def render_unverified(counts: Sequence[AreaCount], facts: Sequence[UnverifiedFact]) -> str:
    """The whole page (deterministic: area order, then data order; no dates)."""
    out = [
        "# Facts still unverified",
        "",
        f"<!-- Generated from the knowledge data and the concept sets by `{_REGENERATE}`. "
        "Do not edit. -->",
        "",
        "Every clinical fact carries a citation and a verified flag: *verified* only when someone "
        "read the source through the search tool and said which (issue 14). This page lists "
        "every fact still marked unverified, collected from the data where the flag lives "
        "(calculator specs' `unverified`, the axSpA likelihood-ratio rows, `red_flags.toml`, "
        "`referral_strategies.toml`, the treatment guideline steps, the programme catalogue, "
        "the autoimmune base's sources, the concept sets), with the reason as recorded, the "
        "result that depends on it and what a clinician or data engineer must check. The same "
        "list: `immunospine knowledge unverified [--area A] [--json]`. Decisions and priorities: "
        "`docs/clinical-decisions.md`, section *What is still unverified (issue 14)*.",
        "",
        "An item (a calculator, a likelihood-ratio row, a red flag, a guideline step, a programme "
        "entry, a disease, a concept) counts as unverified when at least one of its facts is.",
        "",
        "| area | items | verified | unverified | open facts |",
        "|---|---:|---:|---:|---:|",
    ]
    for c in counts:
        out.append(
            f"| {c.title} (`{c.area}`) | {c.items} | {c.verified} | {c.unverified} | {c.facts} |"
        )
    out.append(
        f"| **all** | {sum(c.items for c in counts)} | {sum(c.verified for c in counts)} | "
        f"{sum(c.unverified for c in counts)} | {sum(c.facts for c in counts)} |"
    )
    for c in counts:
        mine = [f for f in facts if f.area == c.area]
        out += ["", f"## {AREAS[c.area]}", ""]
        if not mine:
            out.append("Nothing unverified.")
            continue
        items = list(dict.fromkeys(f.item for f in mine))
        for item in items:
            its = [f for f in mine if f.item == item]
            out.append(f"- **{_cell(item)}**")
            for affects in dict.fromkeys(f.affects for f in its):
                out.append(f"  - affects: {_text(affects)}")
            for f in its:
                why = "" if f.reason == REASON_IN_FACT else f" — *why:* {_text(f.reason)}"
                out.append(f"  - unverified: {_text(f.what)}{why}")
            for check in dict.fromkeys(f.check for f in its):
                out.append(f"  - to check: {_text(check)}")
    return "\n".join(out) + "\n"
