"""can_<verb>(user, sr) for the PHSO route: one answer for transitions,
views and templates.

The responses to the Ombudsman's proposal to investigate and draft report
are signed off by the Head of Complaints Review before they are sent: only
that role can give the sign-off, and never the person who drafted the
response (four eyes), whatever else they hold."""

from accounts.models import User
from complaints.models import CaseEvent, ServiceRequest
from complaints.permissions import fsm_permission, in_team

# The steps that send a drafted response for sign-off: whoever took the
# latest of them drafted the response waiting now.
DRAFT_VERBS = ("submit_pti_response", "submit_report_response")
_DRAFTER = "_phso_drafter"


def drafter_id(sr: ServiceRequest) -> int | None:
    """Who sent the response now waiting for sign-off, from the audit trail
    (read once per SR instance)."""
    if not hasattr(sr, _DRAFTER):
        found = (CaseEvent.objects.filter(sr_id=sr.pk, verb__in=DRAFT_VERBS).order_by("-created_at", "-id")
                 .values_list("actor_id", flat=True).first())
        setattr(sr, _DRAFTER, found)
    return getattr(sr, _DRAFTER)


def can_sign_off(user: User, sr: ServiceRequest) -> bool:
    if not user.is_authenticated or not user.has_perm("complaints.sign_off_response"):
        return False
    return in_team(user, sr) and drafter_id(sr) != user.pk


@fsm_permission
def tp_sign_off(sr: ServiceRequest, user: User) -> bool:
    return can_sign_off(user, sr)
