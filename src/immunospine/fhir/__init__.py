"""FHIR R4 interchange of whole patient records (CSV interchange is ``immunospine.tabular``).

* ``export``: records → FHIR R4 resources of a ``collection`` Bundle, one patient at a time, each
  resource validated with the ``fhir.resources`` **R4B** models (the package has no R4
  subpackage and R4B 4.3.0 is the closest maintained R4 model set); ``bundle_writer`` writes
  them to one Bundle JSON document as they come.
* ``bundle_stream``: reads a Bundle JSON document entry by entry, never holding the whole file.
* ``reader``: resources → records, reporting every problem at once.

No database access here: ``immunospine.services.interop`` reads and writes the patient database.
"""

__all__ = [
    "bundle_stream",
    "bundle_writer",
    "codes",
    "export",
    "questionnaire",
    "reader",
    "validation",
]
