"""The IATI pages: the pairings' IATI XML as downloads (``/iati/pairings/<id>.xml``) and, for
administrators, an upload that imports a file into a pairing they may change. Both scoped:
a pairing outside the user's organisations is a 404, and the import runs as the user, so the
services refuse what the user may not write."""

import tempfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from duikou.audit.context import actor_context
from duikou.organisations.models import Pairing
from duikou.ui.navigation import add_link

from .export import ExportInvalid, export_pairing
from .importer import ImportRefused, import_file
from .xml import HostileXML

__all__ = ["MAX_UPLOAD_BYTES", "index", "pairing_xml"]

MAX_UPLOAD_BYTES = 100 * 1024 * 1024

add_link("iati", gettext_lazy("IATI exchange"), "iati:index")


def may_import(user) -> bool:
    return bool(getattr(user, "is_staff", False) or getattr(user, "is_superuser", False))


def _year(value):
    try:
        return int(value) if value else None
    except ValueError:
        raise Http404(_("year")) from None


@login_required
def pairing_xml(request, pk):
    try:
        pairing = Pairing.objects.restrict(request.user, "view").select_related("supporter__division").get(pk=pk)
    except Pairing.DoesNotExist:
        raise Http404(_("pairing")) from None
    try:
        data = export_pairing(actor=request.user, pairing=pairing, year_from=_year(request.GET.get("from")),
                              year_to=_year(request.GET.get("to")), base_url=request.build_absolute_uri("/"))
    except ValidationError as exc:  # the supporter has no organisation identifier
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
    except ExportInvalid as exc:
        return HttpResponse(str(exc), status=500, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="iati-pairing-{pairing.pk}.xml"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def index(request):
    pairings = list(Pairing.objects.restrict(request.user, "view")
                    .select_related("supporter", "recipient", "programme", "parent").order_by("parent_id", "pk"))
    importable = [p for p in Pairing.objects.restrict(request.user, "change")
                  .select_related("supporter", "recipient").order_by("pk")] if may_import(request.user) else []
    context = {"title": _("IATI exchange"), "pairings": pairings, "importable": importable,
               "may_import": may_import(request.user), "report": None, "errors": []}
    if request.method == "POST":
        if not may_import(request.user):
            raise PermissionDenied
        context.update(_upload(request, {p.pk: p for p in importable}))
    return render(request, "iati/index.html", context)


def _upload(request, importable: dict) -> dict:
    upload = request.FILES.get("file")
    try:
        pairing = importable.get(int(request.POST.get("pairing") or 0))
    except ValueError:
        pairing = None
    if upload is None:
        return {"errors": [_("file: choose an IATI XML file.")]}
    if pairing is None:
        return {"errors": [_("pairing: choose a pairing you may change.")]}
    if upload.size > MAX_UPLOAD_BYTES:
        return {"errors": [_("file: larger than {n} MB.").format(n=MAX_UPLOAD_BYTES // 1024 // 1024)]}
    with tempfile.NamedTemporaryFile(suffix=".xml") as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        try:
            with actor_context(request.user):
                report = import_file(tmp.name, actor=request.user, lenient=bool(request.POST.get("lenient")),
                                     pairing=pairing)
        except HostileXML as exc:
            return {"errors": [_("file: refused: {reason}").format(reason=exc)]}
        except ImportRefused as exc:
            return {"errors": [str(exc), *(str(e) for e in exc.errors)]}
    return {"report": report, "issues": report.issues[:100]}
