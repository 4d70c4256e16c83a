"""immunospine.demo (see house-style §7.2)."""

__all__ = [
    "clinic",
    "diary",
]
