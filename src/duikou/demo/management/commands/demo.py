from django.core.management import call_command
from django.utils.translation import gettext as _

from duikou.audit.commands import DuikouCommand
from duikou.demo.loader import DEMO_PASSWORD


class Command(DuikouCommand):
    help = "Migrate, load the demo and serve it (development server)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="Where to serve.")
        parser.add_argument("--no-serve", action="store_true", help="Load only; do not start the server.")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo", stdout=self.stdout)
        self.stdout.write(
            "\n"
            + _("duikou demo: http://{addr}/").format(addr=options["addrport"])
            + "\n  "
            + _("login: admin / {password}   (demo only)").format(password=DEMO_PASSWORD)
            + "\n  "
            + _("also: beijing, fangshan, badong, supervisor (same password)")
            + "\n"
        )
        if not options["no_serve"]:
            call_command("runserver", options["addrport"], use_reloader=False)
