"""Reference docs generated from the registry and the CLI, so they cannot drift from the code.

    python -m immunospine.docsgen --write   # regenerate docs/reference/{calculators,cli,…}.md
    python -m immunospine.docsgen --check   # exit 1 when the file on disk differs
    python -m immunospine.docsgen           # print the generated text

Every calculator gets its name, title, kind, version, inputs (from the JSON schema of its
inputs model: field, type, range, required or default, description), categories with their
bands (each boundary's inclusivity spelt out), interpretation, unverified facts and citations
with DOI/PMID links. The output is deterministic: sorted by name, no dates, no machine details.

A tool module outside the layers: ``main`` writes to standard output/error and returns an exit
code; ``render_calculators`` is the pure part the tests call.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from immunospine.knowledge import catalogue
from immunospine.reports.programme_doc import render_programme
from immunospine.services.calculators import describe

__all__ = [
    "CALCULATORS_MD",
    "CLI_MD",
    "TREATMENT_MD",
    "main",
    "render_calculators",
    "render_cli",
    "render_treatment",
]

ROOT = Path(__file__).resolve().parents[2]
CALCULATORS_MD = Path("docs/reference/calculators.md")
_REGENERATE = "python -m immunospine.docsgen --write"


def render_calculators() -> str:
    """The whole of ``docs/reference/calculators.md``."""
    specs = catalogue()
    entries = [{**describe(s), "option_docs": dict(s.options)} for s in specs]
    out = [
        "# Calculator reference",
        "",
        f"<!-- Generated from the calculator registry by `{_REGENERATE}`. Do not edit. -->",
        "",
        f"{len(entries)} calculators. Each is reachable as `immunospine calc NAME` and "
        '`calculate("NAME", ...)` (the HTTP door, `POST /api/v1/calculators/NAME`, comes with '
        "the web application); those marked "
        "*batch* also score whole tables with `calculate_batch`. "
        "They support clinical decisions; none of them makes a diagnosis.",
        "",
        "| Name | Title | Kind | Version | Batch |",
        "|---|---|---|---|---|",
    ]
    for e in entries:
        link = f"[`{e['name']}`](#{e['name']})"
        batch = "yes" if e["batch"] else ""
        out.append(f"| {link} | {_cell(e['title'])} | {e['kind']} | {e['version']} | {batch} |")
    for e in entries:
        out += ["", *_calculator(e)]
    return "\n".join(out) + "\n"


def _calculator(e: Mapping[str, Any]) -> list[str]:
    out = [f"## {e['name']}", "", f"**{e['title']}**", ""]
    facts = [f"kind: {e['kind']}", f"version: {e['version']}"]
    if e["score_range"]:
        lo, hi = e["score_range"]
        facts.append(f"score range: {_num(lo)}–{_num(hi)}")
    if e["batch"]:
        facts.append("batch scoring: yes")
    out += [" · ".join(facts), "", "### Inputs", ""]
    out += _inputs(e["input_schema"], e["option_docs"])
    out += ["", "### Categories", ""]
    if e["bands"]:
        out += ["| Category | Band |", "|---|---|"]
        out += [f"| `{b['category']}` | {_band(b)} |" for b in e["bands"]]
    elif e["categories"]:
        out.append(", ".join(f"`{c}`" for c in e["categories"]) + " (decided by rules, not bands)")
    else:
        out.append("None: the result is the score alone.")
    if e["interpretation"]:
        out += ["", "### Interpretation", "", e["interpretation"].strip()]
    if e["unverified"]:
        out += ["", "### Unverified", ""]
        out += [f"- {u}" for u in e["unverified"]]
    out += ["", "### References", ""]
    out += [f"{i}. {_reference(r)}" for i, r in enumerate(e["references"], 1)]
    return out


def _inputs(schema: Mapping[str, Any], option_docs: Mapping[str, str]) -> list[str]:
    rows = list(_fields(schema, schema, ""))
    if not rows:
        return ["None."]
    out = ["| Field | Type | Range | Required / default | Description |", "|---|---|---|---|---|"]
    for name, prop, required in rows:
        if isinstance(prop.get("default"), dict):
            need = "default: each field's own default"
        elif "default" in prop:
            need = f"default `{_json(prop['default'])}`"
        else:
            need = "required" if required else "optional"
        kind, allowed = _type(prop)
        description = _cell(prop.get("description") or option_docs.get(name, ""))
        if name in option_docs:
            description = f"option: {description}"
        out.append(f"| `{name}` | {kind} | {allowed} | {need} | {description} |")
    return out


def _fields(
    schema: Mapping[str, Any], root: Mapping[str, Any], prefix: str
) -> Sequence[tuple[str, Mapping[str, Any], bool]]:
    """(dotted name, property, required) for every field; nested objects are expanded."""
    required = set(schema.get("required", ()))
    out: list[tuple[str, Mapping[str, Any], bool]] = []
    for name, prop in schema.get("properties", {}).items():
        target = _resolve(prop, root)
        if target.get("type") == "object" and "properties" in target:
            merged = {**target, **{k: v for k, v in prop.items() if k != "$ref"}}
            out.append((prefix + name, {**merged, "type": "object"}, name in required))
            out += _fields(target, root, f"{prefix}{name}.")
        else:
            out.append((prefix + name, prop, name in required))
    return out


def _resolve(prop: Mapping[str, Any], root: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = prop.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/$defs/"):
        return prop
    resolved: Mapping[str, Any] = root.get("$defs", {}).get(ref.removeprefix("#/$defs/"), prop)
    return resolved


def _type(prop: Mapping[str, Any]) -> tuple[str, str]:
    """(type in words, allowed values or range) of one JSON-schema property."""
    if "anyOf" in prop:
        parts = [_type(p) for p in prop["anyOf"]]
        kinds = " or ".join(k for k, _ in parts)
        ranges = "; ".join(r for _, r in parts if r)
        return kinds, ranges
    if "enum" in prop:
        values = ", ".join(f"`{_json(v)}`" for v in prop["enum"])
        return str(prop.get("type", "any")), f"one of {values}"
    kind = str(prop.get("type", "any"))
    if kind == "array":
        item_kind, item_range = _type(prop.get("items", {}))
        lo, hi = prop.get("minItems"), prop.get("maxItems")
        size = f"{lo} " if lo is not None and lo == hi else ""
        if lo is not None and hi is not None and lo != hi:
            size = f"{lo}–{hi} "
        return f"list of {size}{item_kind}", item_range
    return kind, _range(prop)


def _range(prop: Mapping[str, Any]) -> str:
    lo = prop.get("minimum", prop.get("exclusiveMinimum"))
    hi = prop.get("maximum", prop.get("exclusiveMaximum"))
    lo_op = "<" if "exclusiveMinimum" in prop else "≤"
    hi_op = "<" if "exclusiveMaximum" in prop else "≤"
    text = ""
    if lo is not None and hi is not None:
        text = f"{_num(lo)} {lo_op} x {hi_op} {_num(hi)}"
    elif lo is not None:
        text = f"x {'>' if lo_op == '<' else '≥'} {_num(lo)}"
    elif hi is not None:
        text = f"x {hi_op} {_num(hi)}"
    if "multipleOf" in prop:
        text += f"{', ' if text else ''}steps of {_num(prop['multipleOf'])}"
    return text


def _band(b: Mapping[str, Any]) -> str:
    lo, hi = b["lower"], b["upper"]
    left = f"{_num(lo)} {'≤' if b['lower_inclusive'] else '<'} " if lo is not None else ""
    right = f" {'≤' if b['upper_inclusive'] else '<'} {_num(hi)}" if hi is not None else ""
    return f"{left}score{right}"


def _reference(r: Mapping[str, Any]) -> str:
    links = []
    if r["doi"]:
        links.append(f"DOI [{r['doi']}](https://doi.org/{r['doi']})")
    if r["pmid"]:
        links.append(f"PMID [{r['pmid']}](https://pubmed.ncbi.nlm.nih.gov/{r['pmid']}/)")
    text = r["citation"].rstrip(".") + "."
    return f"{text} {' · '.join(links)}".rstrip()


def _num(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _json(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"' if isinstance(value, str) else _num(value)


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def render_cli() -> str:
    """The whole of ``docs/reference/cli.md``: every command, its arguments and options."""
    import typer

    from immunospine.cli import app, register_all

    register_all()
    root = typer.main.get_command(app)
    out = [
        "# Command-line reference",
        "",
        f"<!-- Generated from the command definitions by `{_REGENERATE}`. Do not edit. -->",
        "",
        "Every command exits 0 on success, 2 on bad input (the message on standard error names "
        "the field, the value and what is allowed; nothing on standard output) and 1 on other "
        "errors. `immunospine COMMAND --help` shows the same text.",
    ]

    # Typer ships its own copy of click, so commands and parameters are read by duck typing.
    def walk(command: Any, path: str) -> None:
        out.extend(["", f"## `{path}`", "", _cell(command.help or "")])
        rows = []
        for param in command.params:
            if param.param_type_name == "option":
                if getattr(param, "hidden", False) or param.name == "help":
                    continue
                names = ", ".join(f"`{o}`" for o in [*param.opts, *param.secondary_opts])
                default = "" if param.required or param.default in (None, False) else param.default
                rows.append((names, getattr(param, "help", None) or "", _cell(str(default))))
            else:
                need = "required" if param.required else "optional"
                rows.append((f"`{(param.name or '').upper()}`", f"argument ({need})", ""))
        if rows:
            out.extend(["", "| argument or option | meaning | default |", "|---|---|---|"])
            out.extend(f"| {n} | {_cell(h)} | {d} |" for n, h, d in rows)
        for name in sorted(getattr(command, "commands", {})):
            walk(command.commands[name], f"{path} {name}")

    walk(root, "immunospine")
    return "\n".join(out) + "\n"


CLI_MD = Path("docs/reference/cli.md")
TREATMENT_MD = Path("docs/reference/treatment.md")
_VERDICT_WORDS = {
    "recommended": "recommended",
    "consider": "consider",
    "not_recommended": "advised against",
}


def render_treatment() -> str:
    """The whole of ``docs/reference/treatment.md``: the state, the answer and every pathway
    step of every guideline with its citation and verification status."""
    from immunospine.knowledge.treatment import PATHWAYS, TreatmentState, guidelines

    schema = TreatmentState.model_json_schema()
    out = [
        "# Treatment options reference",
        "",
        f"<!-- Generated from knowledge/treatment/data/*.toml by `{_REGENERATE}`. Do not edit. -->",
        "",
        "`immunospine treatment options --input FILE`, `immunospine patient options ID`, "
        "`POST /api/v1/treatment/options` and `GET /api/v1/patients/{id}/options` show where a "
        "person stands on their guideline pathway: options to discuss with the clinician, never "
        "a prescription. Each option is *recommended*, *consider*, *not_recommended* (the "
        "guideline advises against it) or *indeterminate* (it depends on inputs not given, "
        "listed in `missing`). Steps marked **not checked** were written from memory and have "
        "not been confirmed in a public source.",
        "",
        "## The state (input)",
        "",
        "Every field but `diagnosis` may be `null` or left out: unknown, never read as no or "
        "zero. An empty list means none.",
        "",
        "| field | type | meaning |",
        "|---|---|---|",
    ]
    for name, prop in schema["properties"].items():
        kind, _ = _type(_resolve(prop, schema))
        out.append(f"| `{name}` | {_cell(kind)} | {_cell(prop.get('description', ''))} |")
    for sub in ("CurrentTherapy", "PastTherapy"):
        fields = ", ".join(f"`{n}`" for n in schema["$defs"][sub]["properties"])
        out.append(f"\n`{sub}`: {fields}.")
    out += [
        "",
        "## The answer",
        "",
        "`pathway`; `options` (each `id`, `kind`, `drug_classes`, `verdict`, `recommendation`, "
        "`because`, `missing`, `who_decides`, and `label`, `wording`, `guideline`, `verified`); "
        "`would_change` (each `option`, `recommendation`, `when`): what would open an option "
        "not shown now; `reassess_after_weeks`; `target`; `citation`; `missing` (every input "
        "some option waits for); `disclaimer`.",
        "",
        "## Pathways",
        "",
        "| diagnosis | pathway function |",
        "|---|---|",
    ]
    out += [f"| `{d}` | `{f.__module__}.{f.__name__}` |" for d, f in PATHWAYS.items()]
    unchecked = []
    for g in guidelines():
        info = g.guideline
        status = "checked" if info.verified else "**not checked**"
        doi = f" [doi:{info.doi}](https://doi.org/{info.doi})" if info.doi else ""
        out += [
            "",
            f"## {info.short}: {info.title}",
            "",
            f"{info.citation}.{doi} Citation {status}: {_cell(info.source)}.",
            "",
            "| rec. | step | when its conditions hold | conditions | what it says (our words) "
            "| who decides | status |",
            "|---|---|---|---|---|---|---|",
        ]
        for s in g.step:
            state = "checked" if s.verified else "**not checked**"
            if not s.verified:
                unchecked.append(f"- {g.label(s)} `{s.id}`: {_cell(s.source)}")
            out.append(
                f"| {_cell(s.number)} | {_cell(s.label)} (`{s.id}`) | "
                f"{_VERDICT_WORDS[s.strength]} | "
                f"{_cell(s.conditions)} | {_cell(s.wording)} | {_cell(s.who_decides)} | "
                f"{state}: {_cell(s.source)} |"
            )
    out += ["", "## Not yet checked", "", f"{len(unchecked)} steps:", "", *unchecked]
    return "\n".join(out) + "\n"


_TARGETS = {CALCULATORS_MD: render_calculators, CLI_MD: render_cli, TREATMENT_MD: render_treatment}
PROGRAMME_MD = Path("docs/reference/programme.md")
_TARGETS[PROGRAMME_MD] = render_programme
UNVERIFIED_MD = Path("docs/reference/unverified-facts.md")


def render_unverified() -> str:
    """The whole of ``docs/reference/unverified-facts.md`` (issue 14): every fact still marked
    unverified in the knowledge data and the concept sets, with counts per area."""
    from immunospine.reports.unverified_doc import render_unverified as render
    from immunospine.services.verification import all_unverified, summary

    return render(summary(), all_unverified())


_TARGETS[UNVERIFIED_MD] = render_unverified
DISEASES_MD = Path("docs/reference/autoimmune-diseases.md")


def render_diseases() -> str:
    """The whole of ``docs/reference/autoimmune-diseases.md`` (issue 14): the recognised lists,
    counts by back involvement and mechanism, every disease with its sources and their status."""
    from immunospine.reports.diseases_doc import render_diseases as render

    return render()


_TARGETS[DISEASES_MD] = render_diseases


def main(argv: list[str] | None = None) -> int:
    """Write, check or print the generated docs; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m immunospine.docsgen", description=__doc__)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="write the generated files")
    mode.add_argument("--check", action="store_true", help="exit 1 if a file is out of date")
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root")
    args = parser.parse_args(argv)
    stale = []
    for relative, render in _TARGETS.items():
        path, text = args.root / relative, render()
        if args.write:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            sys.stdout.write(f"wrote {relative}\n")
        elif args.check:
            current = path.read_text(encoding="utf-8") if path.exists() else None
            if current != text:
                stale.append(relative)
        else:
            sys.stdout.write(text)
    for relative in stale:
        sys.stderr.write(f"{relative} is out of date; regenerate it with: {_REGENERATE}\n")
    return 1 if stale else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
