"""immunospine.storage (see house-style §7.2)."""

__all__ = [
    "backup",
    "engine",
    "migrate",
    "repositories",
    "tables",
    "uow",
]
