"""immunospine.reports (see house-style §7.2)."""
