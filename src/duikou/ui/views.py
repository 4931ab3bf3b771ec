"""The register pages (list, detail, create, edit, export), sign-in and the home page.

Each view reads through the register's restricted queryset and writes through its services; a
row the user may not see is a 404 (we never say it exists), a row the user may see but not
change is a 403.
"""

import datetime as dt
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duikou.audit.models import ObjectChange
from duikou.core import totals
from duikou.core.errors import PermissionDenied
from duikou.core.permissions import can

from .export import export_csv, export_xlsx
from .forms import add_service_errors
from .registers import (
    Register,
    cells_for,
    display_value,
    find_register,
    format_money,
    is_money_field,
    raw_value,
    url_for,
)

__all__ = ["LoginView", "LogoutView", "audit_trail", "detail_fields", "filtered_rows", "register_views", "with_diff"]

PER_PAGE_CHOICES = (25, 50, 100, 200)
DEFAULT_PER_PAGE = 50


class LoginView(auth_views.LoginView):
    template_name = "ui/login.html"
    redirect_authenticated_user = True
    extra_context = {"title": gettext_lazy("Sign in")}


class LogoutView(auth_views.LogoutView):
    pass


class KeysFirstPaginator(Paginator):
    """Pages a register in two steps: the page's primary keys from the filtered, ordered table alone,
    then those rows with the rows they show (``select_related``).

    At national scale a page of 50 fund transactions with their pairing, organisations and project
    joined in one statement made SQLite's planner start from the small tables and sort the whole
    join (1.4 s for 3 million transactions); the keys alone come from the ordering index in
    milliseconds on both databases."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {obj.pk: obj for obj in self.object_list.order_by().filter(pk__in=keys)}
        return self._get_page([rows[k] for k in keys if k in rows], number, self)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")


# list -------------------------------------------------------------------------------------


def filtered_rows(register: Register, request):
    """(filterset, queryset, search text, sort key) for the register's list and export."""
    qs = register.queryset(request.user)
    filterset = None
    if register.filterset is not None:
        filterset = register.filterset(request.GET or None, queryset=qs, request=request)
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else qs
    q = request.GET.get("q", "").strip()
    if q and register.search:
        cond = Q()
        for lookup in register.search:
            cond |= Q(**{f"{lookup}__icontains": q})
        qs = qs.filter(cond)
    sort = request.GET.get("sort", "")
    allowed = {c.order_lookup(register.model) for c in register.columns} - {None}
    key = sort.lstrip("-")
    if key in allowed:
        qs = qs.order_by(sort, "pk" if not sort.startswith("-") else "-pk")
    else:
        sort = ""
        ordering = list(register.default_order or register.model._meta.ordering or [])
        qs = qs.order_by(*ordering, "pk")
    return filterset, qs, q, sort


def _query_without(request, *names) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def search_hint(register: Register) -> str:
    """The labels of the fields the search box looks in (代码、名称 …)."""
    labels = []
    for lookup in register.search:
        try:
            labels.append(str(register.model._meta.get_field(lookup).verbose_name))
        except Exception:  # noqa: BLE001 - a lookup through a relation
            continue
    return "、".join(labels) + "…" if labels else ""


def list_view(request, register: Register):
    if not register.may_view(request.user):
        raise DjangoPermissionDenied
    filterset, qs, q, sort = filtered_rows(register, request)
    try:
        per_page = int(request.GET.get("per_page", DEFAULT_PER_PAGE))
    except ValueError:
        per_page = DEFAULT_PER_PAGE
    per_page = per_page if per_page in PER_PAGE_CHOICES else DEFAULT_PER_PAGE
    paginator = KeysFirstPaginator(qs, per_page)
    # The count and the total line from the register totals where its filters allow (one small
    # aggregate instead of counting and summing millions of rows), else from the rows.
    kept = totals.answer(register.model, filterset, actor=request.user, search=q, money=register.total)
    if kept is not None:
        paginator.count = kept[0]
    page = paginator.get_page(request.GET.get("page"))
    columns = register.visible_columns()
    headers = []
    base = _query_without(request, "sort", "page")
    for col in columns:
        lookup = col.order_lookup(register.model)
        entry = {"label": col.resolve_label(register.model), "numeric": col.is_money(register.model), "sort_url": None, "sorted": ""}
        if lookup:
            current = sort.lstrip("-") == lookup
            descending = current and sort.startswith("-")
            new = lookup if (not current or descending) else f"-{lookup}"
            entry["sort_url"] = "?" + "&".join(p for p in (base, urlencode({"sort": new})) if p)
            entry["sorted"] = ("desc" if descending else "asc") if current else ""
        headers.append(entry)
    rows = [{"obj": obj, "cells": register.cells(obj, columns),
             "illustrative": getattr(obj, "is_illustrative", False)} for obj in page.object_list]
    total = None
    if kept is not None:
        total = format_money(kept[1])
    elif register.total:
        total = format_money(qs.aggregate(s=Sum(register.total))["s"] or 0)
    summaries = [{"key": s.key, "label": s.label, "value": s.value(qs)} for s in register.summaries]
    context = {
        "search_hint": search_hint(register),
        "summaries": summaries,
        "register": register,
        "title": register.title,
        "filterset": filterset,
        "q": q,
        "sort": sort,
        "headers": headers,
        "rows": rows,
        "page": page,
        "paginator": paginator,
        "per_page": per_page,
        "per_page_choices": PER_PAGE_CHOICES,
        "total": total,
        "total_label": register.model._meta.get_field(register.total).verbose_name if register.total else "",
        "query_without_page": _query_without(request, "page"),
        "query": request.GET.urlencode(),
        "may_add": register.may_add(request.user),
        "create_url": reverse(register.url_name("create")) if register.may_add(request.user) else None,
        "list_url": register.list_url(),
        "export_xlsx_url": reverse(register.url_name("export-xlsx")),
        "export_csv_url": reverse(register.url_name("export-csv")),
    }
    template = "ui/_register_results.html" if _is_htmx(request) else "ui/list.html"
    return render(request, template, context)


def export_view(request, register: Register, fmt: str):
    if not register.may_view(request.user):
        raise DjangoPermissionDenied
    _filterset, qs, _q, _sort = filtered_rows(register, request)
    filename = f"{register.slug}-{dt.date.today().isoformat()}"
    if fmt == "xlsx":
        return export_xlsx(register, qs, filename)
    return export_csv(register, qs, filename)


# detail -----------------------------------------------------------------------------------


def _get(register: Register, request, pk):
    try:
        return register.queryset(request.user).get(pk=pk)
    except (register.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(register.item_name) from exc


def detail_fields(register: Register, obj, actor=None) -> list[dict]:
    """The record's fields, labelled and shown; a related record is a link only when ``actor``
    may see it (a pairing's user sees its five-year plan's parent, the national plan, as text)."""
    names = register.detail_fields
    if names is None:
        names = [f.name for f in register.model._meta.concrete_fields
                 if f.name not in ("id", "created", "last_updated")]
    out = []
    for name in names:
        try:
            field = register.model._meta.get_field(name)
            label, money = field.verbose_name, is_money_field(field)
        except Exception:  # noqa: BLE001 - a property
            label, money = name, False
        value = raw_value(obj, name)
        url = url_for(value) if hasattr(value, "_meta") and (actor is None or can(actor, "view", value)) else None
        out.append({"label": label, "text": display_value(value, money=money), "url": url})
    return out


def _fk_labels(changes, model) -> dict:
    """{field name: {id: label}} for the foreign keys the changes mention (one query per model)."""
    labels = {}
    for f in model._meta.concrete_fields:
        if not f.is_relation or f.related_model is None:
            continue
        ids = {snap.get(f.name) for c in changes for snap in (c.before or {}, c.after or {})} - {None, ""}
        if not ids:
            continue
        related = f.related_model._base_manager.filter(pk__in=ids)
        related = related.select_related(*getattr(f.related_model, "label_related", ()))
        labels[f.name] = {str(obj.pk): str(obj) for obj in related}
    return labels


def with_diff(changes, model, *, values: bool = True) -> list:
    """Give each change a ``diff``: the fields whose value differs, labelled, before → after
    (choices by their label, foreign keys by the related record's name). ``values=False`` skips
    the look-ups of related names (for lists that show only which fields changed)."""
    names = {f.name: f.verbose_name for f in model._meta.get_fields() if hasattr(f, "verbose_name")}
    choices = {f.name: dict(f.flatchoices) for f in model._meta.concrete_fields if f.choices}
    fk_labels = _fk_labels(changes, model) if values else {}

    def show(name, v):
        if v is None:
            return None
        if isinstance(v, list):  # many-to-many ids
            return ", ".join(str(x) for x in v)
        if isinstance(v, dict):  # JSON fields (e.g. a disclosure's content)
            return json.dumps(v, ensure_ascii=False, sort_keys=True)
        if name in fk_labels:
            return fk_labels[name].get(str(v), f"#{v}")
        return str(choices.get(name, {}).get(v, v))

    for change in changes:
        before, after = change.before or {}, change.after or {}
        diff = []
        for name in (after or before):
            if name in ("created", "last_updated") or before.get(name) == after.get(name):
                continue
            if change.action == ObjectChange.Action.CREATE and after.get(name) in (None, "", False, [], {}):
                continue
            diff.append({
                "label": names.get(name, name),
                "before": show(name, before.get(name)) if change.action == ObjectChange.Action.UPDATE else None,
                "after": show(name, after.get(name)) if after else "",
            })
        change.diff = diff
    return changes


def audit_trail(obj, limit: int = 50):
    """The change records of one object, newest first, with their field differences."""
    model = type(obj)._meta.concrete_model
    ct = ContentType.objects.get_for_model(model)
    changes = list(ObjectChange.objects.filter(content_type=ct, object_id=str(obj.pk)).order_by("-time", "-id")[:limit])
    return with_diff(changes, model)


def detail_view(request, register: Register, pk):
    obj = _get(register, request, pk)
    sections = []
    for rel in register.related:
        rel_register = find_register(rel.register) if rel.register else None
        rows = list(rel.rows(obj, request.user)[:200])
        add_url = None
        if rel_register and rel_register.may_add(request.user) and can(request.user, "change", obj):
            add_url = reverse(rel_register.url_name("create"))
            if rel.add_param:
                add_url += "?" + urlencode({rel.add_param: obj.pk})
        model = rel_register.model if rel_register else (type(rows[0]) if rows else None)
        sections.append({
            "title": rel.title,
            "headers": [{"label": c.resolve_label(model) if model else c.name, "numeric": bool(model and c.is_money(model))}
                        for c in rel.columns],
            "rows": [{"cells": cells_for(r, rel.columns), "illustrative": getattr(r, "is_illustrative", False)}
                     for r in rows],
            "add_url": add_url,
            "list_url": rel_register.list_url() if rel_register else None,
        })
    context = {
        "register": register,
        "obj": obj,
        "title": str(obj),
        "fields": detail_fields(register, obj, request.user),
        "sections": sections,
        "changes": audit_trail(obj),
        "may_change": register.update is not None and register.form is not None and can(request.user, "change", obj),
        "list_url": register.list_url(),
    }
    context["links"] = [link for link in (make(obj, request.user) for make in register.links) if link]
    if register.detail_context:
        context.update(register.detail_context(request, obj))
    return render(request, register.detail_template, context)


# create / edit ----------------------------------------------------------------------------


def _save(request, register: Register, form, instance=None):
    """Run the service; on a ValidationError show it on the form. Returns the object or None."""
    data, m2m = form.service_data()
    kwargs = {"m2m": m2m} if m2m else {}
    try:
        with transaction.atomic():
            if instance is None:
                return register.create(actor=request.user, **data, **kwargs)
            return register.update(actor=request.user, instance=instance, **data, **kwargs)
    except ValidationError as exc:
        add_service_errors(form, exc)
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
    return None


def create_view(request, register: Register):
    if not register.may_add(request.user):
        raise DjangoPermissionDenied
    if request.method == "POST":
        form = register.form(request.POST, actor=request.user)
        if form.is_valid():
            obj = _save(request, register, form)
            if obj is not None:
                messages.success(request, _("Saved: {obj}").format(obj=obj))
                return redirect(url_for(obj) or register.list_url())
    else:
        initial = register.initial(request) if register.initial else {
            k: v for k, v in request.GET.items() if k in (register.form.base_fields if register.form else {})
        }
        form = register.form(initial=initial, actor=request.user)
    return render(request, "ui/form.html", {
        "register": register, "form": form, "title": _("New {item}").format(item=register.item_name),
        "cancel_url": register.list_url(),
    })


def edit_view(request, register: Register, pk):
    obj = _get(register, request, pk)
    if register.update is None or register.form is None:
        raise Http404(register.item_name)
    if not can(request.user, "change", obj):
        raise DjangoPermissionDenied
    if request.method == "POST":
        form = register.form(request.POST, instance=obj, actor=request.user)
        if form.is_valid():
            saved = _save(request, register, form, instance=obj)
            if saved is not None:
                messages.success(request, _("Saved: {obj}").format(obj=saved))
                return redirect(url_for(saved) or register.list_url())
            obj.refresh_from_db()
    else:
        form = register.form(instance=obj, actor=request.user)
    return render(request, "ui/form.html", {
        "register": register, "form": form, "obj": obj,
        "title": _("Edit {item}: {obj}").format(item=register.item_name, obj=obj),
        "cancel_url": url_for(obj),
    })


def register_views(register: Register):
    """The URL patterns of one register."""
    def wrap(view, **bound):
        def inner(request, *args, **kwargs):
            return view(request, register, *args, **kwargs, **bound)

        inner.__name__ = f"{register.slug}_{view.__name__}"
        return login_required(inner)

    patterns = [
        path(f"{register.slug}/", wrap(list_view), name=f"{register.slug}-list"),
        path(f"{register.slug}/export.xlsx", wrap(export_view, fmt="xlsx"), name=f"{register.slug}-export-xlsx"),
        path(f"{register.slug}/export.csv", wrap(export_view, fmt="csv"), name=f"{register.slug}-export-csv"),
        path(f"{register.slug}/<int:pk>/", wrap(detail_view), name=f"{register.slug}-detail"),
    ]
    if register.form is not None and register.create is not None:
        patterns.append(path(f"{register.slug}/new/", wrap(create_view), name=f"{register.slug}-create"))
    if register.form is not None and register.update is not None:
        patterns.append(path(f"{register.slug}/<int:pk>/edit/", wrap(edit_view), name=f"{register.slug}-edit"))
    return patterns

