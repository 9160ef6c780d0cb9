"""A calendar change moves the running clocks it touches and says so on
each SR's timeline; editing a rule moves nothing."""

from datetime import date

import pytest

from accounts.models import Region
from complaints.models import CaseEvent, ServiceRequest
from sla import calendar
from sla.closures import delete_closure_day, save_closure_day
from sla.models import ClosureDay, DeadlineRule, Task, TaskKind
from sla.services import extend_clock, start_clock
from tests.factories import ClientFactory, ServiceRequestFactory, UserFactory

from .conftest import at
from .factories import ClosureDayFactory, TaskFactory

pytestmark = pytest.mark.django_db

tue_5_may_2026 = date(2026, 5, 5)
wed_6_may_2026 = date(2026, 5, 6)
fri_8_may_2026 = date(2026, 5, 8)
mon_11_may_2026 = date(2026, 5, 11)


@pytest.fixture
def admin_user():
    return UserFactory(username="ada", is_staff=True, is_superuser=True)


def gateway_clock(region: str = Region.ENGLAND_AND_WALES, started_on: date = tue_5_may_2026):
    sr = ServiceRequestFactory(route="ice", client=ClientFactory(region=region))
    # ICE gateway: 3 working days from Tue 5 May 2026 is Fri 8 May.
    return start_clock(sr=sr, rule_code="ice.gateway", actor=None, now=at(started_on), started_on=started_on)


def moves(sr: ServiceRequest) -> list[str]:
    return [e.details["message"] for e in CaseEvent.objects.filter(sr=sr, verb="clock_moved").order_by("id")]


def test_closure_added_then_removed_moves_a_running_clock(admin_user):
    clock = gateway_clock()
    assert clock.due_on == fri_8_may_2026

    closure = ClosureDay(region=Region.ENGLAND_AND_WALES, date=wed_6_may_2026, name="Office move")
    assert save_closure_day(closure=closure, actor=admin_user, now=at(tue_5_may_2026)) == 1
    clock.refresh_from_db()
    assert clock.due_on == mon_11_may_2026
    assert moves(clock.sr) == ["due date moved from Fri 8 May to Mon 11 May: office closure on Wed 6 May added"]
    event = CaseEvent.objects.get(sr=clock.sr, verb="clock_moved")
    assert event.actor == admin_user

    assert delete_closure_day(closure=closure, actor=admin_user, now=at(tue_5_may_2026)) == 1
    clock.refresh_from_db()
    assert clock.due_on == fri_8_may_2026
    assert moves(clock.sr)[-1] == "due date moved from Mon 11 May to Fri 8 May: office closure on Wed 6 May removed"


def test_closure_moves_only_clocks_whose_window_it_touches(admin_user):
    scotland = gateway_clock(region=Region.SCOTLAND)
    starts_that_day = gateway_clock(started_on=wed_6_may_2026)  # day 0 never moves
    extended = gateway_clock()
    extend_clock(sr=extended.sr, rule_code="ice.gateway", actor=admin_user, now=at(tue_5_may_2026),
                 extended_to=date(2026, 5, 20), reason="ICE agreed")
    extended.refresh_from_db()
    before = {c.pk: c.due_on for c in (scotland, starts_that_day, extended)}

    closure = ClosureDay(region=Region.ENGLAND_AND_WALES, date=wed_6_may_2026, name="Office move")
    assert save_closure_day(closure=closure, actor=admin_user, now=at(tue_5_may_2026)) == 0
    for c in (scotland, starts_that_day, extended):
        c.refresh_from_db()
        assert c.due_on == before[c.pk]


def test_moving_closes_alerts_about_the_old_date(admin_user):
    clock = gateway_clock()
    alert = TaskFactory(sr=clock.sr, clock=clock, kind=TaskKind.DUE_SOON, key=f"clock:{clock.pk}:x:due_soon")
    save_closure_day(closure=ClosureDay(region=Region.ENGLAND_AND_WALES, date=wed_6_may_2026, name="Move"),
                     actor=admin_user, now=at(tue_5_may_2026))
    alert.refresh_from_db()
    assert alert.done_at is not None


def test_editing_a_rule_never_moves_running_clocks(admin_user):
    clock = gateway_clock()
    DeadlineRule.objects.filter(code="ice.gateway").update(length=10, unit="weeks")
    clock.refresh_from_db()
    assert clock.due_on == fri_8_may_2026
    # Even a calendar change recomputes from the length the clock started with.
    save_closure_day(closure=ClosureDay(region=Region.ENGLAND_AND_WALES, date=wed_6_may_2026, name="Move"),
                     actor=admin_user, now=at(tue_5_may_2026))
    clock.refresh_from_db()
    assert clock.due_on == mon_11_may_2026
    # New clocks use the edited rule.
    fresh = gateway_clock()
    assert fresh.due_on == calendar.add_weeks(tue_5_may_2026, 10)


def test_a_closure_saved_by_another_process_reaches_new_clocks():
    assert gateway_clock().due_on == fri_8_may_2026  # the calendar is now cached
    # Written straight to the table, as another web or worker process would.
    ClosureDayFactory(region=Region.ENGLAND_AND_WALES, date=wed_6_may_2026)
    assert gateway_clock().due_on == mon_11_may_2026


def test_admin_save_and_delete_go_through_the_service(client, admin_user):
    clock = gateway_clock()
    client.force_login(admin_user)
    response = client.post("/admin/sla/closureday/add/",
                           {"region": Region.ENGLAND_AND_WALES, "date": "2026-05-06", "name": "Office move"})
    assert response.status_code == 302
    clock.refresh_from_db()
    assert clock.due_on == mon_11_may_2026
    closure = ClosureDay.objects.get()
    response = client.post(f"/admin/sla/closureday/{closure.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    clock.refresh_from_db()
    assert clock.due_on == fri_8_may_2026
    assert len(moves(clock.sr)) == 2


def test_open_tasks_unaffected_by_unrelated_closure(admin_user):
    gateway_clock()
    save_closure_day(closure=ClosureDay(region=Region.ENGLAND_AND_WALES, date=date(2026, 6, 3), name="Later"),
                     actor=admin_user, now=at(tue_5_may_2026))
    assert not CaseEvent.objects.filter(verb="clock_moved").exists()
    assert Task.objects.count() == 0
