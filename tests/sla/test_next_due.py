"""The next deadline stored on the SR (issue 14): every clock service keeps
it equal to the earliest due date of the SR's running clocks, in the same
transaction, so lists can sort by a column instead of a subquery per row."""

from datetime import date

import pytest
from django.db.models import Min

from accounts.models import Region
from complaints.models import ServiceRequest
from sla.closures import save_closure_day
from sla.models import ClosureDay, DeadlineClock
from sla.services import cancel_clocks, extend_clock, meet_clock, start_clock
from tests.factories import ClientFactory, ServiceRequestFactory, UserFactory

from .conftest import at

pytestmark = pytest.mark.django_db


def stored(sr: ServiceRequest) -> date | None:
    return ServiceRequest.objects.values_list("next_due_on", flat=True).get(pk=sr.pk)


def earliest_running(sr: ServiceRequest) -> date | None:
    return DeadlineClock.objects.running().filter(sr=sr).aggregate(first=Min("due_on"))["first"]


def test_the_stored_next_deadline_follows_every_clock_operation():
    actor = UserFactory(username="cara")
    sr = ServiceRequestFactory(route="ice", client=ClientFactory(region=Region.ENGLAND_AND_WALES))
    now = at(date(2027, 1, 4))
    assert stored(sr) is None

    steps = [
        lambda: start_clock(sr=sr, rule_code="ice.gateway", actor=actor, now=now, due_on=date(2027, 2, 1)),
        lambda: start_clock(sr=sr, rule_code="resolution.response", actor=actor, now=now),  # computed, earlier
        lambda: start_clock(sr=sr, rule_code="ice.draft_report", actor=actor, now=now, due_on=date(2027, 3, 1)),
        lambda: meet_clock(sr=sr, rule_code="resolution.response", actor=actor, now=now),
        lambda: extend_clock(sr=sr, rule_code="ice.gateway", actor=actor, now=now, extended_to=date(2027, 4, 1),
                             reason="agreed with ICE"),
        lambda: cancel_clocks(sr=sr, actor=actor, now=now, reason="test", rule_codes=["ice.draft_report"]),
        lambda: start_clock(sr=sr, rule_code="resolution.response", actor=actor, now=now),
        lambda: cancel_clocks(sr=sr, actor=actor, now=now, reason="closed"),
    ]
    seen = []
    for step in steps:
        step()
        assert stored(sr) == earliest_running(sr)
        assert sr.next_due_on == stored(sr)  # the instance too: a later save of it writes no old value
        seen.append(stored(sr))
    # The operations really moved it (the check above is not vacuous).
    assert seen[0] == date(2027, 2, 1) and seen[1] < seen[0] and seen[3] == date(2027, 2, 1)
    assert seen[4] == date(2027, 3, 1) and seen[5] == date(2027, 4, 1) and seen[-1] is None


def test_a_closure_that_moves_clocks_moves_the_stored_next_deadline():
    actor = UserFactory(username="admin")
    sr = ServiceRequestFactory(client=ClientFactory(region=Region.SCOTLAND))
    clock = start_clock(sr=sr, rule_code="resolution.response", actor=actor, now=at(date(2027, 1, 4)))
    before = stored(sr)
    assert before == clock.due_on
    save_closure_day(closure=ClosureDay(region=Region.SCOTLAND, date=date(2027, 1, 6), name="Flood"),
                     actor=actor, now=at(date(2027, 1, 5)))
    assert stored(sr) == earliest_running(sr) and stored(sr) > before
