"""immunospine.records (see house-style §7.2)."""
