"""The CSV exchange format: whole patient records as spreadsheet rows, one record a row.

It sits beside ``immunospine.fhir`` (the other interchange format), not inside it: the two share
no code. ``columns`` is the single source of docs/reference/csv-format.md; ``csv_format`` reads
rows into records (reporting every bad cell) and writes records as rows. No database access here:
``immunospine.services.interop`` reads and writes the patient database.
"""

__all__ = ["columns", "csv_format"]
