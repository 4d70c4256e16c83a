"""The web pages' message catalogue: extract, update and compile it (``make translations``).

``python -m immunospine.web.catalogue --write`` extracts every marked string of the templates and
page modules into ``locale/messages.pot`` (per ``babel.cfg``), updates each language's ``.po`` and
compiles its ``.mo``; ``--check`` (the default) exits 1 when the committed template is out of
date, so a test can keep it current. English ships (its catalogue maps each string to itself).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

__all__ = ["extract", "main"]

ROOT = Path(__file__).resolve().parents[3]
LOCALE = Path(__file__).parent / "locale"
POT = LOCALE / "messages.pot"
LANGUAGES = ("en",)
HEADER = "# The web pages' strings (immunospine). Apache-2.0, like the project.\n#"


def extract() -> bytes:
    """The catalogue template of the current sources (no creation date, so it is stable)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg
    from babel.messages.pofile import write_po

    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)  # type: ignore[no-untyped-call]
    catalog = Catalog(
        project="immunospine",
        charset="utf-8",
        creation_date=None,
        header_comment=HEADER,
        msgid_bugs_address="the immunospine issue tracker",
    )
    found = extract_from_dir(
        str(ROOT), method_map, options_map, keywords={"_": None, "gettext": None, "N_": None}
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False, sort_output=True, include_lineno=False)
    return (
        b"\n".join(
            line
            for line in out.getvalue().splitlines()
            if not line.startswith(b'"POT-Creation-Date')
        )
        + b"\n"
    )


def _write() -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po, write_po

    POT.parent.mkdir(parents=True, exist_ok=True)
    POT.write_bytes(extract())
    with POT.open("rb") as f:
        template = read_po(f)
    for lang in LANGUAGES:
        folder = LOCALE / lang / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        po = folder / "messages.po"
        if po.exists():
            with po.open("rb") as f:
                catalog = read_po(f, locale=lang)
            catalog.update(template)
        else:
            catalog = Catalog(
                locale=lang, project="immunospine", creation_date=None, header_comment=HEADER
            )
            catalog.update(template)
        if lang == "en":
            for message in catalog:
                if message.id and not message.string:
                    message.string = message.id
        with po.open("wb") as f:
            write_po(f, catalog, width=100, sort_output=True, include_lineno=False)
        with (folder / "messages.mo").open("wb") as f:
            write_mo(f, catalog)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if "--write" in args:
        _write()
        print(f"wrote {POT.relative_to(ROOT)} and the {', '.join(LANGUAGES)} catalogues")  # noqa: T201
        return 0
    if not POT.exists() or POT.read_bytes() != extract():
        print(f"{POT.relative_to(ROOT)} is out of date: run `make translations`")  # noqa: T201
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
