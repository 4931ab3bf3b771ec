from .admin_base import ObjectChangeAdmin  # noqa: F401  (registers the audit log page)
