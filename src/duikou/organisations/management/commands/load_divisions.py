from duikou.audit.commands import DuikouCommand
from duikou.audit.context import current_actor
from duikou.organisations.divisions import divisions_load


class Command(DuikouCommand):
    help = "Load the administrative divisions (GB/T 2260, NBS 2023) shipped with duikou; idempotent."

    def handle(self, *args, **options):
        n = divisions_load(actor=current_actor())
        self.stdout.write(f"{n} divisions added.")
