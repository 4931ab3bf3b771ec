"""The REST API under ``/api/v1/``: one endpoint per register, generated from the registers.

Every register declared in ``<app>/registers.py`` (``duikou.ui.registers``) gets a list and a
detail endpoint; registers with ``create``/``update`` services also accept POST/PUT/PATCH, and
DELETE is offered where the register's app has a ``<entity>_delete`` service. Reads go through
``Register.queryset`` (``restrict(actor, "view")``), writes through the register's form (parsing,
choices limited to the user's scope) and services (rights, ``full_clean()``, audit record), the
same path as the pages. See ``docs/user/api.md``.
"""
