"""Understand: how pain, inflammation, stress, sleep and exercise move together, for one person
and across a cohort. Statistics over records (numpy, statsmodels, semopy); no database, no web."""

from __future__ import annotations

__all__: list[str] = []
