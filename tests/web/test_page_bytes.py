"""A page's chart specifications are embedded as compact JSON (they are most of its bytes; the
page-weight goal of /me counts them) and still parse to the compiled Vega."""

from __future__ import annotations

import json
import re

from tests.web.conftest import Site


def test_the_chart_specs_are_compact_json(pages, site: Site) -> None:
    page = pages("patient").get("/me")
    specs = re.findall(
        r'<script type="application/json" id="spec-([a-z_]+)">(.*?)</script>', page.text, re.S
    )
    assert {name for name, _ in specs} >= {"activity_chart", "diary_chart"}
    for _name, text in specs:
        vega = json.loads(text)
        assert vega["$schema"].startswith("https://vega.github.io/schema/vega/")
        assert text == json.dumps(vega, sort_keys=True, separators=(",", ":")).replace(
            "<", "\\u003c"
        ).replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")
