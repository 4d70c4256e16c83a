"""``immunospine knowledge unverified [--area A] [--json]``: every fact still marked unverified
(issue 14), with counts per area; the same list as ``docs/reference/unverified-facts.md``."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from immunospine.cli._io import dumps_json
from immunospine.cli.knowledge import knowledge_app

__all__ = ["unverified"]

_AREAS = (
    "calculators, axspa_likelihood_ratios, red_flags, referral_strategies, treatment, programme, "
    "autoimmune_diseases or concept_sets"
)


def _text(data: dict[str, Any]) -> str:
    head = ("area", "items", "verified", "unverified", "open facts")
    rows = [
        (c["area"], str(c["items"]), str(c["verified"]), str(c["unverified"]), str(c["facts"]))
        for c in data["summary"]
    ]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    out = [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in [head, *rows]
    ]
    out.insert(1, "  ".join("-" * w for w in widths))
    for f in data["facts"]:
        out += [
            "",
            f"[{f['area']}] {f['item']}",
            f"  unverified: {' '.join(f['what'].split())}",
            f"  why: {' '.join(f['reason'].split())}",
            f"  affects: {f['affects']}",
            f"  to check: {f['check']}",
        ]
    return "\n".join(out) + f"\n\n{len(data['facts'])} facts still unverified\n"


@knowledge_app.command(
    "unverified",
    help="Every fact still marked unverified (calculators, axSpA likelihood ratios, red flags, "
    "referral strategies, treatment steps, programme, disease sources, concept sets): what, why, "
    "which result depends on it and what to check; counts per area first. The reference: "
    "docs/reference/unverified-facts.md.",
)
def unverified(
    area: Annotated[str | None, typer.Option("--area", help=_AREAS)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON (for programs)")] = False,
) -> None:
    from immunospine.services.verification import unverified_json

    data = unverified_json(area)
    typer.echo(dumps_json(data) if as_json else _text(data), nl=as_json)
