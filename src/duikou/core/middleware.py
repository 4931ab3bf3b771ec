"""Chinese first: the language is the user's explicit choice (the language cookie set by the
switch at ``/i18n/setlang/``) or zh-hans, never guessed from the browser's Accept-Language."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

__all__ = ["ChineseFirstLocaleMiddleware"]


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    def __call__(self, request):
        # A request's language is the request's: the thread gets back the language it had, so a
        # command or a test run after the request (same thread) is not left in that language.
        before = translation.get_language()
        try:
            return super().__call__(request)
        finally:
            translation.activate(before) if before else translation.deactivate()

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
