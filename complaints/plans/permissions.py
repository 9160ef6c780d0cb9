"""Who may decide on a resolution plan (DESIGN §6), for transitions, views
and templates alike.

- Four eyes: nobody decides on a plan revision they drafted or edited.
- Grade limits are data (accounts.Grade.approval_limit): a team leader
  whose limit is below the plan's redress total cannot approve it; they
  refer it up (form CMSF5551) and anyone of a grade whose limit covers the
  total may then approve or reject it. Managers (G7 and above) decide
  only on such referred plans.
"""

from decimal import Decimal

from accounts.models import User

from ..models import ServiceRequest
from ..permissions import can_approve, decides_referrals_only, fsm_permission, in_team
from ..routes import spec_for
from ..steps import PlanUse
from .selectors import plan_facts


def approval_limit(user: User) -> Decimal:
    grade = user.grade if getattr(user, "grade_id", None) else None
    return grade.approval_limit if grade is not None else Decimal("0.00")


def drafted_or_edited(user: User, sr: ServiceRequest) -> bool:
    return user.pk in plan_facts(sr).editors


def _referred_state(sr: ServiceRequest) -> str:
    """The route's state for a plan referred to a higher grade."""
    return (spec_for(sr.route).plans or PlanUse()).senior_state


def can_decide_plan(user: User, sr: ServiceRequest) -> bool:
    """A team leader of the SR's team (or, for a plan referred up, a manager
    of the team) who wrote no part of the current plan."""
    if decides_referrals_only(user) and sr.state != _referred_state(sr):
        return False
    return can_approve(user, sr) and not drafted_or_edited(user, sr)


def within_limit(user: User, sr: ServiceRequest) -> bool:
    return approval_limit(user) >= plan_facts(sr).redress_total


def can_approve_plan(user: User, sr: ServiceRequest) -> bool:
    return can_decide_plan(user, sr) and within_limit(user, sr)


def can_reject_plan(user: User, sr: ServiceRequest) -> bool:
    # Once referred up, the decision is the higher grade's.
    return can_decide_plan(user, sr) and (sr.state != _referred_state(sr) or within_limit(user, sr))


def can_refer_plan(user: User, sr: ServiceRequest) -> bool:
    """A team leader whose limit is below the total sends it up instead."""
    return can_approve(user, sr) and not decides_referrals_only(user) and not within_limit(user, sr)


def can_override_time_limit(user: User, sr: ServiceRequest) -> bool:
    return user.has_perm("complaints.override_eligibility") and in_team(user, sr)


# Transition permission callables take (instance, user), as django-fsm calls them.
@fsm_permission
def tp_decide(sr: ServiceRequest, user: User) -> bool:
    return can_decide_plan(user, sr)


@fsm_permission
def tp_approve_plan(sr: ServiceRequest, user: User) -> bool:
    return can_approve_plan(user, sr)


@fsm_permission
def tp_reject_plan(sr: ServiceRequest, user: User) -> bool:
    return can_reject_plan(user, sr)


@fsm_permission
def tp_refer_plan(sr: ServiceRequest, user: User) -> bool:
    return can_refer_plan(user, sr)


@fsm_permission
def tp_override_time_limit(sr: ServiceRequest, user: User) -> bool:
    return can_override_time_limit(user, sr)
