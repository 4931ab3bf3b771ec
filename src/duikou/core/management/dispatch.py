"""Commands whose first word picks the format: ``duikou export excel …`` runs the management
command ``export_excel`` with the rest of the line, ``duikou import iati FILE`` runs
``import_iati``. Each app adds a format by shipping a command named ``<verb>_<format>``; the
verb's command finds them by name, so it imports nothing from the apps above ``core``."""

from __future__ import annotations

import sys

from django.core.management import get_commands, load_command_class
from django.core.management.base import BaseCommand, CommandError

__all__ = ["DispatchCommand"]


class DispatchCommand(BaseCommand):
    verb: str = ""  # "export", "import"

    def formats(self) -> dict[str, str]:
        """format word → (app, command name) of every ``<verb>_<format>`` command."""
        prefix = f"{self.verb}_"
        return {name[len(prefix):]: (app, name) for name, app in get_commands().items() if name.startswith(prefix)}

    @property
    def help(self):  # noqa: A003 - BaseCommand's attribute
        formats = ", ".join(sorted(self.formats())) or "—"
        return (f"duikou {self.verb} FORMAT …: runs the command '{self.verb}_FORMAT' with the rest of the line. "
                f"Formats: {formats}. 'duikou {self.verb} FORMAT --help' for its options.")

    def run_from_argv(self, argv):
        prog = argv[0]
        words = argv[2:]
        formats = self.formats()
        if not words or words[0] in ("-h", "--help"):
            sys.stdout.write(self.help + "\n")
            return
        fmt = words[0].replace("-", "_")
        if fmt not in formats:
            known = ", ".join(sorted(formats)) or "—"
            sys.stderr.write(f"CommandError: {self.verb}: unknown format {words[0]!r} (known: {known}).\n")
            sys.exit(2)
        app, name = formats[fmt]
        command = load_command_class(app, name)
        command.run_from_argv([prog, f"{self.verb} {words[0]}", *words[1:]])

    def handle(self, *args, **options):  # reached only through call_command
        raise CommandError(f"call_command('{self.verb}_<format>', …) instead of '{self.verb}'.")
