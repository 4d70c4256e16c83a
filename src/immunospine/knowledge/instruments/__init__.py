"""Instruments of the knowledge core; one calculator per module, each exposing SPEC."""

__all__ = [
    "asas_hi",
    "asdas",
    "basdai",
    "basfi",
    "basmi",
    "cdai_sdai",
    "das28",
    "haq_di",
    "odi",
    "pain_nrs",
    "rapid3",
    "rmdq",
    "start_back",
]
