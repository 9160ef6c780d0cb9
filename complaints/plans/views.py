"""Resolution plan pages: add, change and remove reasons and actions while
the plan is a draft; progress notes, Done and child SRs while the actions
are carried out. Every page works without JavaScript: the Plan tab posts
here, and a form with errors is shown again on its own page."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import SignedInRequest

from .. import selectors
from ..idempotency import once_per_form
from ..models import PlanAction, PlanReason, ServiceRequest
from ..permissions import can_work
from ..services import NotPermitted, ServiceError
from . import services as plan_services
from .forms import ActionForm, ActionProgressForm, ChildSRForm, ReasonForm
from .services import current_plan


def _sr_for_plan(request: SignedInRequest, reference: str) -> ServiceRequest:
    sr = selectors.get_visible_sr_or_404(request.user, reference)
    if not can_work(request.user, sr):
        raise PermissionDenied("Only the owner or a team leader can change the plan.")
    return sr


def _plan_url(sr: ServiceRequest) -> str:
    return reverse("case-detail", kwargs={"reference": sr.reference}) + "#plan"


def _reason(sr: ServiceRequest, reason_id: int) -> PlanReason:
    plan = current_plan(sr)
    reason = plan.reasons.filter(pk=reason_id).first() if plan else None
    if reason is None:
        raise Http404("That reason is not on the current plan")
    return reason


def _action(sr: ServiceRequest, action_id: int) -> PlanAction:
    plan = current_plan(sr)
    action = plan.actions.select_related("reason", "child_sr").filter(pk=action_id).first() if plan else None
    if action is None:
        raise Http404("That action is not on the current plan")
    return action


def _form_page(
    request: SignedInRequest, sr: ServiceRequest, form: forms.Form, *, title: str, button: str,
    save: Callable[[dict], str], intro: str = "",
) -> HttpResponse:
    """GET shows the form; a valid POST calls `save` (a service call that
    returns the success message) and goes back to the Plan tab; anything
    wrong is shown on the form with an error summary."""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                message = save(form.cleaned_data)
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from exc
            except ServiceError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                messages.success(request, message)
                return redirect(_plan_url(sr))
    return render(request, "complaints/plan_form.html", {
        "sr": sr, "form": form, "title": title, "button": button, "intro": intro,
    }, status=status)


def _post_only(request: SignedInRequest, sr: ServiceRequest, call: Callable[[], str]) -> HttpResponse:
    try:
        messages.success(request, call())
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(_plan_url(sr))


# --- reasons ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@once_per_form
def plan_reason_add(request: SignedInRequest, reference: str) -> HttpResponse:
    sr = _sr_for_plan(request, reference)
    form = ReasonForm(request.POST or None)

    def save(d: dict) -> str:
        plan_services.plan_add_reason(sr=sr, actor=request.user, grounds=d["grounds"], comments=d["comments"])
        return "Reason added to the plan."

    return _form_page(request, sr, form, title="Add a reason", button="Add reason", save=save)


@login_required
@require_http_methods(["GET", "POST"])
@once_per_form
def plan_reason_edit(request: SignedInRequest, reference: str, reason_id: int) -> HttpResponse:
    sr = _sr_for_plan(request, reference)
    reason = _reason(sr, reason_id)
    form = ReasonForm(request.POST or None, initial={"grounds": reason.grounds, "comments": reason.comments})

    def save(d: dict) -> str:
        plan_services.plan_edit_reason(sr=sr, actor=request.user, reason_id=reason.pk, grounds=d["grounds"],
                                       comments=d["comments"])
        return "Reason changed."

    return _form_page(request, sr, form, title="Change a reason", button="Save reason", save=save)


@login_required
@require_POST
@once_per_form
def plan_reason_remove(request: SignedInRequest, reference: str, reason_id: int) -> HttpResponse:
    sr = _sr_for_plan(request, reference)

    def call() -> str:
        plan_services.plan_remove_reason(sr=sr, actor=request.user, reason_id=reason_id)
        return "Reason removed from the plan."

    return _post_only(request, sr, call)


# --- actions ----------------------------------------------------------------------


def _save_action(request: SignedInRequest, sr: ServiceRequest, action_id: int | None) -> Callable[[dict], str]:
    def save(d: dict) -> str:
        fields = dict(reason_id=d["reason"].pk, description=d["description"], kind=d["kind"],
                      due_on=d["due_on"], amount=d.get("amount"))
        if action_id is None:
            plan_services.plan_add_action(sr=sr, actor=request.user, **fields)
            return "Action added to the plan."
        plan_services.plan_edit_action(sr=sr, actor=request.user, action_id=action_id, **fields)
        return "Action changed."
    return save


@login_required
@require_http_methods(["GET", "POST"])
@once_per_form
def plan_action_add(request: SignedInRequest, reference: str) -> HttpResponse:
    sr = _sr_for_plan(request, reference)
    form = ActionForm(request.POST or None, plan=current_plan(sr))
    return _form_page(request, sr, form, title="Add an action", button="Add action",
                      save=_save_action(request, sr, None))


@login_required
@require_http_methods(["GET", "POST"])
@once_per_form
def plan_action_edit(request: SignedInRequest, reference: str, action_id: int) -> HttpResponse:
    sr = _sr_for_plan(request, reference)
    action = _action(sr, action_id)
    plan = current_plan(sr)
    form = (ActionForm(request.POST, plan=plan, action=action) if request.method == "POST"
            else ActionForm.for_action(action, plan))
    return _form_page(request, sr, form, title="Change an action", button="Save action",
                      save=_save_action(request, sr, action.pk))


@login_required
@require_POST
@once_per_form
def plan_action_remove(request: SignedInRequest, reference: str, action_id: int) -> HttpResponse:
    sr = _sr_for_plan(request, reference)

    def call() -> str:
        plan_services.plan_remove_action(sr=sr, actor=request.user, action_id=action_id)
        return "Action removed from the plan."

    return _post_only(request, sr, call)


@login_required
@require_POST
@once_per_form
def plan_action_done(request: SignedInRequest, reference: str, action_id: int) -> HttpResponse:
    sr = _sr_for_plan(request, reference)

    def call() -> str:
        action = plan_services.plan_mark_action_done(sr=sr, actor=request.user, action_id=action_id)
        return f"Done: {action.description}"

    return _post_only(request, sr, call)


@login_required
@require_http_methods(["GET", "POST"])
@once_per_form
def plan_action_progress(request: SignedInRequest, reference: str, action_id: int) -> HttpResponse:
    sr = _sr_for_plan(request, reference)
    action = _action(sr, action_id)
    form = ActionProgressForm(request.POST or None, initial={"comments": action.comments})

    def save(d: dict) -> str:
        plan_services.plan_note_action_progress(sr=sr, actor=request.user, action_id=action.pk,
                                                comments=d["comments"])
        return "Progress note saved."

    return _form_page(request, sr, form, title="Update progress", button="Save progress note", save=save,
                      intro=action.description)


@login_required
@require_http_methods(["GET", "POST"])
@once_per_form
def plan_action_child(request: SignedInRequest, reference: str, action_id: int) -> HttpResponse:
    sr = _sr_for_plan(request, reference)
    action = _action(sr, action_id)
    form = ChildSRForm(request.POST or None, user=request.user, initial={"details": action.description})

    def save(d: dict) -> str:
        child = plan_services.plan_raise_child_sr(sr=sr, actor=request.user, action_id=action.pk, team=d["team"],
                                                  details=d["details"])
        return f"Child SR {child.reference} raised for “{action.description}”."

    return _form_page(request, sr, form, title="Raise a child SR for this action", button="Raise child SR",
                      save=save, intro=action.description)
