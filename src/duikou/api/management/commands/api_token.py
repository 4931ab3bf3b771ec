from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from duikou.api.services import api_token_create
from duikou.audit.commands import DuikouCommand
from duikou.audit.context import current_actor
from duikou.core.errors import PermissionDenied


class Command(DuikouCommand):
    help = "Print a user's REST API token (made if the user has none); --reset replaces it."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("username", help="The user the token authenticates as.")
        parser.add_argument("--reset", action="store_true",
                            help="Replace the user's token with a new one (the old one stops working).")

    def handle(self, *args, **options):
        try:
            user = get_user_model().objects.get(username=options["username"], is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(_("username: no active user {name!r}.").format(name=options["username"])) from None
        try:
            token, _made = api_token_create(actor=current_actor(), user=user, reset=options["reset"])
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(token.key)
