"""Response of the knowledge core; one calculator per module, each exposing SPEC."""

__all__ = [
    "asas_5of6",
    "asas_improvement",
    "asas_partial_remission",
    "asdas_response",
    "basdai50",
    "eular_response",
]
