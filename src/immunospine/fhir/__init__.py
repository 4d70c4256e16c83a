"""immunospine.fhir (see house-style §7.2)."""
