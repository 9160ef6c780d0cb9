"""The ICE route's step forms (seed 000): the gateway check, and the
documents ICE sends with the date each arrived."""

from datetime import date
from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from complaints.fields import GovukDateField, RowChoiceField, RowsChoiceField, today
from complaints.forms import TransitionForm, note_field
from complaints.models import Route, ServiceRequest
from sla.models import DeadlineClock
from workdays.text import fmt_day

from .gateway import GatewayCheck, check_gateway
from .models import IceOutcome

ADHOC_RULE = "ice.adhoc"


def _sr_label(sr: ServiceRequest) -> str:
    closed = f", closed {fmt_day(timezone.localdate(sr.closed_at))}" if sr.closed_at else ", open"
    return f"{sr.reference} ({sr.get_route_display()}{closed})"


class _SRChoice(RowChoiceField):
    def label_from_instance(self, obj: ServiceRequest) -> str:
        return _sr_label(obj)


class _SRChoices(RowsChoiceField):
    def label_from_instance(self, obj: ServiceRequest) -> str:
        return _sr_label(obj)


def clients_other_srs(sr: ServiceRequest) -> QuerySet[ServiceRequest]:
    """The client's other SRs the ICE team may link: the internal ICE team
    manages linked and multiple cases, so it sees their references (never
    one about a member of staff)."""
    return (ServiceRequest.objects.filter(client_id=sr.client_id).exclude(pk=sr.pk)
            .filter(Q(confidential=False)).order_by("-received_on", "-id"))


def received_field(label: str = "Date it arrived") -> GovukDateField:
    return GovukDateField(label=label, help_text="For example, 27 3 2026", latest=today)


# --- the gateway (seed 000 steps 1–7) ---------------------------------------------


class GatewayForm(TransitionForm):
    """The gateway criteria. The app proposes pass or fail from them; the
    caseworker decides by the step they take, and deciding against the
    proposal needs a reason."""

    DECISION = "pass"

    ice_reference = forms.CharField(label="ICE's reference", max_length=40,
                                    error_messages={"required": "Enter ICE's reference from their e-mail"})
    final_response_sr = _SRChoice(
        queryset=ServiceRequest.objects.none(), required=False, label="SR of the final response (review team or "
        "chief executive) on the same issue", empty_label="None: there was no final response",
        error_messages={"invalid_choice": "Choose an SR from the list"})
    final_response_on = GovukDateField(label="Date of the final response", required=False, latest=today,
                                       help_text="Leave blank to use the date that SR closed")
    contacted_ice_on = GovukDateField(label="Date the client contacted ICE", required=False, latest=today,
                                      help_text="For example, 27 3 2026")
    mp_clearance_on = GovukDateField(label="Date of the MP's clearance letter, if any", required=False,
                                     latest=today)
    referred_by_phso = forms.BooleanField(label="Autopass: the Ombudsman (PHSO) referred the complaint to ICE",
                                          required=False)
    client_gave_copy = forms.BooleanField(label="Autopass: the client gave ICE a copy of the final response",
                                          required=False)
    override_reason = forms.CharField(
        label="If you decide against what the criteria say, why?", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}))
    note = note_field("Note", required=False)

    check: GatewayCheck | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = clients_other_srs(self.sr).exclude(route=Route.ICE).filter(closed_at__isnull=False)
        cast(forms.ModelChoiceField, self.fields["final_response_sr"]).queryset = others
        details = getattr(self.sr, "ice_details", None) if self.sr.pk else None
        if details is not None and details.ice_reference:
            self.fields["ice_reference"].initial = details.ice_reference

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        final_sr = data.get("final_response_sr")
        final_on: date | None = data.get("final_response_on")
        if final_sr is not None and final_on is None and final_sr.closed_at is not None:
            final_on = timezone.localdate(final_sr.closed_at)
            data["final_response_on"] = final_on
        if final_on is not None and final_sr is None and "final_response_sr" not in self.errors:
            self.add_error("final_response_sr", "Choose the SR of the final response, or clear its date")
        autopass = data.get("referred_by_phso") or data.get("client_gave_copy")
        if not autopass and not data.get("contacted_ice_on") and "contacted_ice_on" not in self.errors:
            self.add_error("contacted_ice_on", "Enter the date the client contacted ICE")
        if self.errors:
            return data
        self.check = check_gateway(
            final_response_on=final_on, contacted_ice_on=data.get("contacted_ice_on"),
            mp_clearance_on=data.get("mp_clearance_on"), referred_by_phso=bool(data.get("referred_by_phso")),
            client_gave_copy=bool(data.get("client_gave_copy")),
        )
        data["gateway_proposal"] = self.check.proposal
        data["gateway_findings"] = self.check.summary
        reason = (data.get("override_reason") or "").strip()
        if self.check.proposal != self.DECISION and not reason:
            said = "passed" if self.check.passes else "failed"
            self.add_error("override_reason", f"The criteria say the gateway is {said}: {self.check.summary} "
                                              f"Give the reason for deciding otherwise")
        data["gateway_override_reason"] = reason if self.check.proposal != self.DECISION else ""
        return data


class PassGatewayForm(GatewayForm):
    DECISION = "pass"

    related_srs = _SRChoices(queryset=ServiceRequest.objects.none(), required=False,
                             widget=forms.CheckboxSelectMultiple, label="Link the client's related SRs",
                             help_text="The final response's SR is linked anyway",
                             error_messages={"invalid_choice": "Choose SRs from the list",
                                             "invalid_pk_value": "Choose SRs from the list"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["related_srs"]).queryset = clients_other_srs(self.sr)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Passing the gateway sets the 3rd Party Account to ICE, which is what
        # allows CMSL5844 (seed 000 step 5).
        data["third_party_account"] = "ICE"
        linked = list(data.get("related_srs") or [])
        if data.get("final_response_sr") is not None and data["final_response_sr"] not in linked:
            linked.insert(0, data["final_response_sr"])
        data["related_srs"] = linked
        return data


class FailGatewayForm(GatewayForm):
    DECISION = "fail"

    fig_received_on = received_field("Date ICE's failed gateway notification (FIG) arrived")
    field_order = ["fig_received_on"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        fig_on = data.get("fig_received_on")
        if fig_on is not None and fig_on < self.sr.received_on:
            self.add_error("fig_received_on", "The FIG cannot arrive before ICE's first e-mail "
                                              f"({fmt_day(self.sr.received_on)})")
        return data


# --- what ICE sends after the gateway (seed 000 steps 8–15) ----------------------


class DocumentReceivedForm(TransitionForm):
    received_on = received_field()
    note = note_field("Note", required=False)

    def clean_received_on(self) -> date:
        day: date = self.cleaned_data["received_on"]
        if day < self.sr.received_on:
            raise forms.ValidationError(f"The date it arrived cannot be before the SR was received "
                                        f"({fmt_day(self.sr.received_on)})")
        return day


class ResolutionPlanReceivedForm(DocumentReceivedForm):
    chronology_requested = forms.BooleanField(
        label="ICE asked for a chronology", required=False,
        help_text="The reply is then due in 15 working days instead of 10")


class IceConfirmsForm(DocumentReceivedForm):
    ice_outcome = forms.ChoiceField(label="ICE's outcome for the client", choices=IceOutcome.choices,
                                    widget=forms.RadioSelect,
                                    error_messages={"required": "Choose ICE's outcome for the client"})


class NotSatisfiedForm(DocumentReceivedForm):
    note = note_field("What did ICE say?", error="Record what ICE said")


class ReplySentForm(TransitionForm):
    """What we sent ICE: e-mailed to them, and on the timeline."""

    reply = forms.CharField(label="What we are telling ICE", widget=forms.Textarea(attrs={"rows": 6}),
                            max_length=10000, help_text="E-mailed to ICE and kept on the SR's timeline",
                            error_messages={"required": "Enter what we are telling ICE"})
    note = note_field("Note", required=False)


class AdhocQuestionForm(DocumentReceivedForm):
    question = forms.CharField(label="ICE's question", max_length=200,
                               error_messages={"required": "Enter ICE's question"})
    reply_due_on = GovukDateField(label="Date ICE wants the answer by", help_text="For example, 27 3 2026")
    field_order = ["question", "received_on", "reply_due_on"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        received, due = data.get("received_on"), data.get("reply_due_on")
        if received and due and due < received:
            self.add_error("reply_due_on", "The date ICE wants the answer by cannot be before the question arrived")
        return data


class _ClockChoice(RowChoiceField):
    def label_from_instance(self, obj: DeadlineClock) -> str:
        return f"{obj.label} (due {fmt_day(obj.due_on)})"


class AdhocAnsweredForm(ReplySentForm):
    question_clock = _ClockChoice(queryset=DeadlineClock.objects.none(), label="Which question did you answer?",
                                  empty_label="Choose the question",
                                  error_messages={"required": "Choose the question you answered",
                                                  "invalid_choice": "Choose a question from the list"})
    field_order = ["question_clock", "reply"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["question_clock"]).queryset = (
            DeadlineClock.objects.running().filter(sr_id=self.sr.pk, rule__code=ADHOC_RULE).order_by("due_on", "id"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        clock = data.get("question_clock")
        if clock is not None:
            data["question"] = clock.label
        return data

    def transition_data(self) -> dict:
        # The step meets the clock by its id; the timeline shows the question,
        # never the id (a key ending in _id is not shown).
        data = super().transition_data()
        clock = data.pop("question_clock", None)
        data["question_clock_id"] = clock.pk if clock is not None else None
        return data
