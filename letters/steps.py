"""How the letters app carries out the letter and e-mail steps routes
declare (complaints.steps), and the letter facts transition conditions
read. Registered with the core's pipeline at start-up (LettersConfig.ready)."""

from accounts.models import Region
from complaints.facts import provide_letters_issued
from complaints.models import ServiceRequest
from complaints.pipeline import StepContext, fill, handles, handles_letters
from complaints.steps import SendEmail

from .emails import queue_email
from .models import IssuedLetter
from .services import issue_letter


@handles_letters
def issue(template_code: str, ctx: StepContext) -> None:
    """The letter a transition requires, from what the caseworker wrote on
    its form (nothing to write: every field comes from the case)."""
    issue_letter(sr=ctx.sr, actor=ctx.actor, template_code=template_code, composition=ctx.data.get("letter") or {},
                 now=ctx.now)


@handles(SendEmail)
def email(step: SendEmail, ctx: StepContext) -> None:
    # Northern Ireland clients' complaints go to the NI body (NI Ombudsman).
    ni = ctx.sr.client.region == Region.NORTHERN_IRELAND
    to = step.ni_to if step.ni_to and ni else step.to
    queue_email(sr=ctx.sr, actor=ctx.actor, to=to, subject=fill(step.subject, ctx), body=fill(step.body, ctx),
                now=ctx.now)


@provide_letters_issued
def letters_issued(sr: ServiceRequest) -> frozenset[str]:
    return frozenset(IssuedLetter.objects.filter(sr_id=sr.pk).values_list("template_code", flat=True))
