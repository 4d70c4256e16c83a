"""immunospine.storage (see house-style §7.2)."""
