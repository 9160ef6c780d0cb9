"""The case page's Letters tab and the letter form a step shows, registered
with the core (LettersConfig.ready)."""

from typing import Any

from accounts.http import SignedInRequest
from complaints.forms import provide_letter_form
from complaints.models import ServiceRequest
from complaints.panels import CasePanel, register_case_panel
from complaints.permissions import can_work

from .forms import LetterCompositionForm
from .selectors import letters_for_sr, templates_for


def letters_context(request: SignedInRequest, sr: ServiceRequest) -> dict[str, Any]:
    # "Send a letter" only where one may be sent, by someone who may send it.
    return {"letters": letters_for_sr(sr),
            "can_send_letter": sr.is_open and can_work(request.user, sr) and bool(templates_for(sr))}


register_case_panel(CasePanel(key="letters", title="Letters", template="letters/_case_letters_tab.html", order=40,
                              context=letters_context))


@provide_letter_form
def step_letter_form(data: Any, *, template_code: str, sr: ServiceRequest, prefix: str) -> LetterCompositionForm | None:
    """The form a step that issues a letter shows for the letter's choices
    and free text; none when every part comes from the case (the letter
    then goes in the client's preferred language)."""
    form = LetterCompositionForm(data, template_code=template_code, sr=sr, prefix=prefix)
    return form if form.layout.groups or form.layout.sections else None
