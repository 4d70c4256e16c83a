"""``immunospine knowledge diseases [--mechanism M] [--group G] [--json]`` and
``immunospine knowledge disease NAME [--json]``: the autoimmune knowledge base (issue 14)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from immunospine.cli import app
from immunospine.cli._io import dumps_json

knowledge_app = typer.Typer(
    help="The knowledge base: autoimmune diseases that can involve the back, how, and the "
    "sources behind each entry. The reference: docs/reference/autoimmune-diseases.md.",
    no_args_is_help=True,
)
app.add_typer(knowledge_app, name="knowledge")

__all__ = ["knowledge_app"]

JsonOption = Annotated[bool, typer.Option("--json", help="print JSON (for programs)")]


def _table(rows: list[dict[str, Any]]) -> str:
    head = ("key", "name", "back involvement", "mechanisms", "specialist")
    cells = [
        (
            r["key"],
            r["name"],
            r["back_involvement"].replace("_", " "),
            ", ".join(r["mechanisms"]) or "-",
            r["specialist"],
        )
        for r in rows
    ]
    widths = [max(len(c[i]) for c in [head, *cells]) for i in range(len(head))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in [head, *cells]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + f"\n\n{len(rows)} diseases\n"


def _entry_text(e: dict[str, Any]) -> str:
    out = [
        f"{e['name']} ({e['key']})",
        f"  group: {e['group']}",
        f"  also called: {', '.join(e['aliases']) or '-'}",
        f"  back involvement: {e['back_involvement'].replace('_', ' ')}",
        f"  mechanisms: {', '.join(e['mechanisms']) or '-'}",
        f"  how it reaches the back: {e['how_it_reaches_the_back']}",
        "  what points to it:",
        *(f"    - {f}" for f in e["key_features"]),
        "  helpful tests:",
        *(f"    - {t}" for t in e["helpful_tests"]),
        f"  specialist: {e['specialist']}",
        f"  prevalence: {e['prevalence']}",
        f"  urgent when it reaches the back: {'yes' if e['red_flag'] else 'no'}",
        f"  calculators: {', '.join(e['calculators']) or '-'}",
        f"  triage clues: {', '.join(e['clues']) or '-'}",
        f"  named on lists: {', '.join(e['lists']) or '-'}",
        "  sources:",
    ]
    for s in e["sources"]:
        status = "verified" if s["verified"] else "NOT verified"
        out += [f"    - {s['citation']}", f"      {status}: {s['checked']}"]
    return "\n".join(out) + "\n"


@knowledge_app.command(
    "diseases",
    help="Every disease of the base (key, name, back involvement, mechanisms, specialist), or "
    "those reaching the back by --mechanism or in --group.",
)
def diseases(
    mechanism: Annotated[
        str | None,
        typer.Option(
            "--mechanism",
            help="spinal_inflammation, nerve_or_spinal_cord, referred_pain, "
            "muscle_or_soft_tissue, treatment_related or widespread_pain",
        ),
    ] = None,
    group: Annotated[
        str | None,
        typer.Option("--group", help="a body-system group, e.g. neurological, vasculitis"),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from immunospine.services.diseases import list_diseases

    rows = list_diseases(mechanism, group)
    typer.echo(dumps_json(rows) if as_json else _table(rows), nl=as_json)


@knowledge_app.command(
    "disease",
    help="One disease by key, name or alias (any case): how it reaches the back, what points "
    "to it, tests, specialist, prevalence, and its sources with their verification status.",
)
def disease(
    name: Annotated[str, typer.Argument(help="key, name or alias, e.g. lupus or MS")],
    as_json: JsonOption = False,
) -> None:
    from immunospine.services.diseases import describe

    entry = describe(name)
    typer.echo(dumps_json(entry) if as_json else _entry_text(entry), nl=as_json)
