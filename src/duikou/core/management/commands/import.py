"""``duikou import FORMAT …``: see :mod:`duikou.core.management.dispatch`."""

from duikou.core.management.dispatch import DispatchCommand


class Command(DispatchCommand):
    verb = "import"
