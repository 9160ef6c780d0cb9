"""Resolution plans, shared by every route (DESIGN §6).

A plan is kept as revisions: editing a plan that was submitted, approved
or rejected starts a new revision (a copy), so what a team leader saw and
decided on stays readable. The SR's current plan is its latest revision.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    # No redress: it goes to the client as it is, without a team leader.
    FINAL = "final", "Ready: no approval needed"
    PENDING_APPROVAL = "pending_approval", "Waiting for team leader approval"
    REFERRED = "referred", "Referred to a higher grade"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SUPERSEDED = "superseded", "Superseded by a later revision"


class ClientApproval(models.TextChoices):
    NOT_ASKED = "not_asked", "Not asked"
    YES = "yes", "Yes"
    NO = "no", "No"


class ActionKind(models.TextChoices):
    FINANCIAL_REDRESS = "redress", "Financial redress"
    CHANGE_OF_CIRCUMSTANCES = "coc", "Change of circumstances"
    EFFECTIVE_DATE_CHANGE = "effective_date", "Effective date change"
    OTHER = "other", "Other"


class ResolutionPlan(models.Model):
    sr = models.ForeignKey("complaints.ServiceRequest", on_delete=models.CASCADE, related_name="plans")
    revision = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    client_approved = models.CharField(
        max_length=10, choices=ClientApproval.choices, default=ClientApproval.NOT_ASKED
    )
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The Plan tab's actions of this revision, in order (plans.selectors); not a field.
    plan_actions: "list[PlanAction]"

    class Meta:
        ordering = ["sr", "-revision"]
        constraints = [models.UniqueConstraint(fields=["sr", "revision"], name="unique_plan_revision")]
        indexes = [models.Index(fields=["status", "submitted_at"], name="plan_status_idx")]

    def __str__(self) -> str:
        return f"Plan {self.revision} for {self.sr_id}"

    @property
    def redress_total(self) -> Decimal:
        total = self.actions.filter(kind=ActionKind.FINANCIAL_REDRESS).aggregate(t=Sum("amount"))["t"]
        return total or Decimal("0.00")

    @property
    def has_redress(self) -> bool:
        return self.actions.filter(kind=ActionKind.FINANCIAL_REDRESS).exists()

    @property
    def is_editable(self) -> bool:
        return self.status == PlanStatus.DRAFT


class PlanContributor(models.Model):
    """Someone who wrote part of a plan revision: its drafter, everyone who
    added, changed or removed a reason or action in it, and — carried over
    when a revision is copied into the next — everyone who wrote part of the
    revision it was copied from. None of them may decide on it (four eyes,
    DESIGN §6): content copied into a new revision keeps its authors."""

    plan = models.ForeignKey(ResolutionPlan, on_delete=models.CASCADE, related_name="contributors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "user"], name="unique_plan_contributor")]

    def __str__(self) -> str:
        return f"{self.user_id} wrote part of plan {self.plan_id}"


class PlanReason(models.Model):
    """A ground of complaint."""

    plan = models.ForeignKey(ResolutionPlan, on_delete=models.CASCADE, related_name="reasons")
    grounds = models.CharField(max_length=200)
    # The Plan tab's actions answering this reason (plans.selectors); not a field.
    plan_actions: "list[PlanAction]"
    comments = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # The row of the previous revision this one was copied from: a page
    # loaded before a new revision started still names the right reason.
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.grounds


class PlanAction(models.Model):
    """A resolution action, linked to the reason it answers."""

    plan = models.ForeignKey(ResolutionPlan, on_delete=models.CASCADE, related_name="actions")
    reason = models.ForeignKey(PlanReason, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    kind = models.CharField(max_length=20, choices=ActionKind.choices, default=ActionKind.OTHER)
    due_on = models.DateField("due date agreed with the client")
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    child_sr = models.ForeignKey(
        "complaints.ServiceRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="A child SR raised to carry out this action",
    )
    comments = models.TextField(blank=True, help_text="Progress notes while the action is carried out")
    position = models.PositiveSmallIntegerField(default=0)
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            # Redress carries a positive amount; other kinds carry none.
            models.CheckConstraint(
                condition=(Q(kind="redress", amount__gt=0) | (~Q(kind="redress") & Q(amount__isnull=True))),
                name="redress_has_amount",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def status_label(self) -> str:
        return "Done" if self.done else "In Progress"


class PlanApproval(models.Model):
    """A team leader's decision on a plan revision (or their referral of it
    to a higher grade, with the CMSF5551 form reference)."""

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        REFERRED = "referred", "Referred to a higher grade"
        # After the client disagreed with the plan (seed 001 steps 18–21).
        GO_AHEAD = "go_ahead", "Go ahead without the client's agreement"
        REVISE = "revise", "Revise the plan"

    plan = models.ForeignKey(ResolutionPlan, on_delete=models.CASCADE, related_name="approvals")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    comments = models.TextField(blank=True)
    form_reference = models.CharField(max_length=20, blank=True)
    referred_to_grade = models.ForeignKey(
        "accounts.Grade", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    voided_at = models.DateTimeField(null=True, blank=True, help_text="Set when the plan was edited afterwards")

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} £{self.amount} on plan {self.plan_id}"
