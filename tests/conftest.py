"""Suite-wide settings: deterministic, deadline-free property tests (CI machines are shared)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile(
    "immunospine",
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("immunospine")
