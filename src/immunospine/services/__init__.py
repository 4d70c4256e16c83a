"""Use-cases: the only thing the faces (CLI, API, web) call."""

__all__ = [
    "audit",
    "batch",
    "batch_files",
    "calculators",
    "clinic_list",
    "cohort_data",
    "cohort_screen",
    "csv_interchange",
    "database",
    "demo",
    "demo_clinic",
    "interop",
    "previsit",
    "record",
    "self_check",
    "summary",
    "tracking",
    "triage",
    "visit",
]
