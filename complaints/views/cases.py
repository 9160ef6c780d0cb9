"""Pages of the SR core. Views parse input, call a service or selector and
render; they hold no business rules."""

from importlib import import_module
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import SignedInRequest
from accounts.models import Team, User
from accounts.roles import is_team_leader

from .. import selectors
from ..fields import ascii_int
from ..filters import ServiceRequestFilter
from ..forms import IntakeForm, LinkForm, NoteForm, transition_letter_form
from ..idempotency import once_per_form
from ..models import Client
from ..panels import case_panels, my_work_sections
from ..permissions import can_add_note, can_work, team_ids
from ..services import NotPermitted, ServiceError, StaleServiceRequest
from ..services.cases import (
    add_note,
    create_client,
    create_service_request,
    link_service_requests,
    record_confidential_view,
)
from ..services.transitions import (
    all_transitions,
    available_transitions,
    run_transition,
    transition_for_state,
)
from ..tables import PER_PAGE_CHOICES, ServiceRequestTable, TeamQueueTable, paginate


def _paginate(request: SignedInRequest, table: Any) -> None:
    paginate(request, table, per_page=25, per_page_choices=PER_PAGE_CHOICES)


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    """Where signing in lands: My work for those who work cases; the letter
    library in admin for a letter admin, who has no cases (their My work
    would be empty)."""
    user = request.user
    if not user.has_perm("complaints.view_servicerequest") and user.has_perm("letters.change_paragraph"):
        return redirect("admin:app_list", app_label="letters")
    return redirect("my-work")


@login_required
def my_work(request: SignedInRequest) -> HttpResponse:
    filterset = ServiceRequestFilter(request.GET, queryset=selectors.my_work(request.user),
                                     statuses=selectors.all_statuses(open_only=True))
    table = ServiceRequestTable(filterset.qs)
    _paginate(request, table)
    sections, context = my_work_sections(request)
    return render(request, "complaints/my_work.html", {
        "filter": filterset, "table": table, "sections": sections, **context,
    })


@login_required
@require_http_methods(["GET", "POST"])
@once_per_form
def team_queue(request: SignedInRequest) -> HttpResponse:
    if not is_team_leader(request.user):
        raise PermissionDenied("Only team leaders allocate work.")
    if request.method == "POST":
        return _bulk_allocate(request)
    # Everything in the queue is Pending Assignment: no status to filter by.
    filterset = ServiceRequestFilter(request.GET, queryset=selectors.team_queue(request.user), statuses=[])
    table = TeamQueueTable(filterset.qs)
    _paginate(request, table)
    teams = Team.objects.values_list("pk", flat=True) if request.user.is_superuser else team_ids(request.user)
    return render(request, "complaints/team_queue.html", {
        "filter": filterset, "table": table, "caseworkers_by_team": selectors.caseworkers_by_team(sorted(teams)),
    })


def _bulk_allocate(request: SignedInRequest) -> HttpResponse:
    ids = [pk for pk in map(ascii_int, request.POST.getlist("srs")) if pk is not None]
    owner_id = ascii_int(request.POST.get("owner", ""))
    back = reverse("team-queue")
    if not ids:
        messages.error(request, "Select at least one SR to allocate.")
        return redirect(back)
    owner = User.objects.filter(pk=owner_id).first() if owner_id is not None else None
    if owner is None:
        messages.error(request, "Choose the caseworker to allocate the selected SRs to.")
        return redirect(back)
    srs = selectors.team_queue(request.user).filter(pk__in=ids)
    done, refused = [], []
    for sr in srs:
        if owner.pk not in set(selectors.caseworkers_of(sr.team_id).values_list("pk", flat=True)):
            refused.append(f"{sr.reference}: {owner.display_name} is not a caseworker in {sr.team}")
            continue
        try:
            run_transition(sr_id=sr.pk, actor=request.user, name="allocate", expected_version=None,
                           data={"owner": owner})
            done.append(sr.reference)
        except ServiceError as exc:
            refused.append(f"{sr.reference}: {exc.message}")
    if done:
        messages.success(request, f"Allocated {len(done)} SR{'s' if len(done) != 1 else ''} to {owner.display_name}: "
                                  f"{', '.join(done)}.")
    for line in refused:
        messages.error(request, line)
    return redirect(back)


@login_required
def case_detail(request: SignedInRequest, reference: str) -> HttpResponse:
    sr = selectors.get_visible_sr_or_404(request.user, reference)
    if sr.confidential:
        record_confidential_view(actor=request.user, sr=sr)
    # The tabs: the core's, and those the deadline, plan and letter apps add.
    panels, context = case_panels(request, sr)
    related, children = selectors.relatives(request.user, sr)
    events, notes = selectors.timeline_and_notes(sr)
    return render(request, "complaints/case_detail.html", {
        "sr": sr,
        "panels": panels,
        "transitions": available_transitions(sr, request.user),
        "notes": notes,
        "events": events,
        "related": related,
        "children": children,
        "note_form": NoteForm(),
        "link_form": LinkForm(),
        "can_add_note": can_add_note(request.user, sr),
        "can_work": can_work(request.user, sr),
        **context,
    })


def _form_class(path: str) -> Any:
    module, name = path.rsplit(".", 1)
    return getattr(import_module(module), name)


@login_required
@require_http_methods(["GET", "POST"])
@once_per_form
def transition(request: SignedInRequest, reference: str, name: str) -> HttpResponse:
    """One view renders and posts every transition's form (DESIGN §3.4)."""
    sr = selectors.get_visible_sr_or_404(request.user, reference)
    known = all_transitions(sr)
    if name not in known:
        raise Http404("No such action")
    t = transition_for_state(sr, name)
    if t is None:
        return render(request, "complaints/transition_refused.html", {
            "sr": sr, "label": known[name].custom.get("label", name),
            "message": f"“{known[name].custom.get('label', name)}” cannot be done while the SR is "
                       f"{sr.status} / {sr.sub_status or '–'}.",
        }, status=409)
    if not t.has_perm(sr, request.user):
        raise PermissionDenied(f"You are not allowed to “{t.custom.get('label', name)}” on this SR.")
    form_class = _form_class(t.custom.get("form", "complaints.forms.ConfirmForm"))
    letter_code = t.custom.get("letter")
    data = request.POST if request.method == "POST" else None
    form = form_class(data, sr=sr, user=request.user)
    # A step that issues a letter asks for the letter's free text too.
    letter_form = transition_letter_form(letter_code, data, sr) if letter_code else None
    status = 200
    if request.method == "POST":
        valid = form.is_valid() and (letter_form is None or letter_form.is_valid())
        if valid:
            payload = form.transition_data()
            if letter_form is not None:
                payload["letter"] = letter_form.composition()
            try:
                result = run_transition(sr_id=sr.pk, actor=request.user, name=name,
                                        expected_version=form.cleaned_data["version"], data=payload)
            except StaleServiceRequest as exc:
                form.add_error(None, exc.message)
                status = 409
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from exc
            except ServiceError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                messages.success(request, result.message)
                return redirect("case-detail", reference=sr.reference)
        else:
            status = 400
    return render(request, "complaints/transition_form.html", {
        "sr": sr, "transition": t, "form": form, "letter_form": letter_form, "letter_code": letter_code,
    }, status=status)


@login_required
@require_POST
@once_per_form
def note_add(request: SignedInRequest, reference: str) -> HttpResponse:
    sr = selectors.get_visible_sr_or_404(request.user, reference)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            add_note(actor=request.user, sr=sr, text=form.cleaned_data["text"])
            messages.success(request, "Note added.")
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        except ServiceError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(reverse("case-detail", kwargs={"reference": sr.reference}) + "#notes")


@login_required
@require_POST
@once_per_form
def link_add(request: SignedInRequest, reference: str) -> HttpResponse:
    sr = selectors.get_visible_sr_or_404(request.user, reference)
    if not can_work(request.user, sr):
        raise PermissionDenied("Only the owner or a team leader can relate SRs.")
    form = LinkForm(request.POST)
    if form.is_valid():
        other = selectors.visible_service_requests(request.user).filter(
            reference__iexact=form.cleaned_data["reference"].strip()).first()
        if other is None:
            messages.error(request, "No SR with that reference.")
        else:
            try:
                link_service_requests(actor=request.user, sr=sr, other=other, reason=form.cleaned_data["reason"])
                messages.success(request, f"{other.reference} is now related.")
            except ServiceError as exc:
                messages.error(request, exc.message)
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(reverse("case-detail", kwargs={"reference": sr.reference}) + "#related")


@login_required
@require_http_methods(["GET", "POST"])
@once_per_form
def new_service_request(request: SignedInRequest) -> HttpResponse:
    if not request.user.has_perm("complaints.add_servicerequest"):
        raise PermissionDenied("You cannot record new SRs.")
    form = IntakeForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            related = None
            if d["related_reference"]:
                related = selectors.visible_service_requests(request.user).filter(
                    reference__iexact=d["related_reference"].strip()).first()
                if related is None:
                    form.add_error("related_reference", "No SR with that reference")
            if not form.errors:
                try:
                    # One transaction: a refused SR leaves no new client behind.
                    with transaction.atomic():
                        client, client_update = _client_for(form)
                        sr = create_service_request(
                            actor=request.user, client=client, route=d["route"], team=d["team"],
                            received_on=d["received_on"], referrer=d["referrer"],
                            parliamentary_contact=d["parliamentary_contact"], dg_caselist=d["dg_caselist"],
                            confidential=d["confidential"], addressee=d["addressee"], root_cause=d["root_cause"],
                            resources=d["resources"], details=d["details"], override_reason=d["override_reason"],
                            related_sr=related,
                            related_reason="Earlier complaint on the same issue" if related else "",
                            client_update=client_update,
                        )
                except ServiceError as exc:
                    form.add_error(None, exc.message)
                else:
                    # Most routes start in the team queue; PHSO's starts with whoever recorded it.
                    where = ("It is yours: it is on your My work." if sr.owner_id == request.user.pk
                             else "It waits in the team queue for allocation.")
                    messages.success(request, f"{sr.reference} recorded. {where}")
                    return redirect("case-detail", reference=sr.reference)
    return render(request, "complaints/new_sr.html", {"form": form}, status=status)


def _client_for(form: IntakeForm) -> tuple[Client, dict | None]:
    """The client the new SR is for, and the typed details to update it
    with: the held client (one this user may see), with what they typed if
    they chose it over what we hold; otherwise a new record of what they typed."""
    d = form.cleaned_data
    if form.held_client is not None:
        if form.details_differ and d["client_details"] == "typed":
            return form.held_client, {
                "name": d["client_name"], "address_line_1": d["address_line_1"],
                "address_line_2": d["address_line_2"], "town": d["town"], "postcode": d["postcode"],
                "region": d["region"], "case_closed_on": d["case_closed_on"]}
        return form.held_client, None
    return create_client(
        name=d["client_name"], address_line_1=d["address_line_1"], address_line_2=d["address_line_2"],
        town=d["town"], postcode=d["postcode"], region=d["region"], language=d["language"] or "en",
        case_number=d["case_number"], case_closed_on=d["case_closed_on"],
    ), None


@login_required
def search(request: SignedInRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    table = None
    if query:
        table = ServiceRequestTable(selectors.search(request.user, query), order_by="-received_on")
        _paginate(request, table)
    return render(request, "complaints/search.html", {"query": query, "table": table})
