"""The import page (``imports:index``, ``/imports/``): template downloads and the upload.

The import runs as the signed-in user: lookups offer the rows the user may see, the services
check the user's right to write each row, and the audit records name the user. The result (rows
created, updated, unchanged, with errors) and the errors (sheet, row, column, message) are shown
in tables on the page.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duikou.ui.navigation import add_link

from .forms import ImportForm
from .services import import_workbook
from .sheets import SHEETS
from .xlsx_template import template_workbook

__all__ = ["index", "may_import", "template"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def may_import(user) -> bool:
    """The user may add rows to at least one register the import feeds."""
    return getattr(user, "is_authenticated", False) and any(s.register.may_add(user) for s in SHEETS)


add_link("imports", gettext_lazy("Excel import"), "imports:index", visible=may_import)


@login_required
def index(request):
    if not may_import(request.user):
        raise Http404
    result = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > settings.IMPORT_MAX_FILE_BYTES:
                form.add_error("file", _("The file has {size} bytes, more than the limit of {limit}.").format(
                    size=upload.size, limit=settings.IMPORT_MAX_FILE_BYTES))
            else:
                result = import_workbook(upload.read(), actor=request.user,
                                         valid_only=form.cleaned_data["valid_only"],
                                         dry_run=form.cleaned_data["dry_run"])
    else:
        form = ImportForm()
    sheets = [{"slug": s.register_slug, "title": s.title()} for s in SHEETS if s.register.may_add(request.user)]
    return render(request, "imports/index.html", {
        "title": _("Excel import"), "form": form, "result": result, "sheets": sheets,
        "dry_run": request.method == "POST" and form.is_valid() and form.cleaned_data["dry_run"],
    })


@login_required
def template(request):
    if not may_import(request.user):
        raise Http404
    slugs = request.GET.getlist("sheet") or None
    known = {s.register_slug for s in SHEETS}
    if slugs and not set(slugs) <= known:
        raise Http404
    content = template_workbook(slugs=slugs, actor=request.user)
    name = slugs[0] if slugs and len(slugs) == 1 else "duikou"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}-import-template-{dt.date.today().isoformat()}.xlsx"'
    return response
