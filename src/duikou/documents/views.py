"""The report documents in the web application (namespace ``documents``, mounted at ``/reports/``):

- ``/reports/``: the pairings the user sees, each linking to its reports page;
- ``/reports/pairings/<id>/``: the period chooser (first and last year) and the downloads;
- ``…/summary.docx?from=Y1&to=Y2``: the 年度工作总结 (.docx);
- ``…/tables/<slug>.xlsx?from=Y1&to=Y2``: a standard table (.xlsx).

A pairing the user may not see is a 404; a bad year or an unknown table is a 400 naming it. The
documents are the ones ``duikou report summary`` and ``duikou export excel`` write, computed
through ``restrict()`` as the signed-in user.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duikou.organisations.models import Pairing
from duikou.reports.selectors import FOURTEENTH_PLAN, pairing_years, period_years
from duikou.ui.navigation import add_link

from .docx import summary_docx
from .selectors import check_years, summary_report
from .tables import TABLES, build_table
from .xlsx import table_xlsx

__all__ = ["DOCX", "XLSX", "index", "pairing_reports", "summary_download", "table_download"]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# For every signed-in user (no query on each page); the index says so when they see no pairing.
add_link("documents", gettext_lazy("Reports"), "documents:index")


def _pairings(user):
    return Pairing.objects.restrict(user, "view").select_related(
        "supporter", "recipient", "programme", "recipient_division", "supporter__division")


def _pairing(request, pk) -> Pairing:
    try:
        return _pairings(request.user).get(pk=pk)
    except Pairing.DoesNotExist as exc:
        raise Http404(_("pairing")) from exc


def _years(request, pairing) -> tuple[int, int]:
    first, last = period_years(pairing, "all")
    return check_years(request.GET.get("from") or first, request.GET.get("to") or last)


def _bad_request(exc: ValidationError) -> HttpResponseBadRequest:
    return HttpResponseBadRequest("; ".join(f"{key}: {' '.join(msgs)}" for key, msgs in exc.message_dict.items()),
                                  content_type="text/plain; charset=utf-8")


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def index(request):
    pairings = _pairings(request.user).order_by("programme__name", "parent_id", "supporter__name", "recipient__name")
    return render(request, "documents/index.html", {"title": _("Reports"), "pairings": pairings})


@login_required
def pairing_reports(request, pk):
    pairing = _pairing(request, pk)
    years = pairing_years(pairing) or [pairing.valid_from.year]
    error = None
    try:
        year_from, year_to = _years(request, pairing)
    except ValidationError as exc:
        error = " ".join(exc.messages)
        year_from, year_to = period_years(pairing, "all")
    query = f"?from={year_from}&to={year_to}"
    presets = [(_("Cumulative"), years[0], years[-1])]
    if years[0] <= FOURTEENTH_PLAN[0] <= years[-1]:
        presets.append((_("14th Five-Year Plan"), FOURTEENTH_PLAN[0], min(FOURTEENTH_PLAN[1], years[-1])))
    presets += [(str(y), y, y) for y in reversed(years[-5:])]
    return render(request, "documents/pairing.html", {
        "title": _("Reports: {pairing}").format(pairing=pairing.short_label),
        "pairing": pairing, "years": years, "year_from": year_from, "year_to": year_to, "error": error,
        "presets": [{"label": label, "url": f"?from={a}&to={b}", "current": (a, b) == (year_from, year_to)}
                    for label, a, b in presets],
        "summary_url": reverse("documents:summary", args=[pairing.pk]) + query,
        "tables": [{"name": spec.name, "description": spec.description, "slug": spec.slug,
                    "url": reverse("documents:table", args=[pairing.pk, spec.slug]) + query}
                   for spec in TABLES.values()],
        "dashboard_url": reverse("dashboard", args=[pairing.pk]),
    })


@login_required
def summary_download(request, pk):
    pairing = _pairing(request, pk)
    try:
        year_from, year_to = _years(request, pairing)
        report = summary_report(actor=request.user, pairing=pairing, year_from=year_from, year_to=year_to)
    except ValidationError as exc:
        return _bad_request(exc)
    return _download(summary_docx(report), DOCX, f"summary-{pairing.pk}-{year_from}-{year_to}.docx")


@login_required
def table_download(request, pk, slug):
    pairing = _pairing(request, pk)
    if slug not in TABLES:
        raise Http404(_("Unknown table {name}.").format(name=slug))
    try:
        year_from, year_to = _years(request, pairing)
        table = build_table(actor=request.user, pairing=pairing, table=slug, year_from=year_from, year_to=year_to)
    except ValidationError as exc:
        return _bad_request(exc)
    content = table_xlsx(table, pairing=pairing.short_label, year_from=year_from, year_to=year_to)
    return _download(content, XLSX, f"{slug}-{pairing.pk}-{year_from}-{year_to}.xlsx")
