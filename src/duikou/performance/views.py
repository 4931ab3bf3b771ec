"""The performance pages (namespace ``performance``, mounted at ``/performance/``):

- ``/performance/``: the pairings the user sees, with the years that have self-assessments;
- ``/performance/projects/<id>/``: a project's 绩效自评表 (printable), ``…/self-assessment.docx``;
- ``/performance/projects/<id>/actuals/``: enter the actuals of every indicator at once;
- ``/performance/pairings/<id>/<year>/``: the summary of a pairing's year, ``….docx`` and ``….xlsx``.

A project or pairing the user may not see is a 404; the actuals page needs the right to change
the indicators (403 otherwise). Figures come from the selectors; the views only render them.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duikou.core.errors import PermissionDenied
from duikou.core.permissions import can, scope_for
from duikou.core.selectors import restricted_get
from duikou.organisations.models import Pairing
from duikou.projects.models import Project
from duikou.ui.navigation import add_link
from duikou.ui.registers import format_money, get_register, url_for

from .choices import LEVEL1_ORDER, LEVEL2_ORDER
from .docx import performance_summary_docx, self_assessment_docx
from .forms import ActualForm
from .models import PerformanceIndicator
from .selectors import pairing_performance_summary, pairing_performance_years, project_self_assessment
from .services import performance_actuals_record
from .xlsx import performance_summary_xlsx

__all__ = [
    "index",
    "pairing_summary",
    "pairing_summary_docx",
    "pairing_summary_xlsx",
    "project_actuals",
    "project_assessment",
    "project_assessment_docx",
]


def _menu_visible(user) -> bool:
    # the URLconf in use may not mount these pages (a test's, or a site without them)
    return get_register("performance-indicators").may_view(user)


# In the menu after the dashboard's links (this module is imported with the URLconf).
add_link("performance", gettext_lazy("Performance evaluation"), "performance:index", visible=_menu_visible)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _pairing(request, pk) -> Pairing:
    pairing = restricted_get(Pairing, actor=request.user, pk=pk)
    return Pairing.objects.select_related("supporter", "recipient", "programme").get(pk=pairing.pk)


@login_required
def index(request):
    # every pairing the user sees, sub-pairings too (a district office sees only its own)
    pairings = Pairing.objects.restrict(request.user, "view").select_related(
        "supporter", "recipient", "programme").order_by("programme__name", "parent_id", "supporter__name")
    rows = []
    for pairing in pairings:
        years = pairing_performance_years(actor=request.user, pairing=pairing)
        if years:
            rows.append({"pairing": pairing, "years": [
                {"year": y, "url": reverse("performance:summary", args=[pairing.pk, y])} for y in reversed(years)]})
    return render(request, "performance/index.html", {
        "title": _("Performance evaluation"), "rows": rows,
        "indicators_url": get_register("performance-indicators").list_url(),
    })


@login_required
def project_assessment(request, pk):
    sa = project_self_assessment(actor=request.user, project=pk)
    project = Project.objects.get(pk=sa.project_id)
    indicators = get_register("performance-indicators")
    may_add = indicators.may_add(request.user) and can(request.user, "change", project)
    may_enter = bool(sa.rows) and PerformanceIndicator.objects.restrict(request.user, "change").filter(
        project_id=sa.project_id).exists()
    return render(request, "performance/self_assessment.html", {
        "title": _("Self-assessment: {project}").format(project=f"{sa.code} {sa.name}"),
        "sa": sa,
        "budget": format_money(sa.budget),
        "allocated": format_money(sa.budget_execution.allocated),
        "spent": format_money(sa.budget_execution.spent),
        "project_url": url_for(project),
        "add_url": reverse(indicators.url_name("create")) + f"?project={sa.project_id}" if may_add else None,
        "actuals_url": reverse("performance:actuals", args=[sa.project_id]) if may_enter else None,
        "docx_url": reverse("performance:project-docx", args=[sa.project_id]),
        "summary_url": reverse("performance:summary", args=[sa.pairing_id, sa.year]),
        "scheme_url": reverse("admin:performance_evaluationscheme_change", args=[sa.scheme_id])
        if sa.scheme_id and request.user.is_staff and scope_for(request.user, "change").all else None,
    })


@login_required
def project_assessment_docx(request, pk):
    sa = project_self_assessment(actor=request.user, project=pk)
    return _download(self_assessment_docx(sa), DOCX, f"self-assessment-{sa.code}.docx")


@login_required
def project_actuals(request, pk):
    project = restricted_get(Project, actor=request.user, pk=pk)
    indicators = list(PerformanceIndicator.objects.restrict(request.user, "change").filter(project=project)
                      .order_by("order", "id"))
    if not indicators:
        if PerformanceIndicator.objects.restrict(request.user, "view").filter(project=project).exists():
            raise DjangoPermissionDenied
        raise Http404(_("This project has no performance indicators yet."))
    indicators.sort(key=lambda i: (LEVEL1_ORDER[i.level1], LEVEL2_ORDER[i.level2], i.order, i.pk))
    data = request.POST if request.method == "POST" else None
    forms = [ActualForm(data, indicator=i) for i in indicators]
    error = None
    if request.method == "POST" and all(f.is_valid() for f in forms):
        try:
            performance_actuals_record(actor=request.user, project=project, entries=[f.entry() for f in forms])
        except ValidationError as exc:
            for form in forms:
                row = getattr(exc, "row_errors", {}).get(form.indicator.pk)
                if row is not None:
                    for field, errs in row.message_dict.items():
                        form.add_error(field if field in form.fields else None, errs)
            error = _("Nothing was saved: correct the rows marked below.")
        except PermissionDenied as exc:
            error = str(exc)
        else:
            messages.success(request, _("Actuals saved."))
            return redirect("performance:project", pk=project.pk)
    return render(request, "performance/actuals.html", {
        "title": _("Actuals: {project}").format(project=project),
        "project": project, "forms": forms, "error": error,
        "cancel_url": reverse("performance:project", args=[project.pk]),
    })


def _summary_context(request, pk, year):
    pairing = _pairing(request, pk)
    summary = pairing_performance_summary(actor=request.user, pairing=pairing, year=year)
    return pairing, summary


@login_required
def pairing_summary(request, pk, year):
    pairing, summary = _summary_context(request, pk, year)
    years = pairing_performance_years(actor=request.user, pairing=pairing)
    return render(request, "performance/summary.html", {
        "title": _("Performance summary {year}: {pairing}").format(year=year, pairing=summary.pairing),
        "summary": summary,
        "pairing": pairing,
        "years": [{"year": y, "url": reverse("performance:summary", args=[pairing.pk, y]), "current": y == year}
                  for y in years],
        "docx_url": reverse("performance:summary-docx", args=[pairing.pk, year]),
        "xlsx_url": reverse("performance:summary-xlsx", args=[pairing.pk, year]),
    })


@login_required
def pairing_summary_docx(request, pk, year):
    _pairing_obj, summary = _summary_context(request, pk, year)
    return _download(performance_summary_docx(summary), DOCX, f"performance-summary-{pk}-{year}.docx")


@login_required
def pairing_summary_xlsx(request, pk, year):
    _pairing_obj, summary = _summary_context(request, pk, year)
    return _download(performance_summary_xlsx(summary), XLSX, f"performance-summary-{pk}-{year}.xlsx")
