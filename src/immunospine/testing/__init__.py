"""Helpers shared by the test suite and by plugin authors: literature cases kept as data."""

__all__ = [
    "cases",
    "omop_testbed",
]
