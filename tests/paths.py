"""Where the tests find data that lives outside the repository (the shared folder beside it)."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
SYNTHEA_ZIP = SHARED / "data" / "omop" / "Synthea27NjParquet_5.4.zip"
