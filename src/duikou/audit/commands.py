"""Base class for duikou's management commands: one audit batch per run, acting as a user
(``--user``) or as the named system actor."""

from django.core.management.base import BaseCommand, CommandError

__all__ = ["DuikouCommand"]


class DuikouCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--user", help="Act as this user (scope and audit); default: the system actor.")

    def actor(self, options):
        from django.contrib.auth import get_user_model

        from duikou.core.permissions import SystemActor

        username = options.get("user")
        if not username:
            return SystemActor(f"system (duikou {self.command_name()})")
        try:
            return get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No active user {username!r}.") from None

    def command_name(self) -> str:
        return type(self).__module__.rsplit(".", 1)[-1].replace("_", "-")

    def execute(self, *args, **options):
        from duikou.audit.context import actor_context

        with actor_context(self.actor(options)):
            return super().execute(*args, **options)
