from datetime import date
from typing import Any, cast

from django import forms

from accounts.models import RouteChoices, Team
from complaints.fields import GovukDateField, GovukForm


class DashboardForm(GovukForm):
    """Team and route selects of the dashboard (both optional). The teams are
    a list the view read once: choices and validation need no query."""

    team = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    route = forms.ChoiceField(choices=[("", "All routes"), *RouteChoices.choices], required=False)

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teams = {t.pk: t for t in teams}
        cast(forms.ChoiceField, self.fields["team"]).choices = [("", "All your teams"), *((t.pk, t.name) for t in teams)]

    def clean_team(self) -> Team | None:
        team_id = self.cleaned_data["team"]
        return self.teams.get(team_id) if team_id is not None else None


class ExtendClockForm(GovukForm):
    """A target date extension agreed with ICE / PHSO: the new date and why."""

    extended_to = GovukDateField(label="New due date", help_text="For example, 27 3 2027")
    reason = forms.CharField(
        label="Reason for the extension", max_length=300, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the PHSO agreed a new target date by email on 3 December 2026",
        error_messages={"required": "Enter the reason for the extension",
                        "max_length": "The reason must be 300 characters or fewer"},
    )

    def __init__(self, *args: Any, current_due: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current_due = current_due

    def clean_extended_to(self) -> date:
        value = self.cleaned_data["extended_to"]
        if value <= self.current_due:
            raise forms.ValidationError(
                f"The new due date must be after the current one, {self.current_due:%-d %B %Y}")
        return value
