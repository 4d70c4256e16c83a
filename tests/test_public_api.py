"""The curated public API: sorted, complete, importable."""

from __future__ import annotations

import importlib.metadata

import immunospine


def test_all_is_sorted() -> None:
    assert immunospine.__all__ == sorted(immunospine.__all__)


def test_every_public_name_resolves() -> None:
    for name in immunospine.__all__:
        assert getattr(immunospine, name) is not None, name


def test_import_is_cheap() -> None:
    """Importing the package must not pull in dataframe or database libraries."""
    import subprocess
    import sys

    code = (
        "import sys, immunospine; "
        "heavy = [m for m in ('pandas', 'polars', 'sqlalchemy', 'duckdb', 'ibis', 'pyspark') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_version_matches_package_metadata() -> None:
    meta = importlib.metadata.version("immunospine")
    assert meta == immunospine.__version__
