"""Interchange formats for whole patient records: FHIR R4 Bundles and the CSV exchange format.

* ``export.bundle_of``: records → a FHIR R4 ``collection`` Bundle (validated resource by resource
  with the ``fhir.resources`` **R4B** models: the package has no R4 subpackage and R4B 4.3.0 is
  the closest maintained R4 model set).
* ``reader.read_bundle``: a Bundle → records, reporting every problem at once.
* ``csv_format``: records ↔ the documented CSV columns (docs/reference/csv-format.md).

No database access here: ``immunospine.services.interop`` reads and writes the patient database.
"""
