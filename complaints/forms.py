from collections.abc import Callable
from typing import Any, Protocol, cast

from django import forms
from django.core.exceptions import ImproperlyConfigured

from accounts.models import Region, Team, User

from .fields import GovukDateField, GovukForm, NumberField, RowChoiceField, today
from .models import Client, Language, Referrer, Route, ServiceRequest
from .models.core import CASE_NUMBER_EXAMPLE, normalise_case_number
from .selectors import caseworkers_of, client_for_intake


class LetterForm(Protocol):
    """What the letters app's composition form offers a transition's page."""

    def is_valid(self) -> bool: ...
    def composition(self) -> dict[str, Any]: ...


# The letters app provides the form for a letter's free text, which a step
# that issues a letter shows under its own form (LettersConfig.ready).
_LETTER_FORMS: list[Callable[..., LetterForm | None]] = []


def provide_letter_form(factory: Callable[..., LetterForm | None]) -> Callable[..., LetterForm | None]:
    _LETTER_FORMS[:] = [factory]
    return factory


def transition_letter_form(template_code: str, data: Any, sr: ServiceRequest) -> LetterForm | None:
    """The letter's form, or None when the caseworker has nothing to write."""
    if not _LETTER_FORMS:
        raise ImproperlyConfigured("No app provides the letter composition form.")
    return _LETTER_FORMS[0](data, template_code=template_code, sr=sr, prefix="letter")

STALE_PAGE = "The page was out of date. Reload it and try again"


class TransitionForm(GovukForm):
    """Every transition form gets the SR and the user, and the version the
    page was loaded at (optimistic locking)."""

    version = NumberField(widget=forms.HiddenInput, error_messages={
        "required": STALE_PAGE, "invalid": STALE_PAGE, "max_value": STALE_PAGE, "min_value": STALE_PAGE},
        min_value=1, max_value=2**31 - 1)

    def __init__(self, *args: Any, sr: ServiceRequest, user: User, **kwargs: Any):
        self.sr = sr
        self.user = user
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("version", sr.version)
        super().__init__(*args, **kwargs)

    def transition_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class ConfirmForm(TransitionForm):
    note = forms.CharField(
        label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
        help_text="Saved with this step: it shows on the timeline and the Notes tab",
        error_messages={"max_length": "The note must be 5,000 characters or fewer"},
    )


class AllocateForm(TransitionForm):
    owner = RowChoiceField(queryset=User.objects.none(), label="Caseworker",
                                   empty_label="Choose a caseworker",
                                   error_messages={"required": "Choose the caseworker to allocate the SR to",
                                                   "invalid_choice": "Choose a caseworker from the list"})

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = caseworkers_of(self.sr.team_id)

    def clean_owner(self) -> User:
        owner = self.cleaned_data["owner"]
        if owner.pk == self.sr.owner_id:
            raise forms.ValidationError(f"The SR is already allocated to {owner.display_name}")
        return owner


class WithdrawForm(TransitionForm):
    note = forms.CharField(label="How did the client withdraw the complaint?", widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=5000,
                           error_messages={"required": "Say how the client withdrew the complaint",
                                           "max_length": "The note must be 5,000 characters or fewer"})


class NoteForm(GovukForm):
    text = forms.CharField(label="Add a note", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
                           error_messages={"required": "Enter the note"})


class LinkForm(GovukForm):
    reference = forms.CharField(label="Reference of the related SR", max_length=20,
                                error_messages={"required": "Enter the reference of the related SR"})
    reason = forms.CharField(label="Why are they related?", max_length=200,
                             error_messages={"required": "Say why the SRs are related"})


def note_field(label: str, *, required: bool = True, error: str = "", hint: str = "") -> forms.CharField:
    """A step's note: saved with the step as one of the SR's notes."""
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
        help_text=hint or ("Added to the SR's notes" if required else "Optional; added to the SR's notes"),
        error_messages={"required": error or f"{label.rstrip('?')}: enter it",
                        "max_length": "The note must be 5,000 characters or fewer"},
    )


# --- Review route steps -----------------------------------------------------


class OverrideTimeLimitForm(TransitionForm):
    reason = forms.CharField(label="Why accept the review outside the 6-month limit?",
                             widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
                             error_messages={"required": "Give the reason for accepting it"})


class OutOfTimeForm(TransitionForm):
    note = note_field("Notes for the owning team", error="Enter the notes for the owning team",
                 hint="Why the review cannot go ahead. Added to the SR's notes.")


class EnquiryForm(TransitionForm):
    note = note_field("What was the enquiry and how was it dealt with?", error="Describe the enquiry")
    feedback_given = forms.BooleanField(
        label="I have given feedback to the operational team leader who referred it",
        error_messages={"required": "Give feedback to the operational team leader first"},
    )


class ClientNotReachedForm(TransitionForm):
    note = note_field("When did you try to call?", required=False)


class NoteRequiredForm(TransitionForm):
    note = note_field("What did the client say?", error="Record what the client said")


# Plan and approval forms live in complaints.plans.forms.


class IntakeForm(GovukForm):
    """New SR. The client is found by case number or added."""

    case_number = forms.CharField(label="Child maintenance case number", max_length=20,
                                  error_messages={"required": "Enter the client's case number"})
    client_name = forms.CharField(label="Client's full name", max_length=200, required=False,
                                  help_text="Needed only for a client we have not seen before")
    address_line_1 = forms.CharField(label="Address line 1", max_length=200, required=False)
    address_line_2 = forms.CharField(label="Address line 2 (optional)", max_length=200, required=False)
    town = forms.CharField(label="Town or city", max_length=100, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    region = forms.ChoiceField(label="Region", choices=Region.choices, required=False,
                               widget=forms.RadioSelect)
    language = forms.ChoiceField(label="Preferred language", choices=Language.choices,
                                 required=False, widget=forms.RadioSelect, initial="en")
    case_closed_on = GovukDateField(label="Date the child maintenance case closed", required=False, latest=today,
                                    help_text="Leave blank if the case is open")
    route = forms.ChoiceField(label="Route", choices=Route.choices, widget=forms.RadioSelect,
                              error_messages={"required": "Choose the route"})
    team = RowChoiceField(queryset=Team.objects.none(), label="Team", empty_label="Choose a team",
                                  error_messages={"required": "Choose the team that will work it"})
    received_on = GovukDateField(label="Date received", help_text="For example, 27 3 2026", latest=today)
    referrer = forms.ChoiceField(label="Who raised it?", choices=Referrer.choices, widget=forms.RadioSelect,
                                 initial=Referrer.CLIENT, error_messages={"required": "Choose who raised it"})
    parliamentary_contact = forms.CharField(label="Parliamentary contact (MP or MLA), if any", max_length=200,
                                            required=False)
    dg_caselist = forms.BooleanField(label="Put on the DG caselist", required=False)
    confidential = forms.BooleanField(label="This is a complaint about a member of staff", required=False)
    addressee = forms.CharField(label="Addressee", max_length=200, required=False,
                                help_text="Who the complaint was addressed to, or 'business in general'")
    root_cause = forms.CharField(label="Root cause", max_length=200, required=False)
    resources = forms.CharField(label="Resources", max_length=200, required=False)
    details = forms.CharField(label="Complaint details", widget=forms.Textarea(attrs={"rows": 5}), max_length=10000,
                              error_messages={"required": "Describe the complaint"})
    related_reference = forms.CharField(label="Related SR reference (optional)", max_length=20, required=False,
                                        help_text="For a Review, the closed Resolution SR on the same issue")
    override_reason = forms.CharField(
        label="Team leader override: why accept it outside the time limit?", required=False,
        widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        teams = Team.objects.all() if user.is_superuser else Team.objects.filter(memberships__user=user)
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = teams.order_by("name")

    def clean_case_number(self) -> str:
        number = normalise_case_number(self.cleaned_data["case_number"])
        if not number:
            raise forms.ValidationError(
                f"Enter the case number in the correct format: 10 to 12 digits, like {CASE_NUMBER_EXAMPLE}")
        return number

    client_details = forms.ChoiceField(
        label="Which details should the SR use?", required=False, widget=forms.RadioSelect,
        choices=[("held", "The details we hold (what I typed is left out)"),
                 ("typed", "What I typed (the client's details are updated, for example after a move)")],
    )
    # The client details compared with what we hold (language has a default,
    # so it is not "typed" unless changed from it).
    CLIENT_FIELDS = ("client_name", "address_line_1", "address_line_2", "town", "postcode", "region",
                     "case_closed_on")

    held_client: Client | None = None
    details_differ = False

    def _differs_from(self, held: Client, data: dict) -> bool:
        def norm(value: Any) -> str:
            return " ".join(str(value or "").split()).casefold().replace(" ", "")

        stored = {"client_name": held.name, "address_line_1": held.address_line_1,
                  "address_line_2": held.address_line_2, "town": held.town, "postcode": held.postcode,
                  "region": held.region, "case_closed_on": held.case_closed_on}
        return any(data.get(f) not in (None, "") and norm(data[f]) != norm(stored[f]) for f in self.CLIENT_FIELDS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        number = data.get("case_number")
        # Only a client this user may see is "on file" for them: any other
        # number gets exactly the errors of a new one (selectors.client_for_intake).
        self.held_client = client_for_intake(self.user, number) if number else None
        if self.held_client is not None:
            # What the user typed is never silently swapped for what we hold:
            # when it differs, they choose.
            self.details_differ = self._differs_from(self.held_client, data)
            if self.details_differ and not data.get("client_details"):
                self.add_error("client_details", "We hold different details for this case number: choose "
                                                 "which details the SR should use")
        elif number:
            for field, message in (
                ("client_name", "Enter the client's full name"), ("address_line_1", "Enter the first line of the address"),
                ("town", "Enter the town or city"), ("postcode", "Enter the postcode"), ("region", "Choose the region"),
            ):
                # One message per field: a field already refused keeps its own.
                if not data.get(field) and field not in self.errors:
                    self.add_error(field, f"{message} (this case number is new)")
        team, route = data.get("team"), data.get("route")
        if team and route and team.route != route:
            self.add_error("team", f"{team} works the {team.get_route_display()} route: choose a team that works "
                                   f"the {dict(Route.choices)[route]} route")
        return data
