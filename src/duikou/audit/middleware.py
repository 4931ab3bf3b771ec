from .context import actor_context

__all__ = ["AuditContextMiddleware"]


class AuditContextMiddleware:
    """Each request is one audit batch, its actor the signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        with actor_context(user if user is not None and user.is_authenticated else None):
            return self.get_response(request)
