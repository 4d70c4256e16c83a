"""One helper for every benchmark's ``--write-docs``: replace its own ``## …`` section of
docs/benchmarks.md (or append it), leaving the other sections as they are."""

from __future__ import annotations

from pathlib import Path


def replace_section(path: Path, heading: str, text: str) -> None:
    """Write ``text`` (which starts with ``heading``) in place of that section of ``path``."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    lines = old.splitlines()
    if heading in lines:
        start = lines.index(heading)
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), None)
        tail = lines[end:] if end is not None else []
        new = [*lines[:start], *text.rstrip("\n").splitlines(), *([""] if tail else []), *tail]
    else:
        new = [*lines, "", *text.rstrip("\n").splitlines()]
    path.write_text("\n".join(new).rstrip("\n") + "\n", encoding="utf-8")
