"""duikou (对口): counterpart-support programme management."""

__all__ = ["__version__"]

__version__ = "0.1.0"
