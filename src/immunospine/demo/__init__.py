"""immunospine.demo (see house-style §7.2)."""
