"""The PHSO / NI Ombudsman route's step forms. Each asks only for what its
step records; a field called `note` is saved with the step as one of the
SR's notes. Wording follows the client's region: the NI Ombudsman and an
MP or MLA for Northern Ireland clients."""

from decimal import Decimal
from typing import Any, cast

from django import forms

from accounts.models import Region, Team
from complaints.fields import AmountField, GovukDateField, RowChoiceField, RowsChoiceField, today
from complaints.forms import TransitionForm, note_field
from complaints.models import Route, ServiceRequest
from complaints.plans.forms import AMOUNT_ERRORS, ReferPlanForm
from sla.models import DeadlineClock

ADHOC_RULE = "ice.adhoc"


def _ni(sr: ServiceRequest) -> bool:
    return sr.client.region == Region.NORTHERN_IRELAND


def ombudsman(sr: ServiceRequest) -> str:
    return "the NI Ombudsman" if _ni(sr) else "PHSO"


def received_field(label: str = "Date received") -> GovukDateField:
    return GovukDateField(label=label, help_text="For example, 27 3 2027", latest=today)


def _confirm(label: str, error: str) -> forms.BooleanField:
    return forms.BooleanField(label=label, error_messages={"required": error})



class EarlierSRsField(RowsChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.reference}: {obj.get_route_display()}, received {obj.received_on:%-d %b %Y}"


class QuestionField(RowChoiceField):
    """An open question from the Ombudsman, by its label and due date."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.label} (due {obj.due_on:%-d %b %Y})"

class PhsoForm(TransitionForm):
    """Replaces "PHSO" in labels and help with "the NI Ombudsman" (and MP
    with MP or MLA) for Northern Ireland clients."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if _ni(self.sr):
            for field in self.fields.values():
                for attr in ("label", "help_text"):
                    text = getattr(field, attr, None)
                    if text:
                        text = str(text).replace("PHSO", "the NI Ombudsman").replace("the the", "the")
                        setattr(field, attr, text.replace("client's MP", "client's MP or MLA"))


class InformationSentForm(PhsoForm):
    parliamentary_contact = forms.CharField(
        label="The client's MP who referred the complaint", max_length=200,
        error_messages={"required": "Enter the name of the MP who referred the complaint"})
    referred_by_member = _confirm(
        "I have checked that the complaint was referred by the client's MP",
        "Check that the complaint was referred by the client's MP: the Ombudsman only takes complaints "
        "referred that way")
    note = note_field("What information did you send?", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parliamentary_contact"].initial = self.sr.parliamentary_contact
        if _ni(self.sr):
            self.fields["parliamentary_contact"].label = "The client's MP or MLA who referred the complaint"
            self.fields["parliamentary_contact"].error_messages["required"] = (
                "Enter the name of the MP or MLA who referred the complaint")
            self.fields["referred_by_member"].error_messages["required"] = (
                "Check that the complaint was referred by the client's MP or MLA: the NI Ombudsman only takes "
                "complaints referred that way")


class NotTakenOnForm(PhsoForm):
    note = note_field("What resolution actions did PHSO recommend?",
                      error="Record the resolution actions agreed with the Ombudsman",
                      hint="The actions agreed with PHSO. Added to the SR's notes.")


ROUTE_BACK = [(Route.RESOLUTION, "Complaints resolution"), (Route.REVIEW, "Complaint review"),
              (Route.ICE, "Internal ICE team")]


class ReferBackForm(PhsoForm):
    route = forms.ChoiceField(label="Where does the complaint go back to?", choices=ROUTE_BACK,
                              widget=forms.RadioSelect,
                              error_messages={"required": "Choose where the complaint goes back to"})
    team = RowChoiceField(queryset=Team.objects.none(), label="Team", empty_label="Choose a team",
                          error_messages={"required": "Choose the team that will work the new SR",
                                          "invalid_choice": "Choose a team from the list"})
    note = note_field("What should they do?", error="Say what the team should do")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = Team.objects.filter(
            route__in=[r for r, _ in ROUTE_BACK]).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        team, route = data.get("team"), data.get("route")
        if team and route and team.route != route:
            self.add_error("team", f"{team} does not work that route: choose a team that does")
        return data


class CloseRejectedForm(PhsoForm):
    actions_done = _confirm("All the agreed resolution actions are done",
                            "Confirm that all the agreed resolution actions are done")
    note = note_field("Note (optional)", required=False)


class PtiReceivedForm(PhsoForm):
    received_on = received_field("Date the proposal to investigate arrived")
    addressee = forms.CharField(label="Addressee", max_length=200, required=False,
                                help_text="Who is making the complaint")
    root_cause = forms.CharField(label="Root cause", max_length=200, required=False,
                                 help_text="The main reason for the complaint")
    parliamentary_contact = forms.CharField(label="Parliamentary contact involved", max_length=200,
                                            required=False)
    details = forms.CharField(label="Reasons: full details of the complaint", widget=forms.Textarea(attrs={"rows": 5}),
                              max_length=10000, error_messages={"required": "Enter the details of the complaint"})
    earlier = EarlierSRsField(
        queryset=ServiceRequest.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Earlier complaints about the same issue",
        help_text="Each one chosen is linked on the Related SRs tab",
        error_messages={"invalid_choice": "Choose earlier complaints from the list",
                        "invalid_pk_value": "Choose earlier complaints from the list"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sr = self.sr
        for name in ("addressee", "root_cause", "parliamentary_contact", "details"):
            self.fields[name].initial = getattr(sr, name)
        linked = set(sr.links_out.values_list("to_sr_id", flat=True)) | set(
            sr.links_in.values_list("from_sr_id", flat=True))
        cast(forms.ModelChoiceField, self.fields["earlier"]).queryset = (
            ServiceRequest.objects.filter(client_id=sr.client_id, team__memberships__user=self.user)
            .exclude(pk=sr.pk).exclude(pk__in=linked).distinct().order_by("-received_on"))


class PanelForm(PhsoForm):
    panel_members = forms.CharField(label="Panel members", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                                    help_text="One name per line",
                                    error_messages={"required": "Enter the panel members"})
    panel_on = GovukDateField(label="Date of the panel", help_text="For example, 27 3 2027")
    panel_briefing = forms.CharField(label="Briefing for the panel", widget=forms.Textarea(attrs={"rows": 5}),
                                     max_length=10000, error_messages={"required": "Enter the briefing"})
    sent_to_members = _confirm("I have sent the PHSO proposal and the briefing to every member",
                               "Send the proposal and the briefing to every member before the panel")


class ReportPanelForm(PhsoForm):
    report_panel_members = forms.CharField(label="Panel members", widget=forms.Textarea(attrs={"rows": 3}),
                                           max_length=2000, help_text="One name per line",
                                           error_messages={"required": "Enter the panel members"})
    report_panel_on = GovukDateField(label="Date of the panel", help_text="For example, 27 3 2027")
    accuracy_checked = _confirm("The panel checked the draft report for factual accuracy",
                                "Confirm that the panel checked the draft report for factual accuracy")


class PtiResponseForm(PhsoForm):
    pti_response = forms.CharField(
        label="The response to PHSO", widget=forms.Textarea(attrs={"rows": 8}), max_length=15000,
        help_text="The case history and any further resolution actions. The Head of Complaints Review reads it "
                  "before signing it off.",
        error_messages={"required": "Enter the response"})


class ReportResponseForm(PhsoForm):
    report_response = forms.CharField(
        label="The response to the draft report", widget=forms.Textarea(attrs={"rows": 8}), max_length=15000,
        help_text="Factual corrections, and any action you dispute: dispute it now, not after the final report.",
        error_messages={"required": "Enter the response"})


class SignOffForm(PhsoForm):
    note = note_field("Comments (optional)", required=False)


class ReturnResponseForm(PhsoForm):
    comments = forms.CharField(label="What must change in the response?", widget=forms.Textarea(attrs={"rows": 4}),
                               max_length=2000, error_messages={"required": "Tell the caseworker what must change"})


class MediationForm(PhsoForm):
    mediation_outcome = forms.CharField(label="What came of PHSO's mediation with the client?",
                                        widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
                                        error_messages={"required": "Record the outcome of the mediation"})


class DocumentReceivedForm(PhsoForm):
    received_on = received_field()
    note = note_field("Note (optional)", required=False)


class SocReceivedForm(PhsoForm):
    received_on = received_field("Date the summary of complaint arrived")
    target_date = GovukDateField(label="Target date for the final approved response",
                                 help_text="The date PHSO set. It shows on the DG caselist; a team leader records "
                                           "any extension.")
    note = note_field("Note (optional)", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        received, target = data.get("received_on"), data.get("target_date")
        if received and target and target < received:
            self.add_error("target_date", "The target date must be the same as or after the date the summary arrived")
        return data


class AdhocQueryForm(PhsoForm):
    question = forms.CharField(label="What did PHSO ask?", max_length=200,
                               help_text="A short description: it names the deadline",
                               error_messages={"required": "Describe the question"})
    received_on = received_field("Date the question arrived")
    reply_due_on = GovukDateField(label="Date PHSO wants the answer by", help_text="For example, 27 3 2027")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        received, due = data.get("received_on"), data.get("reply_due_on")
        if received and due and due < received:
            self.add_error("reply_due_on", "The answer date must be the same as or after the date the question arrived")
        return data


class AdhocAnsweredForm(PhsoForm):
    clock = QuestionField(queryset=DeadlineClock.objects.none(), label="Which question did you answer?",
                           empty_label="Choose the question",
                           error_messages={"required": "Choose the question you answered",
                                           "invalid_choice": "Choose a question from the list"})
    note = note_field("Note (optional)", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["clock"]).queryset = DeadlineClock.objects.running().filter(
            sr_id=self.sr.pk, rule__code=ADHOC_RULE).order_by("due_on", "id")


class FdlReceivedForm(PhsoForm):
    received_on = received_field("Date the final decision letter arrived")
    fdl_amount = AmountField(label="Redress the final decision letter sets (£)", required=False, max_digits=10,
                             decimal_places=2, min_value=Decimal("0.01"),
                             help_text="Leave blank if it sets no payment. A team leader can never reject this "
                                       "amount, only return a plan that gets it wrong.",
                             error_messages=AMOUNT_ERRORS)
    note = note_field("Note (optional)", required=False)


class AnomaliesForm(PhsoForm):
    fdl_anomalies = forms.CharField(
        label="How does the final report differ from the draft report and our response?",
        widget=forms.Textarea(attrs={"rows": 5}), max_length=5000,
        error_messages={"required": "Describe the differences"})


COMPARED = ("I have compared the final report with the draft report and our response",
            "Compare the final report with the draft report and our response first")


class FdlNoRecommendationsForm(PhsoForm):
    compared = _confirm(*COMPARED)
    note = note_field("Note (optional)", required=False)


class FdlSystemicForm(PhsoForm):
    compared = _confirm(*COMPARED)
    systemic_recommendations = forms.CharField(
        label="The systemic recommendations", widget=forms.Textarea(attrs={"rows": 5}), max_length=10000,
        help_text="E-mailed with a copy of the final decision letter to the head of client and government relations",
        error_messages={"required": "Enter the systemic recommendations"})


class FdlCaseSpecificForm(PhsoForm):
    compared = _confirm(*COMPARED)
    note = note_field("Note (optional)", required=False)


class ReturnForCorrectionForm(PhsoForm):
    comments = forms.CharField(label="What is wrong with the amount?", widget=forms.Textarea(attrs={"rows": 4}),
                               max_length=2000,
                               help_text="The plan goes back to the caseworker to correct and send again",
                               error_messages={"required": "Tell the caseworker what is wrong with the amount"})


class PhsoReferPlanForm(ReferPlanForm):
    """A payment above the team leader's limit goes to a higher grade on
    CSF783 (a reimbursement) or CSF824 (a special payment)."""

    form_reference = forms.ChoiceField(
        label="Which form?", widget=forms.RadioSelect,
        choices=[("CSF783", "CSF783: reimbursement"), ("CSF824", "CSF824: special payment")],
        error_messages={"required": "Choose CSF783 for a reimbursement or CSF824 for a special payment"})

    field_order = ["grade", "form_reference", "form_sent", "comments"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["form_sent"].label = ("I have sent the form with the case documents to a manager of this grade")
        self.fields["form_sent"].error_messages["required"] = "Confirm that the form has been sent"


class EvidenceSentForm(PhsoForm):
    note = note_field("What evidence did you send?", error="Say what evidence you sent")


class ClosedResolvedForm(PhsoForm):
    note = note_field("How did PHSO confirm the complaint is resolved?",
                      error="Record how the Ombudsman confirmed it")
