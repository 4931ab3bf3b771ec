"""The menu: registers the user may see, grouped, plus links other apps add (dashboard, overview).

Apps above ``ui`` add their pages with :func:`add_link`; a link's ``visible(user)`` decides
whether the user sees it. The context processor :func:`navigation` gives templates ``nav``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from .registers import GROUPS, all_registers

__all__ = ["Link", "add_link", "navigation"]


@dataclass(frozen=True)
class Link:
    key: str
    label: str
    url_name: str
    visible: Callable


_LINKS: list[Link] = []


def add_link(key: str, label, url_name: str, visible: Callable = lambda user: True) -> None:
    if any(link.key == key for link in _LINKS):
        return
    _LINKS.append(Link(key, label, url_name, visible))


def menu(user) -> dict:
    if not getattr(user, "is_authenticated", False):
        return {"links": [], "groups": []}
    links = [{"key": link.key, "label": link.label, "url": reverse(link.url_name)}
             for link in _LINKS if link.visible(user)]
    groups = []
    for key, label in GROUPS:
        items = [{"label": reg.title, "url": reg.list_url(), "slug": reg.slug}
                 for reg in all_registers() if reg.group == key and reg.may_view(user)]
        if items:
            groups.append({"key": key, "label": label, "items": items})
    return {"links": links, "groups": groups}


def navigation(request):
    """Context processor: ``nav`` (links and register groups the user may see)."""
    user = getattr(request, "user", None)
    return {"nav": menu(user) if user is not None else {"links": [], "groups": []}}
