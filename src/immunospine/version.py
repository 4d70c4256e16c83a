"""The version of immunospine, in a module of its own so that any layer can read it cheaply."""

__all__ = ["__version__"]

__version__ = "0.1.0"
