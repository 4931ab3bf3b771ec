"""The pages of a notice outside the register: publish and withdraw (POST, through the
services), the printable page and the .docx download.

A notice the user may not see is a 404; one the user may see but not change is a 403 for
publish and withdraw. The printable page and the .docx refuse (409) a notice whose content holds
personal data, naming the place and the kind of data found.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duikou.core.errors import PermissionDenied
from duikou.core.permissions import can
from duikou.ui.registers import url_for

from .choices import DisclosureStatus
from .docx import disclosure_docx
from .forms import WithdrawForm
from .models import Disclosure
from .selectors import PrivacyRefused, disclosure_document, disclosure_get
from .services import disclosure_publish, disclosure_withdraw

__all__ = ["document_docx", "document_page", "publish", "withdraw"]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _error_messages(request, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            try:
                label = str(Disclosure._meta.get_field(name).verbose_name)
            except Exception:  # noqa: BLE001 - not a field
                label = ""
            for message in ValidationError(errors).messages:
                messages.error(request, f"{label}: {message}" if label else message)
    else:
        for message in exc.messages:
            messages.error(request, message)


def _for_change(request, pk) -> Disclosure:
    disclosure = disclosure_get(actor=request.user, pk=pk)
    if not can(request.user, "change", disclosure):
        raise DjangoPermissionDenied
    return disclosure


@login_required
@require_POST
def publish(request, pk):
    disclosure = _for_change(request, pk)
    try:
        disclosure_publish(actor=request.user, disclosure=disclosure)
    except ValidationError as exc:
        _error_messages(request, exc)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Published: {obj}").format(obj=disclosure))
    return redirect(url_for(disclosure))


@login_required
@require_POST
def withdraw(request, pk):
    disclosure = _for_change(request, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the notice is withdrawn."))
        return redirect(url_for(disclosure))
    try:
        disclosure_withdraw(actor=request.user, disclosure=disclosure, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("Withdrawn: {obj}").format(obj=disclosure))
    return redirect(url_for(disclosure))


def _refused(request, pk, exc: PrivacyRefused):
    disclosure = disclosure_get(actor=request.user, pk=pk)
    return render(request, "disclosure/refused.html", {
        "title": _("This notice cannot be shown"), "obj": disclosure, "problems": exc.messages,
        "detail_url": url_for(disclosure),
    }, status=409)


@login_required
def document_page(request, pk):
    """The notice as a printable page (A4, official style)."""
    try:
        doc = disclosure_document(actor=request.user, pk=pk)
    except PrivacyRefused as exc:
        return _refused(request, pk, exc)
    return render(request, "disclosure/document.html", {
        "obj": doc.disclosure, "content": doc.content, "detail_url": url_for(doc.disclosure),
        "draft": doc.disclosure.is_draft, "withdrawn": doc.disclosure.status == DisclosureStatus.WITHDRAWN,
    })


@login_required
def document_docx(request, pk):
    """The notice as a Word document."""
    try:
        doc = disclosure_document(actor=request.user, pk=pk)
    except PrivacyRefused as exc:
        return _refused(request, pk, exc)
    data = disclosure_docx(doc.content, draft=doc.disclosure.is_draft,
                           withdrawn=doc.disclosure.status == DisclosureStatus.WITHDRAWN)
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, f"{doc.content['title']}.docx")
    return response
