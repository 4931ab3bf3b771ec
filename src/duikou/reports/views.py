"""Home, the pairing dashboard, the national overview and the JSON behind their charts.

Every figure comes from ``reports.selectors`` — the functions ``duikou stats`` prints — through
``restrict()``. Templates and JavaScript only show what these views hand them.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duikou.core.choices import FundLevel
from duikou.core.money import cn_amount_auto
from duikou.core.permissions import scope_for
from duikou.organisations.models import Pairing
from duikou.ui.navigation import add_link
from duikou.ui.registers import format_money, get_register, register_for
from duikou.ui.views import with_diff

from . import figures as registry
from . import selectors
from .checks import pairing_check

__all__ = ["CARDS", "DASHBOARD_WARNINGS", "dashboard", "figure_cards", "figure_link", "home", "kpi_cards",
           "national_overview", "sees_everything", "warning_rows"]

# The dashboard lists this many warnings; ``duikou check`` lists them all.
DASHBOARD_WARNINGS = 20


def sees_everything(user) -> bool:
    return scope_for(user, "view").all


add_link("home", gettext_lazy("Dashboard"), "home")
add_link("overview", gettext_lazy("National overview"), "overview", visible=sees_everything)


def _visible_pairings(user):
    return Pairing.objects.restrict(user, "view").select_related("supporter", "recipient", "programme", "parent")


def _roots(pairings):
    """The pairings whose parent the user does not see (for 房山区's user: 房山区 → 巴东县)."""
    ids = {p.pk for p in pairings}
    return [p for p in pairings if p.parent_id not in ids]


@login_required
def home(request):
    if sees_everything(request.user):
        return redirect("overview")
    roots = _roots(list(_visible_pairings(request.user).order_by("supporter__name", "recipient__name")))
    if len(roots) == 1:
        return redirect("dashboard", pk=roots[0].pk)
    return render(request, "reports/home.html", {"title": _("Your pairings"), "pairings": roots})


def _pairing(request, pk) -> Pairing:
    try:
        return _visible_pairings(request.user).get(pk=pk)
    except (Pairing.DoesNotExist, ValueError) as exc:
        raise Http404(_("pairing")) from exc


def _period(request, pairing):
    """(period code, first year, last year) from ``?period=``; 404 for a period the pairing lacks."""
    period = request.GET.get("period") or "all"
    try:
        year_from, year_to = selectors.period_years(pairing, period)
    except ValidationError as exc:
        raise Http404(" ".join(exc.messages)) from exc
    return period, year_from, year_to


def _link(slug: str, **params) -> str:
    return reverse(get_register(slug).url_name("list")) + "?" + urlencode({k: v for k, v in params.items() if v is not None})


# The headline cards: (card key, figure of the registry, label, the value shown, the line under it).
CARDS = [
    ("aid_funds", "aid_funds", gettext_lazy("Free aid funds (无偿援助资金)")),
    ("projects", "projects", gettext_lazy("Projects (项目数)")),
    ("cadres", "cadres_seconded", gettext_lazy("Seconded cadres (挂职干部)")),
    ("training", "training_person_times", gettext_lazy("Training (培训人次)")),
    ("consumption", "contract_sales", gettext_lazy("Consumption assistance (消费帮扶)")),
    ("investment", "enterprises_introduced", gettext_lazy("Investment (招商引资)")),
]


def figure_link(figure, pairing, year_from: int, year_to: int) -> str:
    """The register list of the rows behind a registry figure (its filters, the pairing, the years)."""
    return _link(figure.register, **figure.list_params, pairing=pairing.pk, year_from=year_from, year_to=year_to)


def figure_cards(figures, pairing, year_from: int, year_to: int) -> list[dict]:
    """The headline cards, each a figure of the registry (``reports.figures``) with its value from
    ``figures`` (``pairing_figures``) and linked to the register rows behind it (same filters)."""
    value = {figure_key: getattr(figures, name) for name, figure_key in registry.STATS_FIGURES.items()}
    subs = {
        "aid_funds": _("{amount} yuan allocated").format(amount=format_money(figures.aid_funds_yuan)),
        "projects": _("in an annual plan, not cancelled"),
        "cadres": _("in {n} batches").format(n=figures.cadre_batches),
        "training": _("person-times"),
        "consumption": _("sales contracts; {n} products sold").format(n=figures.consumption_products),
        "investment": _("enterprises agreed or landed"),
    }
    cards = []
    for key, figure_key, label in CARDS:
        figure = registry.get_figure(figure_key)
        raw = value[figure_key]
        card = {"key": key, "figure": figure_key, "label": label,
                "value": cn_amount_auto(raw) if figure.unit == "yuan" else str(raw), "raw": str(raw),
                "sub": subs[key], "url": figure_link(figure, pairing, year_from, year_to)}
        if key == "aid_funds":
            card["exact"] = format_money(raw)
        cards.append(card)
    return cards


def _rate(value) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def kpi_cards(kpis, pairing, year_from: int, year_to: int) -> list[dict]:
    """The KPI row (``reports.kpis``), each card linked to the register rows behind its numerator."""
    years = {"pairing": pairing.pk, "year_from": year_from, "year_to": year_to}
    return [
        {"key": "funds_in_place", "label": _("Funds in place (资金到位率)"), "value": _rate(kpis.funds_in_place_rate),
         "raw": "" if kpis.funds_in_place_rate is None else str(kpis.funds_in_place_rate),
         "sub": _("{received} of {allocated} yuan allocated received").format(
             received=format_money(kpis.received), allocated=format_money(kpis.allocated)),
         "url": _link("fund-transactions", kind="receipt", stream="grant", **years)},
        {"key": "start_rate", "label": _("Start rate (项目开工率)"), "value": _rate(kpis.start_rate),
         "raw": "" if kpis.start_rate is None else str(kpis.start_rate),
         "sub": _("{started} of {planned} planned projects started").format(
             started=kpis.started_projects, planned=kpis.planned_projects),
         "url": _link("projects", status_group="counted", **years)},
        {"key": "completion_rate", "label": _("Completion rate (完工率)"), "value": _rate(kpis.completion_rate),
         "raw": "" if kpis.completion_rate is None else str(kpis.completion_rate),
         "sub": _("{completed} of {planned} planned projects completed").format(
             completed=kpis.completed_projects, planned=kpis.planned_projects),
         "url": _link("projects", status_group="counted", **years)},
        {"key": "spend_rate", "label": _("Spending progress (资金支出进度)"), "value": _rate(kpis.spend_rate),
         "raw": "" if kpis.spend_rate is None else str(kpis.spend_rate),
         "sub": _("{spent} of {allocated} yuan allocated spent").format(
             spent=format_money(kpis.spent), allocated=format_money(kpis.allocated)),
         "url": _link("fund-transactions", kind="expenditure", stream="grant", **years)},
    ]


def _record_model(kind: str):
    from django.apps import apps

    return {"project": apps.get_model("projects", "Project"), "fund_transaction": apps.get_model("funds", "FundTransaction"),
            "plan": apps.get_model("plans", "Plan"), "product": apps.get_model("consumption", "Product")}.get(kind)


def warning_rows(warnings, limit: int = DASHBOARD_WARNINGS) -> list[dict]:
    """The first ``limit`` warnings, each with links to the records it names."""
    rows = []
    for w in warnings[:limit]:
        records = []
        for ref in w.records:
            model = _record_model(ref.kind)
            reg = register_for(model) if model else None
            records.append({"label": ref.label or f"#{ref.id}",
                            "url": reverse(reg.url_name("detail"), args=[ref.id]) if reg else None})
        rows.append({"rule": w.rule, "year": w.year, "message": w.message, "records": records})
    return rows


def _changes_with_links(changes):
    for change in changes:
        model = change.content_type.model_class()
        reg = register_for(model) if model else None
        change.url = reverse(reg.url_name("detail"), args=[change.object_id]) if reg else None
        if model:
            with_diff([change], model, values=False)  # the dashboard shows only which fields changed
        else:
            change.diff = []
    return changes


def _period_links(request, pairing, current: str) -> list[dict]:
    base = reverse("dashboard", args=[pairing.pk])
    out = [{"code": code, "label": label, "url": f"{base}?period={code}", "current": code == current}
           for code, label in selectors.PERIOD_CHOICES]
    return out


def _locations(request, pairing, year_from, year_to) -> dict:
    loc = selectors.project_locations(actor=request.user, pairing=pairing, year_from=year_from, year_to=year_to)
    return {
        "townships": [{"name": t.name, "projects": t.projects, "budget": format_money(t.budget_yuan)}
                      for t in loc.townships],
        "points": loc.points,
    }


@login_required
def dashboard(request, pk):
    pairing = _pairing(request, pk)
    period, year_from, year_to = _period(request, pairing)
    figures = selectors.pairing_figures(actor=request.user, pairing=pairing, year_from=year_from, year_to=year_to)
    progress = selectors.funds_progress(actor=request.user, pairing=pairing, year_from=year_from, year_to=year_to)
    report = pairing_check(actor=request.user, pairing=pairing, year_from=year_from, year_to=year_to)
    chart_query = f"?period={period}"
    context = {
        "title": _("{supporter} → {recipient}").format(supporter=pairing.supporter, recipient=pairing.recipient),
        "pairing": pairing,
        "period": period,
        "year_from": year_from,
        "year_to": year_to,
        "years": selectors.pairing_years(pairing),
        "periods": _period_links(request, pairing, period),
        "cards": figure_cards(figures, pairing, year_from, year_to),
        "kpis": kpi_cards(report.kpis, pairing, year_from, year_to),
        "warnings": warning_rows(report.warnings),
        "warnings_total": len(report.warnings),
        "warnings_more": max(len(report.warnings) - DASHBOARD_WARNINGS, 0),
        "checked_on": report.on,
        "illustrative_share": figures.illustrative_share,
        "illustrative_percent": f"{figures.illustrative_share:.0%}",
        "progress": [
            {"label": label, "value": None if value is None else format_money(value)}
            for label, value in progress.rows()
        ],
        "changes": _changes_with_links(selectors.recent_changes(actor=request.user, pairing=pairing, limit=10)),
        "locations": _locations(request, pairing, year_from, year_to),
        "charts": {
            name.replace("-", "_"): reverse(f"chart-{name}", args=[pairing.pk]) + chart_query
            for name in ("funds-by-year", "projects-by-task", "funds-by-task", "progress", "locations")
        },
    }
    template = "reports/_dashboard_body.html" if request.headers.get("HX-Request") == "true" else "reports/dashboard.html"
    return render(request, template, context)


# charts (JSON) -----------------------------------------------------------------------------


def _money_list(values) -> list[str]:
    return [format(v, "f") for v in values]


@login_required
def chart_funds_by_year(request, pk):
    pairing = _pairing(request, pk)
    _p, year_from, year_to = _period(request, pairing)
    rows = selectors.funds_by_year(actor=request.user, pairing=pairing, year_from=year_from, year_to=year_to)
    levels = [(FundLevel.CITY, "city"), (FundLevel.DISTRICT, "district"), (FundLevel.OTHER, "other")]
    return JsonResponse({
        "unit": "yuan", "unit_label": _("yuan"),
        "categories": [str(r.year) for r in rows],
        "series": [{"name": str(level.label), "data": _money_list(getattr(r, attr) for r in rows)}
                   for level, attr in levels],
    })


@login_required
def chart_projects_by_task(request, pk):
    pairing = _pairing(request, pk)
    _p, year_from, year_to = _period(request, pairing)
    rows = selectors.projects_by_task(actor=request.user, pairing=pairing, year_from=year_from, year_to=year_to)
    return JsonResponse({"unit": "count", "unit_label": _("projects"), "categories": [str(r.name) for r in rows],
                         "series": [{"name": _("projects"), "data": [r.projects for r in rows]}]})


@login_required
def chart_funds_by_task(request, pk):
    pairing = _pairing(request, pk)
    _p, year_from, year_to = _period(request, pairing)
    rows = selectors.projects_by_task(actor=request.user, pairing=pairing, year_from=year_from, year_to=year_to)
    return JsonResponse({"unit": "yuan", "unit_label": _("yuan"), "categories": [str(r.name) for r in rows],
                         "series": [{"name": _("free aid funds"), "data": _money_list(r.funds_yuan for r in rows)}]})


@login_required
def chart_progress(request, pk):
    pairing = _pairing(request, pk)
    _p, year_from, year_to = _period(request, pairing)
    progress = selectors.funds_progress(actor=request.user, pairing=pairing, year_from=year_from, year_to=year_to)
    rows = [(label, value) for label, value in progress.rows() if value is not None]
    return JsonResponse({"unit": "yuan", "unit_label": _("yuan"), "categories": [str(label) for label, _v in rows],
                         "series": [{"name": _("free aid funds"), "data": _money_list(v for _l, v in rows)}]})


@login_required
def chart_locations(request, pk):
    pairing = _pairing(request, pk)
    _p, year_from, year_to = _period(request, pairing)
    loc = selectors.project_locations(actor=request.user, pairing=pairing, year_from=year_from, year_to=year_to)
    return JsonResponse({
        "unit": "count", "x_label": _("longitude"), "y_label": _("latitude"),
        "points": [[p["longitude"], p["latitude"], f"{p['code']} {p['name']}"] for p in loc.points],
    })


# national overview -------------------------------------------------------------------------

OVERVIEW_SORTS = {
    "supporter": lambda r: (r.supporter, r.recipient),
    "recipient": lambda r: (r.recipient, r.supporter),
    "programme": lambda r: (r.programme, r.supporter),
    "funds": lambda r: r.funds_yuan,
    "projects": lambda r: r.projects,
}


def _overview_period(request):
    period = request.GET.get("period") or "all"
    try:
        return (period, *selectors.overview_years(period))
    except ValidationError as exc:
        raise Http404(" ".join(exc.messages)) from exc


@login_required
def national_overview(request):
    if not sees_everything(request.user):
        raise PermissionDenied
    period, year_from, year_to = _overview_period(request)
    overview = selectors.national_overview(actor=request.user, year_from=year_from, year_to=year_to)
    sort = request.GET.get("sort", "-funds")
    key = sort.lstrip("-")
    if key not in OVERVIEW_SORTS:
        sort, key = "-funds", "funds"
    pairings = sorted(overview.pairings, key=OVERVIEW_SORTS[key], reverse=sort.startswith("-"))
    base = reverse("overview")

    def sort_url(name):
        new = f"-{name}" if sort == name else name
        return f"{base}?{urlencode({'period': period, 'sort': new})}"

    context = {
        "title": _("National overview"),
        "period": period,
        "year_from": year_from,
        "year_to": year_to,
        "periods": [{"code": c, "label": label, "current": c == period, "url": f"{base}?{urlencode({'period': c, 'sort': sort})}"}
                    for c, label in selectors.PERIOD_CHOICES],
        "sort": sort,
        "sort_urls": {name: sort_url(name) for name in OVERVIEW_SORTS},
        "pairings": [dict(row=r, funds=format_money(r.funds_yuan), url=reverse("dashboard", args=[r.pairing_id]))
                     for r in pairings],
        "supporters": [dict(row=r, funds=format_money(r.funds_yuan)) for r in overview.supporters],
        "recipients": [dict(row=r, funds=format_money(r.funds_yuan)) for r in overview.recipients],
        "chart": reverse("chart-overview") + f"?period={period}",
    }
    template = "reports/_overview_body.html" if request.headers.get("HX-Request") == "true" else "reports/overview.html"
    return render(request, template, context)


@login_required
def chart_overview(request):
    if not sees_everything(request.user):
        raise PermissionDenied
    _p, year_from, year_to = _overview_period(request)
    overview = selectors.national_overview(actor=request.user, year_from=year_from, year_to=year_to)
    rows = sorted(overview.supporters, key=lambda r: r.funds_yuan)
    return JsonResponse({"unit": "yuan", "unit_label": _("yuan"), "categories": [r.name for r in rows],
                         "series": [{"name": _("free aid funds"), "data": _money_list(r.funds_yuan for r in rows)}]})
