"""Read-only queries about resolution plans and their approvals (DESIGN §6):
the facts transition conditions and permissions need, the Plan tab, and
the Approvals page.

Conditions and permissions are asked about every transition of a state
each time the case page lists its buttons, so the facts they share are read
in one query (the authors in one more, only when a permission asks) and
kept on the SR instance for the rest of the request; the case page's Plan
tab, which reads the plan anyway, leaves them there first. Services that
change a plan call `forget_plan_facts`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from accounts.models import User
from prepared import prepared

from ..models import (
    ActionKind,
    CaseEvent,
    ClientApproval,
    PlanAction,
    PlanApproval,
    PlanContributor,
    PlanReason,
    PlanStatus,
    ResolutionPlan,
    ServiceRequest,
)
from ..permissions import can_work, decides_referrals_only
from ..routes import REGISTRY, spec_for
from ..selectors import visible_service_requests
from ..steps import PlanUse

REDRESS = Q(kind=ActionKind.FINANCIAL_REDRESS)
_CACHE = "_plan_facts"


@dataclass(frozen=True)
class PlanFacts:
    """The current (latest) revision of an SR's plan, summarised."""

    plan_id: int | None = None
    revision: int = 0
    status: str = ""
    drafted_by_id: int | None = None
    actions: int = 0
    open_actions: int = 0
    redress_actions: int = 0
    redress_total: Decimal = Decimal("0.00")

    @cached_property
    def editors(self) -> frozenset[int]:
        """Everyone who wrote any part of this revision, in it or in an
        earlier revision it was copied from: none of them may approve it
        (four eyes). Read when a permission asks: most pages never do."""
        if self.plan_id is None:
            return frozenset()
        authors = set(PlanContributor.objects.filter(plan_id=self.plan_id).values_list("user_id", flat=True))
        if self.drafted_by_id is not None:
            authors.add(self.drafted_by_id)
        return frozenset(authors)

    @property
    def exists(self) -> bool:
        return self.plan_id is not None

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT

    @property
    def has_redress(self) -> bool:
        return self.redress_actions > 0


def plan_facts(sr: ServiceRequest) -> PlanFacts:
    cached = sr.__dict__.get(_CACHE)
    if cached is not None:
        return cached
    row = (
        ResolutionPlan.objects.filter(sr_id=sr.pk).order_by("-revision")
        .annotate(
            n_actions=Count("actions"),
            n_open=Count("actions", filter=Q(actions__done=False)),
            n_redress=Count("actions", filter=Q(actions__kind=ActionKind.FINANCIAL_REDRESS)),
            total=Sum("actions__amount", filter=Q(actions__kind=ActionKind.FINANCIAL_REDRESS)),
        )
        .values("pk", "revision", "status", "drafted_by_id", "n_actions", "n_open", "n_redress", "total")
        .first()
    )
    facts = PlanFacts() if row is None else PlanFacts(
        plan_id=row["pk"], revision=row["revision"], status=row["status"], drafted_by_id=row["drafted_by_id"],
        actions=row["n_actions"], open_actions=row["n_open"], redress_actions=row["n_redress"],
        redress_total=row["total"] or Decimal("0.00"),
    )
    sr.__dict__[_CACHE] = facts
    return facts


def _facts_of(plan: ResolutionPlan | None, actions: Sequence[PlanAction]) -> PlanFacts:
    """plan_facts from a revision and its actions already read."""
    if plan is None:
        return PlanFacts()
    redress = [action for action in actions if action.kind == ActionKind.FINANCIAL_REDRESS]
    return PlanFacts(
        plan_id=plan.pk, revision=plan.revision, status=plan.status, drafted_by_id=plan.drafted_by_id,
        actions=len(actions), open_actions=sum(1 for action in actions if not action.done),
        redress_actions=len(redress), redress_total=sum((a.amount or Decimal("0.00") for a in redress), Decimal("0.00")),
    )


def forget_plan_facts(sr: ServiceRequest) -> None:
    sr.__dict__.pop(_CACHE, None)


# --- the Plan tab ------------------------------------------------------------


@dataclass(frozen=True)
class PlanTab:
    plan: ResolutionPlan | None
    reasons: list
    editable: bool
    actions_open: bool
    total: Decimal
    open_actions: int
    approvals: list
    revisions: list
    # The plan's status and Client Approved as the page words them.
    status_label: str = ""
    client_approved_label: str = ""

    @property
    def rejection(self) -> PlanApproval | None:
        """The decision that sent the current plan back, to show its notes."""
        if self.plan is None or self.plan.status != PlanStatus.REJECTED:
            return None
        return next((a for a in self.approvals if a.plan_id == self.plan.pk and a.decision in (
            PlanApproval.Decision.REJECTED, PlanApproval.Decision.REVISE)), None)


def plan_tab(user: User, sr: ServiceRequest) -> PlanTab:
    """What the case page's Plan tab shows: the current revision with its
    reasons and actions, its approvals, and the earlier revisions (a
    rejected plan stays readable). A fixed number of queries."""
    use = spec_for(sr.route).plans or PlanUse()
    may_work = can_work(user, sr)
    editable_states, action_states = use.edit_states, use.action_states
    # Earlier revisions stay readable (a rejected plan is what the TL saw).
    plans = list(_revisions(sr.pk))
    plan = plans[0] if plans else None
    reasons: list = []
    approvals: list = []
    actions: list[PlanAction] = []
    if plan is not None:
        reasons_of, actions_of = _reasons_and_actions(sr.pk, plans)
        reasons, actions = reasons_of[plan.pk], actions_of[plan.pk]
        for revision in plans:
            revision.plan_actions = actions_of[revision.pk]
        approvals = [] if not any(p.decided for p in plans) else list(
            PlanApproval.objects.filter(plan__sr=sr).select_related("decided_by", "referred_to_grade", "plan")
            .order_by("-decided_at", "-id")
        )
    # The transitions' conditions ask the same of the same rows: no second read.
    facts = sr.__dict__[_CACHE] = _facts_of(plan, actions)
    status_label = client_label = ""
    if plan is not None:
        status_label = plan.get_status_display()
        client_label = plan.get_client_approved_display()
        if plan.client_approved == ClientApproval.NO and plan.status == PlanStatus.REJECTED:
            status_label = "The client disagreed: revise it"
        if sr.state == "awaiting_client_agreement" and plan.client_approved == ClientApproval.NOT_ASKED:
            client_label = "Waiting for the client's reply"
    return PlanTab(
        status_label=status_label, client_approved_label=client_label,
        plan=plan, reasons=reasons,
        editable=bool(may_work and sr.state in editable_states and (plan is None or plan.status not in (
            PlanStatus.PENDING_APPROVAL, PlanStatus.REFERRED))),
        actions_open=bool(may_work and sr.state in action_states),
        total=facts.redress_total, open_actions=facts.open_actions, approvals=approvals, revisions=plans[1:],
    )


# Each model's columns in its own order: rows become instances through
# Model.from_db's positional path, the way a queryset builds them.
_REASON_FIELDS = [f.attname for f in PlanReason._meta.concrete_fields]
_ACTION_FIELDS = [f.attname for f in PlanAction._meta.concrete_fields]


@prepared
def _revisions(sr_id: int) -> QuerySet[Any]:
    return (
        ResolutionPlan.objects.filter(sr_id=sr_id).select_related("drafted_by")
        # Most plans have never been decided on: then the approvals are
        # not read at all (a statement fewer on the case page).
        .annotate(decided=Exists(PlanApproval.objects.filter(plan_id=OuterRef("pk"))))
        .order_by("-revision")
    )


@prepared
def _reason_rows(sr_id: int) -> QuerySet[Any]:
    # By the SR rather than an IN list of its plans: one SQL text whatever
    # the number of revisions, so it is compiled once (prepared).
    return (
        PlanReason.objects.filter(plan__sr_id=sr_id)
        .order_by("position", "id", "actions__position", "actions__id")
        .values_list(*_REASON_FIELDS, *(f"actions__{name}" for name in _ACTION_FIELDS), "actions__child_sr__reference")
    )


def _reasons_and_actions(sr_id: int, plans: Sequence[ResolutionPlan]) -> tuple[dict[int, list[PlanReason]], dict[int, list[PlanAction]]]:
    """Every reason of the SR's plans (all of `plans`) with its actions (`plan_actions`), and
    each plan's actions in their order: one statement, the reasons joined to
    their actions (an action always answers a reason), rather than one for
    the reasons and another for the actions. The page shows a handful."""
    reasons_of: dict[int, list[PlanReason]] = {plan.pk: [] for plan in plans}
    actions_of: dict[int, list[PlanAction]] = {plan.pk: [] for plan in plans}
    rows = _reason_rows(sr_id)
    split = len(_REASON_FIELDS)
    reason = None
    for row in rows:
        if reason is None or reason.pk != row[0]:
            reason = PlanReason.from_db(rows.db, _REASON_FIELDS, row[:split])
            reason.plan_actions = []
            reasons_of[reason.plan_id].append(reason)
        if row[split] is None:  # a reason with no action yet
            continue
        action = PlanAction.from_db(rows.db, _ACTION_FIELDS, row[split:-1])
        if action.child_sr_id is not None:
            action.child_sr = ServiceRequest(id=action.child_sr_id, reference=row[-1])
        reason.plan_actions.append(action)
        actions_of[action.plan_id].append(action)
    for actions in actions_of.values():
        actions.sort(key=lambda action: (action.position, action.pk))  # PlanAction's own order
    return reasons_of, actions_of


# --- the Approvals page ------------------------------------------------------

def waiting_states() -> tuple[frozenset[str], frozenset[str]]:
    """The states in which an SR waits for a decision on its plan, and those
    in which a plan referred to a higher grade waits, over every route that
    uses plans (their declarations name them)."""
    uses = [spec.plans for spec in REGISTRY.values() if spec.plans is not None]
    return (frozenset(s for use in uses for s in use.waiting_states),
            frozenset(use.senior_state for use in uses if use.senior_state))


def _current_plan_id() -> Subquery:
    return Subquery(ResolutionPlan.objects.filter(sr_id=OuterRef("pk")).order_by("-revision").values("pk")[:1])


def _waiting_for(user: User) -> QuerySet[ServiceRequest]:
    """The SRs of approvals_waiting_for with only what their filters need
    (the badge on every page counts these; the page adds what it shows)."""
    redress_total = Subquery(
        PlanAction.objects.filter(plan_id=OuterRef("plan_id"), kind=ActionKind.FINANCIAL_REDRESS)
        .order_by().values("plan_id").annotate(t=Sum("amount")).values("t")[:1],
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )
    plan_rows = ResolutionPlan.objects.filter(pk=OuterRef("plan_id")).order_by()
    # Team scope and confidential access as every list applies them.
    waiting, referred = waiting_states()
    # Only an SR with a plan can wait for a decision on it (drafted_by below
    # already says so): said outright, the database starts from the few
    # plans rather than from every SR of the teams in a waiting state, so
    # the badge on every page does not grow with the teams' queues.
    has_plan = Exists(ResolutionPlan.objects.filter(sr_id=OuterRef("pk")))
    qs = visible_service_requests(user).filter(state__in=waiting).filter(has_plan)
    if decides_referrals_only(user):
        qs = qs.filter(state__in=referred)
    limit = user.grade.approval_limit if user.grade is not None else Decimal("0")
    return (
        qs.annotate(
            plan_id=_current_plan_id(),
            amount=Coalesce(redress_total, Value(Decimal("0.00")), output_field=DecimalField()),
            drafted_by_id=Subquery(plan_rows.values("drafted_by_id")[:1]),
        )
        # A referred plan waits only for those whose grade may approve it.
        .filter(~Q(state__in=referred) | Q(amount__lte=limit))
        .exclude(drafted_by_id=user.pk)
        .exclude(Exists(PlanContributor.objects.filter(plan_id=OuterRef("plan_id"), user_id=user.pk)))
    )


def approvals_waiting_for(user: User) -> QuerySet[ServiceRequest]:
    """SRs whose plan waits for this user's decision, oldest first: plans
    sent for approval in their teams, plans referred up that are within
    their grade's limit, and plans a client disagreed with. Plans they
    wrote any part of are left out (four eyes). One query, whatever the count."""
    if not user.is_authenticated or not user.has_perm("complaints.approve_plan"):
        return ServiceRequest.objects.none()
    plan_rows = ResolutionPlan.objects.filter(pk=OuterRef("plan_id")).order_by()
    waiting_since = Subquery(
        CaseEvent.objects.filter(sr_id=OuterRef("pk"), to_state=OuterRef("state"))
        .order_by("-created_at").values("created_at")[:1]
    )
    return (
        _waiting_for(user).annotate(
            drafted_by_name=Subquery(plan_rows.values("drafted_by__first_name")[:1]),
            drafted_by_last=Subquery(plan_rows.values("drafted_by__last_name")[:1]),
            plan_revision=Subquery(plan_rows.values("revision")[:1]),
            waiting_since=waiting_since,
        )
        .select_related("client", "team", "owner")
        .order_by(F("waiting_since").asc(nulls_first=True), "pk")
    )


def approvals_count(user: User) -> int:
    plans = (_waiting_for(user).count()
             if user.is_authenticated and user.has_perm("complaints.approve_plan") else 0)
    return plans + sign_offs_waiting_for(user).count()


# --- PHSO / NI Ombudsman (issue 13): responses waiting for sign-off ------------


def sign_offs_waiting_for(user: User) -> QuerySet[ServiceRequest]:
    """Responses waiting for the Head of Complaints Review's sign-off (the
    routes name the states), oldest first; never those this user sent for
    sign-off (four eyes). One query, whatever the count."""
    if not user.is_authenticated or not user.has_perm("complaints.sign_off_response"):
        return ServiceRequest.objects.none()
    where = Q(pk__in=[])
    for spec in REGISTRY.values():
        if spec.sign_off_states:
            where |= Q(route=spec.route, state__in=spec.sign_off_states)
    # The step that put the SR in its state sent the response: who, when.
    sent = CaseEvent.objects.filter(sr_id=OuterRef("pk"), to_state=OuterRef("state")).order_by("-created_at", "-id")
    return (
        visible_service_requests(user).filter(where)
        .annotate(waiting_since=Subquery(sent.values("created_at")[:1]),
                  drafted_by_id=Subquery(sent.values("actor_id")[:1]),
                  drafted_by_name=Subquery(sent.values("actor__first_name")[:1]),
                  drafted_by_last=Subquery(sent.values("actor__last_name")[:1]))
        .filter(Q(drafted_by_id__isnull=True) | Q(drafted_by_id__lt=user.pk) | Q(drafted_by_id__gt=user.pk))
        .select_related("client", "team", "owner")
        .order_by(F("waiting_since").asc(nulls_first=True), "pk")
    )
