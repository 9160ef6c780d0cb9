"""Letter test helpers: SRs in a state where a template may be issued, and
issuing + rendering in one call (what a worker would do after commit)."""

import re
from datetime import date
from typing import Any

import pypdf
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from complaints.models import ServiceRequest
from ice.models import IceDetails
from letters import services
from letters.models import IssuedLetter, LetterTemplate
from tests.factories import ClientFactory, PlanActionFactory, ServiceRequestFactory


def state_for(template: LetterTemplate) -> tuple[str, str]:
    """A (route, state) the template may be issued in (an open state if "*")."""
    route, states = next(iter(template.allowed_states.items()))
    state = next((s for s in states if s != "*"), None)
    return route, state or {"ice": "with_ice", "phso": "with_phso"}.get(route, "in_progress")


def sr_for(template: LetterTemplate, *, team, owner, client=None, with_plan: bool | None = None) -> ServiceRequest:
    """An SR where `template` may be issued; with a resolution plan when the
    letter prints the plan (CMSL5801) unless told otherwise."""
    route, state = state_for(template)
    sr = ServiceRequestFactory(
        route=route, state=state, team=team, owner=owner, client=client or ClientFactory(),
        received_on=date(2026, 11, 2), closed_at=timezone.now() if state == "closed" else None,
        resolution_code="resolved" if state == "closed" else "",
    )
    if route == "ice" and state != "closed":
        # An ICE SR waiting with ICE has passed the gateway: its 3rd Party
        # Account is ICE, which is what allows CMSL5844.
        IceDetails.objects.create(sr=sr, third_party_account="ICE")
    if with_plan is None:
        with_plan = template.parts.filter(key="plan_actions").exists()
    if with_plan:
        PlanActionFactory(reason__plan__sr=sr, reason__plan__drafted_by=owner, description="Refund the £40 fee",
                          due_on=date(2026, 12, 18))
    return sr


def issue(*, sr: ServiceRequest, actor: User, code: str, composition: dict | None = None, now: Any = None) -> IssuedLetter:
    """issue_letter inside a transaction, as a transition would call it."""
    with transaction.atomic():
        return services.issue_letter(sr=sr, actor=actor, template_code=code, composition=composition or {},
                                     now=now or timezone.now())


def render(letter: IssuedLetter) -> IssuedLetter:
    services.render_issued_letter(letter.pk)
    return IssuedLetter.objects.get(pk=letter.pk)


def pdf_bytes(letter: IssuedLetter) -> bytes:
    with default_storage.open(letter.pdf.name, "rb") as fh:
        return fh.read()


def pdf_text(data_or_letter: Any) -> str:
    """The PDF's text with whitespace collapsed (line breaks fall anywhere)."""
    import io

    data = pdf_bytes(data_or_letter) if isinstance(data_or_letter, IssuedLetter) else data_or_letter
    reader = pypdf.PdfReader(io.BytesIO(data))
    return squash(" ".join(page.extract_text() or "" for page in reader.pages))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def free_text_for(template: LetterTemplate) -> dict[str, str]:
    return {p.key: f"Free text for {p.key}: we corrected the payment record on 3 November."
            for p in template.parts.filter(kind="free_text")}


def expected_text(paragraph_text: str, values: dict[str, str]) -> str:
    """A paragraph as it should read in the PDF: placeholders filled, bullets
    and line breaks flattened."""
    import html

    from letters.placeholders import substitute

    filled = substitute(paragraph_text, values).replace("<br>", " ")
    return squash(html.unescape(filled).replace("\n- ", " ").replace("\n", " "))


def contains_text(haystack: str, needle: str, *, max_gaps: int = 1, gap_words: int = 80) -> bool:
    """Whether `needle` reads in `haystack` word for word, allowing at most
    `max_gaps` interruptions of up to `gap_words` words (a page break puts
    the letterhead and footer in the middle of the extracted text)."""
    hay, need = haystack.split(), needle.split()
    if not need:
        return True
    starts = [i for i, w in enumerate(hay) if w == need[0]]
    for start in starts:
        pos, i, gaps = start, 0, 0
        while i < len(need):
            if pos < len(hay) and hay[pos] == need[i]:
                pos, i = pos + 1, i + 1
                continue
            window = need[i:i + 4]
            resume = next((p for p in range(pos + 1, min(len(hay), pos + gap_words))
                           if hay[p:p + len(window)] == window), None)
            if resume is None or gaps == max_gaps:
                break
            pos, gaps = resume, gaps + 1
        if i == len(need):
            return True
    return False
