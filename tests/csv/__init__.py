"""Tests of the CSV exchange format (``tests.csv``, not the standard library)."""  # noqa: A005
