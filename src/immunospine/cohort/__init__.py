"""immunospine.cohort (see house-style §7.2)."""
