"""Probability of the knowledge core; one calculator per module, each exposing SPEC."""

__all__ = [
    "axspa",
]
