"""The published figure sets (namespace ``figures``, mounted at ``/figures/``):

- ``/figures/``: the sets the user sees, newest first, and the publish button;
- ``/figures/publish/``: publish a set (users who may add records of a pairing);
- ``/figures/<id>/``: a set's values then and now, with what changed since;
- ``/figures/<id>/<key>/``: one figure's definition and the records behind it (then, added,
  removed, changed), each linked to its register's detail page.

A set the user may not see is a 404; publishing with no pairing to write for is a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from duikou.core.money import cn_amount
from duikou.core.permissions import can
from duikou.organisations.models import Pairing
from duikou.reports.figures import get_figure
from duikou.reports.views import figure_link
from duikou.ui.navigation import add_link
from duikou.ui.registers import url_for

from .forms import PublishForm
from .models import FigureSet
from .selectors import figure_records, figure_set_diff, figure_set_get, figure_set_list
from .services import figure_set_publish

__all__ = ["detail", "figure", "index", "publish"]


def _mounted(user) -> bool:
    try:
        reverse("figures:index")
    except NoReverseMatch:  # a URLconf without these pages (a test's)
        return False
    return True


add_link("figures", gettext_lazy("Published figures"), "figures:index", visible=_mounted)


def show_value(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "yuan":
        return cn_amount(value)
    return f"{int(value):,}"


def _label(pf) -> str:
    return pf.label_en if (get_language() or "").startswith("en") else pf.label_zh


def _writable_pairings(user):
    pairings = Pairing.objects.restrict(user, "view").select_related("supporter", "recipient", "programme")
    return [p for p in pairings.order_by("programme__name", "supporter__name") if can(user, "add", FigureSet(pairing=p))]


@login_required
def index(request):
    sets = figure_set_list(actor=request.user)
    return render(request, "figures/index.html", {
        "title": _("Published figures"), "sets": sets, "may_publish": bool(_writable_pairings(request.user)),
    })


@login_required
def publish(request):
    pairings = _writable_pairings(request.user)
    if not pairings:
        raise PermissionDenied
    by_pk = {p.pk: p for p in pairings}
    initial = {"pairing": request.GET.get("pairing")}
    form = PublishForm(request.POST or None, pairings=pairings, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            figure_set = figure_set_publish(
                actor=request.user, pairing=by_pk[data["pairing"]], year_from=data["year_from"],
                year_to=data["year_to"], name=data["name"], as_of=data["as_of"])
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("Published {name}.").format(name=figure_set.name))
            return redirect("figures:detail", pk=figure_set.pk)
    return render(request, "figures/publish.html", {"title": _("Publish figures"), "form": form})


@login_required
def detail(request, pk):
    figure_set = figure_set_get(actor=request.user, pk=pk)
    rows = []
    for d in figure_set_diff(actor=request.user, figure_set=figure_set):
        pf = d.figure
        rows.append({
            "key": pf.key, "label": _label(pf), "years": f"{pf.year_from}–{pf.year_to}",
            "rule": pf.definition.get("rule", ""), "then": show_value(d.then, pf.unit),
            "then_raw": "" if d.then is None else str(d.then),
            "now": _("withdrawn") if d.withdrawn else show_value(d.now, pf.unit),
            "now_raw": "" if d.now is None else str(d.now), "same": d.same,
            "records": len(pf.record_ids), "added": len(d.added), "removed": len(d.removed),
            "changed": len(d.changed), "url": reverse("figures:figure", args=[figure_set.pk, pf.key]),
        })
    return render(request, "figures/detail.html", {
        "title": figure_set.name, "set": figure_set, "rows": rows,
        "changed": sum(1 for r in rows if not r["same"]),
    })


def _links(actor, model: str, ids) -> list[dict]:
    found = {obj.pk: obj for obj in figure_records(actor=actor, model=model, ids=ids)}
    return [{"id": i, "label": str(found[i]) if i in found else _("#{id} (deleted or out of your view)").format(id=i),
             "url": url_for(found[i]) if i in found else None} for i in ids]


RECORDS_SHOWN = 500


@login_required
def figure(request, pk, key):
    figure_set = figure_set_get(actor=request.user, pk=pk)
    diffs = {d.figure.key: d for d in figure_set_diff(actor=request.user, figure_set=figure_set)}
    if key not in diffs:
        raise Http404(key)
    d = diffs[key]
    pf = d.figure
    try:
        list_url = figure_link(get_figure(key), figure_set.pairing, pf.year_from, pf.year_to)
    except KeyError:
        list_url = None
    then = pf.record_ids[:RECORDS_SHOWN]
    return render(request, "figures/figure.html", {
        "title": _label(pf), "set": figure_set, "pf": pf, "diff": d,
        "then": show_value(d.then, pf.unit), "now": show_value(d.now, pf.unit),
        "definition": sorted(pf.definition.items()), "list_url": list_url,
        "records": _links(request.user, pf.model, then), "more": max(len(pf.record_ids) - RECORDS_SHOWN, 0),
        "added": _links(request.user, pf.model, d.added[:RECORDS_SHOWN]),
        "removed": _links(request.user, pf.model, d.removed[:RECORDS_SHOWN]),
        "changed": _links(request.user, pf.model, d.changed[:RECORDS_SHOWN]),
    })
