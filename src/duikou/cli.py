"""The ``duikou`` console script.

``duikou version`` is its own; every other word is a Django management command, with hyphens
allowed for underscores (``duikou load-demo`` runs ``load_demo``). ``duikou demo`` loads the demo
and serves it.
"""

import os
import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duikou.config.settings")
    if argv and argv[0] in ("version", "--version"):
        from duikou import __version__

        print(f"duikou {__version__}")
        return 0
    if argv:
        argv[0] = argv[0].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["duikou", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
