"""The lifecycle pages: the step forms posted from a project's page, and the to-do list.

The project page itself is the ``projects`` register's detail page (``registers.py`` adds the
step buttons and the approval history to it)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duikou.core.errors import PermissionDenied
from duikou.ui.navigation import add_link
from duikou.ui.registers import get_register, url_for
from duikou.ui.views import detail_view

from .forms import TransitionForm
from .selectors import project_get, project_todo_list
from .workflow import TRANSITIONS, may_take_steps, project_transition

__all__ = ["project_transition_view", "todo"]

add_link("todo", gettext_lazy("To do"), "todo", visible=may_take_steps)


@login_required
@require_POST
def project_transition_view(request, pk):
    """Take one step on a project; on success back to its page, else the page with the errors."""
    project = project_get(actor=request.user, pk=pk)
    step = TRANSITIONS.get(request.POST.get("step", ""))
    if step is None:
        raise Http404(_("Unknown step"))
    form = TransitionForm(request.POST, transition=step, project=project)
    status = 200
    if form.is_valid():
        try:
            approval = project_transition(actor=request.user, project=project, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_error(exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            status = 403
        else:
            messages.success(request, _("Recorded: {step} — {decision}.").format(
                step=step.label, decision=approval.get_decision_display()))
            return redirect(f"{url_for(project)}#lifecycle")
    request.duikou_transition_form = form
    response = detail_view(request, get_register("projects"), pk)
    response.status_code = status
    return response


@login_required
def todo(request):
    """The projects waiting for a step the user may take."""
    items = project_todo_list(actor=request.user)
    rows = [{
        "project": item.project,
        "url": url_for(item.project),
        "pairing": item.project.pairing.short_label,
        "status": item.project.get_status_display(),
        "since": item.since,
        "steps": [str(s.label) for s in item.steps],
        "illustrative": item.project.is_illustrative,
    } for item in items]
    return render(request, "projects/todo.html", {"title": _("To do"), "rows": rows})
