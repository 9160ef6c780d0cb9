"""DESIGN §6: grade limits, referral on CMSF5551, four eyes, approvals
voided by later edits, and the SR's assignment locked while pending."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import Grade
from complaints.models import PlanApproval, PlanStatus
from complaints.plans.services import current_plan, decide_plan, plan_add_reason, plan_edit_action
from complaints.services.errors import NotAllowedInState, NotPermitted, ServiceError
from tests.review.helpers import add_plan, available, go, reload

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(review, caseworker):
    """Cara's plan with £150 redress, waiting for a team leader (HEO limit £2,500)."""
    sr = go(review, caseworker, "start_plan")
    add_plan(sr, caseworker, redress="150.00")
    return go(sr, caseworker, "submit_for_approval")


@pytest.fixture
def pending_large(review, caseworker):
    """£4,000 of redress: above the HEO limit (£2,500), within G7's (£25,000)."""
    sr = go(review, caseworker, "start_plan")
    add_plan(sr, caseworker, redress="4000.00")
    return go(sr, caseworker, "submit_for_approval")


def test_submitting_locks_the_assignment_and_the_plan(pending, caseworker, team_leader, other_caseworker):
    assert pending.lock_assignment
    assert current_plan(pending).status == PlanStatus.PENDING_APPROVAL
    with pytest.raises(NotAllowedInState):
        go(pending, team_leader, "reallocate", owner=other_caseworker)
    with pytest.raises(ServiceError, match="waiting for approval"):
        plan_add_reason(sr=pending, actor=caseworker, grounds="Another one")


def test_within_limit_team_leader_approves_and_the_lock_lifts(pending, team_leader, other_caseworker):
    sr = go(pending, team_leader, "approve_plan", amount=Decimal("150.00"), comments="OK")
    assert not sr.lock_assignment
    sr = go(sr, team_leader, "reallocate", owner=other_caseworker)
    assert sr.owner == other_caseworker


def test_approved_amount_must_match_the_plan(pending, team_leader):
    with pytest.raises(ServiceError, match="£150.00"):
        go(pending, team_leader, "approve_plan", amount=Decimal("100.00"))
    assert reload(pending).state == "pending_tl_approval"


def test_team_leader_above_their_limit_is_refused_and_refers_it_up(pending_large, team_leader, senior_leader):
    assert "approve_plan" not in available(pending_large, team_leader)
    with pytest.raises(NotPermitted):
        go(pending_large, team_leader, "approve_plan", amount=Decimal("4000.00"))
    # The service refuses too, whoever calls it.
    with pytest.raises(NotPermitted, match="above your approval limit"):
        decide_plan(sr=pending_large, actor=team_leader, now=pending_large.updated_at, approved=True,
                    amount=Decimal("4000.00"), comments="")
    g7 = Grade.objects.get(code="G7")
    sr = go(pending_large, team_leader, "refer_plan", grade=g7, form_sent=True, comments="Over my limit.")
    assert sr.state == "pending_senior_approval" and sr.lock_assignment
    referral = PlanApproval.objects.get(plan__sr=sr, decision="referred")
    assert (referral.form_reference, referral.referred_to_grade, referral.decided_by) == ("CMSF5551", g7, team_leader)
    assert current_plan(sr).status == PlanStatus.REFERRED
    # The TL can no longer decide; the G7 can.
    assert available(sr, team_leader) == {"withdraw"}
    sr = go(sr, senior_leader, "approve_plan", amount=Decimal("4000.00"), comments="Approved at G7.")
    assert sr.sub_status == "Approved" and not sr.lock_assignment
    assert PlanApproval.objects.get(plan__sr=sr, decision="approved").decided_by == senior_leader


def test_referral_needs_a_grade_that_covers_the_total(pending_large, team_leader):
    heo = Grade.objects.get(code="HEO")
    with pytest.raises(ServiceError, match="may approve up to"):
        go(pending_large, team_leader, "refer_plan", grade=heo, form_sent=True)


def test_within_limit_team_leader_cannot_refer(pending, team_leader):
    assert "refer_plan" not in available(pending, team_leader)


def test_four_eyes_nobody_approves_a_plan_they_drafted(review, team_leader, senior_leader):
    sr = go(review, team_leader, "start_plan")
    add_plan(sr, team_leader, redress="150.00")
    sr = go(sr, team_leader, "submit_for_approval")
    assert "approve_plan" not in available(sr, team_leader)
    with pytest.raises(NotPermitted):
        go(sr, team_leader, "approve_plan", amount=Decimal("150.00"))
    assert "approve_plan" in available(sr, senior_leader)


def test_four_eyes_covers_a_team_leader_who_edited_the_draft(review, caseworker, team_leader, senior_leader):
    sr = go(review, caseworker, "start_plan")
    add_plan(sr, caseworker, redress="150.00")
    action = current_plan(sr).actions.get(kind="redress")
    plan_edit_action(sr=sr, actor=team_leader, action_id=action.pk, reason_id=action.reason_id,
                     description=action.description, kind="redress", due_on=action.due_on, amount=Decimal("200"))
    sr = go(sr, caseworker, "submit_for_approval")
    with pytest.raises(NotPermitted):
        go(sr, team_leader, "approve_plan", amount=Decimal("200.00"))


def test_rejection_returns_the_plan_with_notes_and_keeps_it_readable(pending, caseworker, team_leader):
    sr = go(pending, team_leader, "reject_plan", comments="The amount needs a reason.")
    assert sr.sub_status == "Rejected" and not sr.lock_assignment
    rejected = current_plan(sr)
    assert rejected.status == PlanStatus.REJECTED
    assert rejected.approvals.get().comments == "The amount needs a reason."
    # Editing starts revision 2; revision 1 stays as the TL saw it.
    add_plan(sr, caseworker, redress="150.00")
    assert current_plan(sr).revision == 2
    rejected.refresh_from_db()
    assert rejected.status == PlanStatus.REJECTED and rejected.actions.count() == 2


def test_editing_after_approval_voids_it_and_asks_again(pending, caseworker, team_leader):
    sr = go(pending, team_leader, "approve_plan", amount=Decimal("150.00"))
    sr = go(sr, caseworker, "send_plan_to_client")
    sr = go(sr, caseworker, "client_agrees")
    sr = go(sr, caseworker, "reopen_plan", note="Client now needs a fee refund too.")
    approval = PlanApproval.objects.get(plan__sr=sr, decision="approved")
    assert approval.voided_at is None
    # Unchanged, the approved plan may go back to the client as it is…
    assert "send_plan_to_client" in available(sr, caseworker)
    add_plan(sr, caseworker, redress="25.00", due_on=date(2026, 12, 31))
    approval.refresh_from_db()
    assert approval.voided_at is not None
    assert current_plan(sr).revision == 2 and current_plan(sr).status == PlanStatus.DRAFT
    # …but once changed, it needs approving again.
    assert available(sr, caseworker) == {"submit_for_approval", "withdraw"}


def test_resolution_route_uses_the_same_referral(travel, caseworker, team_leader, senior_leader,
                                                 resolution_team, client_person):
    from tests.platform.helpers import allocate, new_sr

    sr = allocate(new_sr(actor=caseworker, team=resolution_team, client=client_person), tl=team_leader,
                  owner=caseworker)
    sr = go(sr, caseworker, "start_plan")
    add_plan(sr, caseworker, redress="4000.00")
    sr = go(sr, caseworker, "submit_for_approval")
    assert sr.state == "pending_tl_approval" and sr.lock_assignment
    assert available(sr, team_leader) == {"refer_plan", "reject_plan", "withdraw"}
    sr = go(sr, team_leader, "refer_plan", grade=Grade.objects.get(code="G7"), form_sent=True)
    assert sr.state == "pending_senior_approval"
    sr = go(sr, senior_leader, "approve_plan", amount=Decimal("4000.00"))
    assert sr.state == "awaiting_client_agreement" and not sr.lock_assignment


def test_four_eyes_holds_across_revisions(review, caseworker, team_leader, senior_leader):
    """A team leader adds £100 of redress; the plan is rejected; a
    caseworker changes one comment (revision 2) and submits it. The team
    leader's £100 was copied into revision 2: they may not approve it."""
    from complaints.plans.selectors import approvals_waiting_for
    from complaints.plans.services import plan_add_action, plan_edit_reason

    sr = go(review, caseworker, "start_plan")
    add_plan(sr, caseworker)
    reason = current_plan(sr).reasons.get()
    plan_add_action(sr=sr, actor=team_leader, reason_id=reason.pk, description="Pay £100 for the delay",
                    kind="redress", due_on=date(2026, 12, 18), amount=Decimal("100.00"))
    sr = go(sr, caseworker, "submit_for_approval")
    sr = go(sr, senior_leader, "reject_plan", comments="Say why £100.")
    plan_edit_reason(sr=sr, actor=caseworker, reason_id=reason.pk, grounds=reason.grounds,
                     comments="The delay lasted three months.")
    assert current_plan(sr).revision == 2
    sr = go(sr, caseworker, "submit_for_approval")
    assert "approve_plan" not in available(sr, team_leader)
    assert sr not in approvals_waiting_for(team_leader)
    with pytest.raises(NotPermitted):
        go(sr, team_leader, "approve_plan", amount=Decimal("100.00"))
    with pytest.raises(NotPermitted, match="wrote part of this plan"):
        decide_plan(sr=reload(sr), actor=team_leader, now=sr.updated_at, approved=True,
                    amount=Decimal("100.00"), comments="")
    # Someone who wrote none of it decides.
    assert sr in approvals_waiting_for(senior_leader)
    sr = go(sr, senior_leader, "approve_plan", amount=Decimal("100.00"))
    assert sr.sub_status == "Approved"


def test_four_eyes_keeps_the_author_of_a_later_revision_too(review, caseworker, team_leader, senior_leader):
    """Revision 2 started by the team leader's edit: the drafter of revision
    1 (the caseworker) and the team leader are both authors of revision 2."""
    from complaints.plans.selectors import plan_facts

    sr = go(review, caseworker, "start_plan")
    add_plan(sr, caseworker, redress="150.00")
    sr = go(sr, caseworker, "submit_for_approval")
    sr = go(sr, senior_leader, "reject_plan", comments="Too much.")
    action = current_plan(sr).actions.get(kind="redress")
    plan_edit_action(sr=sr, actor=team_leader, action_id=action.pk, reason_id=action.reason_id,
                     description=action.description, kind="redress", due_on=action.due_on, amount=Decimal("120"))
    plan = current_plan(sr)
    assert plan.revision == 2 and plan.drafted_by == team_leader
    assert plan_facts(reload(sr)).editors == {caseworker.pk, team_leader.pk}


def test_a_manager_decides_what_is_referred_to_their_grade_and_nothing_else(
        pending_large, team_leader, manager):
    """The Manager role lacked the approval permission: a plan referred to
    G7 could only be approved by a superuser."""
    from complaints.plans.selectors import approvals_waiting_for

    manager.grade = Grade.objects.get(code="G7")
    manager.save(update_fields=["grade"])
    # What waits for the team leader is not the manager's to decide or refer
    # (even within the manager's limit).
    assert available(pending_large, manager) == set()
    assert pending_large not in approvals_waiting_for(manager)
    sr = go(pending_large, team_leader, "refer_plan", grade=Grade.objects.get(code="G7"), form_sent=True)
    assert list(approvals_waiting_for(manager)) == [sr]
    assert available(sr, manager) == {"approve_plan", "reject_plan"}
    sr = go(sr, manager, "approve_plan", amount=Decimal("4000.00"), comments="Approved at G7.")
    assert sr.sub_status == "Approved"
    assert PlanApproval.objects.get(plan__sr=sr, decision="approved").decided_by == manager


def test_the_migration_gives_existing_revisions_their_authors(review, caseworker, team_leader, senior_leader):
    """Plans written before contributors were recorded get them from the
    audit trail, carried across revisions like new ones."""
    from importlib import import_module

    from django.apps import apps

    from complaints.models import PlanContributor

    sr = go(review, caseworker, "start_plan")
    add_plan(sr, caseworker, redress="150.00")
    sr = go(sr, caseworker, "submit_for_approval")
    sr = go(sr, senior_leader, "reject_plan", comments="Too much.")
    action = current_plan(sr).actions.get(kind="redress")
    plan_edit_action(sr=sr, actor=team_leader, action_id=action.pk, reason_id=action.reason_id,
                     description=action.description, kind="redress", due_on=action.due_on, amount=Decimal("120"))
    expected = {p.revision: set(p.contributors.values_list("user_id", flat=True)) for p in sr.plans.all()}
    PlanContributor.objects.all().delete()
    import_module("complaints.migrations.0004_plan_contributors").backfill(apps, None)
    got = {p.revision: set(p.contributors.values_list("user_id", flat=True)) for p in sr.plans.all()}
    assert got == expected == {1: {caseworker.pk}, 2: {caseworker.pk, team_leader.pk}}
