"""Read the knowledge data files packaged in ``immunospine/knowledge/data`` (TOML, read-only).

Reading packaged data is the one kind of input the pure core allows: files ship with the code,
are versioned with it and are parsed on first use (never at import time).
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_toml(name: str) -> dict[str, Any]:
    """The parsed TOML file ``knowledge/data/<name>.toml``."""
    text = (
        resources.files("immunospine.knowledge").joinpath("data", f"{name}.toml").read_text("utf-8")
    )
    return tomllib.loads(text)
