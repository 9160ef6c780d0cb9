"""Forms for resolution plans and their approval.

Each transition form asks only for what its step needs; a field called
`note` is saved with the step as one of the SR's notes."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from django import forms

from accounts.models import Grade, Team, User

from ..fields import AmountField, GovukDateField, GovukForm, RowChoiceField, today
from ..forms import TransitionForm, note_field
from .models import ActionKind, PlanReason
from .permissions import approval_limit
from .selectors import plan_facts
from .services import grades_for_referral

# --- the Plan tab -----------------------------------------------------------

# An amount column holds 10 digits, 2 of them pence (max_digits bounds it).
MAX_AMOUNT = Decimal("99999999.99")
AMOUNT_ERRORS = {
    "invalid": "Enter the amount in pounds, like 125.50",
    "min_value": "Enter an amount more than £0",
    "max_digits": f"Enter an amount of £{MAX_AMOUNT:,} or less",
    "max_whole_digits": f"Enter an amount of £{MAX_AMOUNT:,} or less",
    "max_decimal_places": "Enter the amount in pounds and pence, like 125.50",
}


class ReasonForm(GovukForm):
    """Ids are prefixed: the case page holds several forms with a "reason"."""

    grounds = forms.CharField(label="Reason or grounds of complaint", max_length=200,
                              error_messages={"required": "Enter the reason for the complaint"})
    comments = forms.CharField(label="Comments", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               max_length=5000, help_text="Fully document this part of the complaint")

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("auto_id", "reason_%s")
        super().__init__(*args, **kwargs)


class ActionForm(GovukForm):
    reason = RowChoiceField(queryset=PlanReason.objects.none(), label="Reason it answers",
                                    empty_label="Choose a reason",
                                    error_messages={"required": "Choose the reason this action answers",
                                                    "invalid_choice": "Choose a reason from the list"})
    description = forms.CharField(label="Resolution action", widget=forms.Textarea(attrs={"rows": 3}),
                                  max_length=2000, error_messages={"required": "Describe the action"})
    kind = forms.ChoiceField(label="Kind of action", choices=ActionKind.choices, widget=forms.RadioSelect,
                             initial=ActionKind.OTHER, error_messages={"required": "Choose the kind of action"})
    due_on = GovukDateField(label="Due date agreed with the client", help_text="For example, 27 3 2027",
                            earliest=today)
    amount = AmountField(label="Redress amount (£)", required=False, max_digits=10, decimal_places=2,
                         min_value=Decimal("0.01"),
                         help_text="Only for financial redress. A plan with redress needs team leader approval.",
                         error_messages=AMOUNT_ERRORS)

    def __init__(self, *args: Any, plan: Any = None, action: Any = None, reasons: Sequence[Any] | None = None,
                 **kwargs: Any):
        kwargs.setdefault("auto_id", "action_%s")
        super().__init__(*args, **kwargs)
        if plan is not None:
            field = cast(forms.ModelChoiceField, self.fields["reason"])
            if reasons is None or self.is_bound:  # a post is checked against the plan's own reasons
                field.queryset = plan.reasons.all()
            if reasons is not None:
                # The plan's reasons already read (the case page's Plan tab):
                # offered as they are rather than counted and read again (nor
                # a query of them built for a form that only shows them).
                field.choices = [("", field.empty_label), *((r.pk, field.label_from_instance(r)) for r in reasons)]
        if action is not None and action.due_on < today():
            # Changing an action that is already past its date may keep that date.
            cast(GovukDateField, self.fields["due_on"]).earliest = action.due_on

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # One message per field: an amount already refused keeps its own.
        if data.get("kind") == ActionKind.FINANCIAL_REDRESS and not data.get("amount") and "amount" not in self.errors:
            self.add_error("amount", "Enter the redress amount")
        if data.get("kind") != ActionKind.FINANCIAL_REDRESS and data.get("amount"):
            self.add_error("amount", "Only financial redress has an amount: choose Financial redress or clear it")
        return data

    @classmethod
    def for_action(cls, action: Any, plan: Any) -> "ActionForm":
        return cls(plan=plan, action=action, initial={"reason": action.reason_id, "description": action.description,
                                       "kind": action.kind, "due_on": action.due_on, "amount": action.amount})


class ActionProgressForm(GovukForm):
    comments = forms.CharField(label="Progress note", widget=forms.Textarea(attrs={"rows": 3}), max_length=3000,
                               error_messages={"required": "Enter the progress note"})


class ChildSRForm(GovukForm):
    team = RowChoiceField(queryset=Team.objects.none(), label="Team that will carry it out",
                                  empty_label="Choose a team",
                                  error_messages={"required": "Choose the team for the child SR"})
    details = forms.CharField(label="What the child SR is for", widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=5000, required=False,
                              help_text="Leave blank to use the action's description. A Mandatory "
                                        "Reconsideration is never a child SR: relate it on the Related SRs tab.")

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        teams = Team.objects.all() if user.is_superuser else Team.objects.filter(memberships__user=user)
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = teams.order_by("name")


# --- approvals --------------------------------------------------------------


class ApprovePlanForm(TransitionForm):
    amount = AmountField(
        label="Redress amount approved (£)", max_digits=10, decimal_places=2, min_value=Decimal("0"),
        help_text="The plan's redress total. It must match what the plan says.",
        error_messages={**AMOUNT_ERRORS, "required": "Enter the amount you approve",
                        "min_value": "Enter the amount you approve, £0 or more"},
    )
    comments = forms.CharField(label="Comments (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Pence always shown, however the total was summed.
        self.fields["amount"].initial = plan_facts(self.sr).redress_total.quantize(Decimal("0.01"))


class RejectPlanForm(TransitionForm):
    comments = forms.CharField(label="What must change in the plan?", widget=forms.Textarea(attrs={"rows": 4}),
                               max_length=2000, help_text="The caseworker sees this with the rejected plan",
                               error_messages={"required": "Tell the caseworker what must change"})


class ReferPlanForm(TransitionForm):
    grade = RowChoiceField(queryset=Grade.objects.none(), label="Grade that can approve it",
                                   empty_label="Choose a grade",
                                   error_messages={"required": "Choose the grade to refer the plan to",
                                                   "invalid_choice": "Choose a grade from the list"})
    form_sent = forms.BooleanField(
        label="I have attached form CMSF5551 to the SR with the case documents and e-mailed it to a manager of "
              "this grade",
        error_messages={"required": "Confirm that form CMSF5551 has been sent"},
    )
    comments = forms.CharField(label="Comments (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        total = plan_facts(self.sr).redress_total
        ids = [g.pk for g in grades_for_referral(total, self.user)]
        cast(forms.ModelChoiceField, self.fields["grade"]).queryset = Grade.objects.filter(pk__in=ids).order_by("rank")
        self.fields["grade"].help_text = (
            f"The plan's redress total is £{total:,.2f}; your approval limit is £{approval_limit(self.user):,.2f}. "
            "Only grades whose limit covers the total are listed."
        )


class GoAheadForm(TransitionForm):
    comments = forms.CharField(label="Why is the plan going ahead without the client's agreement?",
                               widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
                               error_messages={"required": "Say why the plan is going ahead"})


class RevisePlanForm(TransitionForm):
    comments = forms.CharField(label="What must change in the plan?", widget=forms.Textarea(attrs={"rows": 4}),
                               max_length=2000,
                               error_messages={"required": "Tell the caseworker what must change"})


# --- the client's answer and changes to an agreed plan ---------------------


class ClientDisagreesForm(TransitionForm):
    note = note_field("What does the client disagree with?", error="Record what the client disagrees with")


class ReopenPlanForm(TransitionForm):
    note = note_field("Why must the plan change?", error="Say why the plan must change")
