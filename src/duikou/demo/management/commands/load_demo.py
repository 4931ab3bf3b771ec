from django.utils.translation import gettext as _

from duikou.audit.commands import DuikouCommand
from duikou.audit.context import current_actor
from duikou.demo.loader import demo_load


class Command(DuikouCommand):
    help = "Load the Beijing → Badong demo into the configured database (idempotent)."

    def handle(self, *args, **options):
        result = demo_load(actor=current_actor())
        if not result.changed:
            self.stdout.write(_("Demo data already up to date: nothing changed."))
            return
        for message, counts in ((_("Created: {items}"), result.created), (_("Updated: {items}"), result.updated)):
            if counts:
                self.stdout.write(message.format(items=_(", ").join(f"{n} {name}" for name, n in counts.items())))
