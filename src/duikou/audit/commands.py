"""Base class for duikou's management commands: one audit batch per run, acting as a user
(``--user``) or as the named system actor."""

from django.core.management.base import BaseCommand, CommandError

__all__ = ["DuikouCommand"]


class DuikouCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--user", help="Act as this user (scope and audit); default: the system actor.")
        parser.add_argument("--language", choices=["zh-hans", "en"],
                            help="Language of the output; default: zh-hans (LANGUAGE_CODE).")

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
        from django.conf import settings
        from django.utils import translation

        from duikou.audit.context import actor_context

        language = options.get("language") or translation.get_language() or settings.LANGUAGE_CODE
        with actor_context(self.actor(options)), translation.override(language):
            return super().execute(*args, **options)
