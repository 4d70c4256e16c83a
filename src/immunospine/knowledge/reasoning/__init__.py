"""Reasoning of the knowledge core; one calculator per module, each exposing SPEC."""

__all__ = [
    "autoimmune",
    "case",
    "considerations",
    "explain",
    "features",
    "red_flags",
    "referral",
    "urgency",
]
