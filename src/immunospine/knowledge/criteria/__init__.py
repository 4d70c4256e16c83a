"""Criteria of the knowledge core; one calculator per module, each exposing SPEC."""

__all__ = [
    "acr_eular_ra_2010",
    "amor",
    "asas_axspa",
    "asas_pspa",
    "caspar",
    "essg",
    "fibromyalgia_acr_2016",
    "ibp_asas",
    "ibp_berlin",
    "ibp_calin",
    "modified_new_york",
]
