"""The deadline scan: the escalation ladder, idempotence, concurrency."""

import threading
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections

from accounts.models import Region
from accounts.roles import Role
from complaints.services.cases import create_service_request
from complaints.services.transitions import run_transition
from sla.counts import differences
from sla.models import ALERT_KINDS, DeadlineClock, Task, TaskKind
from sla.scan import due_soon_end, overdue_cutoff, scan_deadlines
from sla.selectors import open_tasks_for
from tests.factories import ClientFactory, ServiceRequestFactory, TeamFactory, UserFactory

from .conftest import at
from .factories import DeadlineClockFactory

pytestmark = pytest.mark.django_db

# Named dates (England and Wales unless said otherwise).
wed_6_jan_2027 = date(2027, 1, 6)
mon_11_jan_2027 = date(2027, 1, 11)
tue_12_jan_2027 = date(2027, 1, 12)
wed_13_jan_2027 = date(2027, 1, 13)
fri_15_jan_2027 = date(2027, 1, 15)
mon_18_jan_2027 = date(2027, 1, 18)
sat_16_jan_2027 = date(2027, 1, 16)
mon_28_dec_2026 = date(2026, 12, 28)  # Boxing Day substitute
wed_25_nov_2026 = date(2026, 11, 25)
wed_2_dec_2026 = date(2026, 12, 2)


@pytest.fixture
def team():
    return TeamFactory(name="Resolution North")


@pytest.fixture
def owner(team):
    return UserFactory(username="cara", roles=[Role.CASEWORKER], teams=[team])


@pytest.fixture
def leader(team):
    return UserFactory(username="tom", roles=[Role.TEAM_LEADER], teams=[team])


@pytest.fixture
def boss(team):
    return UserFactory(username="mona", roles=[Role.MANAGER], teams=[team])


def clock(team, owner, due_on: date, rule_code: str = "resolution.response", region: str = Region.ENGLAND_AND_WALES):
    sr = ServiceRequestFactory(team=team, owner=owner, client=ClientFactory(region=region))
    return DeadlineClockFactory(sr=sr, rule_code=rule_code, due_on=due_on, started_on=date(2026, 12, 1))


def kinds(c: Any) -> set[str]:
    return set(Task.objects.filter(clock=c).values_list("kind", flat=True))


def test_ladder_on_a_working_day(team, owner, leader, boss):
    due_soon = clock(team, owner, fri_15_jan_2027)
    not_yet = clock(team, owner, mon_18_jan_2027)
    overdue_1 = clock(team, owner, tue_12_jan_2027)
    overdue_2 = clock(team, owner, mon_11_jan_2027)
    overdue_5 = clock(team, owner, wed_6_jan_2027)
    wait_ended = clock(team, owner, tue_12_jan_2027, rule_code="review.client_reply")
    wait_today = clock(team, owner, wed_13_jan_2027, rule_code="review.closure_reply")

    result = scan_deadlines(now=at(wed_13_jan_2027), today=wed_13_jan_2027)

    assert kinds(due_soon) == {TaskKind.DUE_SOON}
    assert kinds(not_yet) == set()
    assert kinds(overdue_1) == {TaskKind.OVERDUE}
    assert kinds(overdue_2) == {TaskKind.OVERDUE, TaskKind.OVERDUE_TL}
    assert kinds(overdue_5) == {TaskKind.OVERDUE, TaskKind.OVERDUE_TL, TaskKind.OVERDUE_MANAGER}
    assert kinds(wait_ended) == {TaskKind.WAIT_EXPIRED}
    assert kinds(wait_today) == set()
    assert result.inserted == {"due_soon": 1, "overdue": 3, "overdue_tl": 2, "overdue_manager": 1, "wait_expired": 1}

    # Who sees what: the owner their alerts, the TL the TL rung, the manager theirs.
    assert {t.kind for t in open_tasks_for(owner)} == {TaskKind.DUE_SOON, TaskKind.OVERDUE, TaskKind.WAIT_EXPIRED}
    assert {t.kind for t in open_tasks_for(leader)} == {TaskKind.OVERDUE_TL}
    assert {t.kind for t in open_tasks_for(boss)} == {TaskKind.OVERDUE_MANAGER}


def test_unallocated_sr_alerts_go_to_the_team(team, leader):
    c = clock(team, None, tue_12_jan_2027)
    scan_deadlines(now=at(wed_13_jan_2027), today=wed_13_jan_2027)
    task = Task.objects.get(clock=c)
    assert (task.kind, task.assignee_id, task.team_id) == (TaskKind.OVERDUE, None, team.pk)
    assert list(open_tasks_for(leader)) == [task]


def test_second_run_inserts_nothing(team, owner):
    for due in (fri_15_jan_2027, tue_12_jan_2027, wed_6_jan_2027):
        clock(team, owner, due)
    first = scan_deadlines(now=at(wed_13_jan_2027), today=wed_13_jan_2027)
    second = scan_deadlines(now=at(wed_13_jan_2027, 11), today=wed_13_jan_2027)
    assert first.total == 5
    assert second.total == 0
    assert Task.objects.count() == 5


def test_due_soon_closes_once_overdue(team, owner):
    c = clock(team, owner, wed_13_jan_2027)
    scan_deadlines(now=at(wed_13_jan_2027), today=wed_13_jan_2027)
    result = scan_deadlines(now=at(date(2027, 1, 14)), today=date(2027, 1, 14))
    assert result.superseded == 1
    assert set(Task.objects.filter(clock=c, done_at__isnull=True).values_list("kind", flat=True)) == {"overdue"}


def test_skips_days_that_are_not_working_days(team, owner):
    clock(team, owner, tue_12_jan_2027)
    assert scan_deadlines(now=at(sat_16_jan_2027), today=sat_16_jan_2027).skipped
    assert scan_deadlines(now=at(mon_28_dec_2026), today=mon_28_dec_2026).skipped
    assert Task.objects.count() == 0


def test_met_clocks_raise_nothing(team, owner):
    met = clock(team, owner, tue_12_jan_2027)
    met.met_on = tue_12_jan_2027
    met.save()
    assert scan_deadlines(now=at(wed_13_jan_2027), today=wed_13_jan_2027).total == 0


def _allocated_sr(team, leader, owner):
    sr = create_service_request(actor=leader, client=ClientFactory(), route="resolution", team=team,
                                received_on=date(2026, 11, 2), referrer="client", details="Payments not shown.")
    run_transition(sr_id=sr.pk, actor=leader, name="allocate", expected_version=None, data={"owner": owner})
    assert DeadlineClock.objects.running().filter(sr=sr).exists()
    return sr


def test_an_sr_closed_through_its_route_raises_nothing(team, owner, leader):
    """The scan reads the clocks alone, not their SRs: closing an SR stops
    its clocks, so a closed SR has none running."""
    closed = _allocated_sr(team, leader, owner)
    run_transition(sr_id=closed.pk, actor=owner, name="withdraw", expected_version=None,
                   data={"note": "The client withdrew the complaint."})
    open_sr = _allocated_sr(team, leader, owner)
    result = scan_deadlines(now=at(date(2027, 3, 1)), today=date(2027, 3, 1))
    assert result.total > 0
    assert not Task.objects.filter(sr=closed, kind__in=ALERT_KINDS).exists()
    assert Task.objects.filter(sr=open_sr, kind=TaskKind.OVERDUE, assignee=owner).exists()


def test_alerts_go_to_the_owner_the_sr_was_reallocated_to(team, owner, leader):
    """A running clock carries its SR's owner for the scan: reallocating the
    SR moves it, and the owner counts with it."""
    sr = _allocated_sr(team, leader, owner)
    other = UserFactory(username="dev", roles=[Role.CASEWORKER], teams=[team])
    run_transition(sr_id=sr.pk, actor=leader, name="reallocate", expected_version=None, data={"owner": other})
    assert set(DeadlineClock.objects.running().filter(sr=sr).values_list("owner_id", flat=True)) == {other.pk}
    assert differences() == {}
    scan_deadlines(now=at(date(2027, 3, 1)), today=date(2027, 3, 1))
    assert set(Task.objects.filter(sr=sr, kind=TaskKind.OVERDUE).values_list("assignee_id", flat=True)) == {other.pk}


def test_thresholds_count_working_days_of_the_clocks_region(team, owner):
    # St Andrew's Day, Mon 30 Nov 2026, is a holiday in Scotland only.
    assert overdue_cutoff(wed_2_dec_2026, 5, Region.ENGLAND_AND_WALES) == wed_25_nov_2026
    assert overdue_cutoff(wed_2_dec_2026, 5, Region.SCOTLAND) == date(2026, 11, 24)
    england = clock(team, owner, wed_25_nov_2026)
    scotland = clock(team, owner, wed_25_nov_2026, region=Region.SCOTLAND)
    scan_deadlines(now=at(wed_2_dec_2026), today=wed_2_dec_2026)
    assert TaskKind.OVERDUE_MANAGER in kinds(england)
    assert kinds(scotland) == {TaskKind.OVERDUE, TaskKind.OVERDUE_TL}


def test_an_extended_clock_gets_a_fresh_ladder(team, owner, leader):
    from sla.services import extend_clock

    c = clock(team, owner, tue_12_jan_2027)
    scan_deadlines(now=at(wed_13_jan_2027), today=wed_13_jan_2027)
    extend_clock(sr=c.sr, rule_code=c.rule.code, actor=leader, now=at(wed_13_jan_2027),
                 extended_to=fri_15_jan_2027, reason="PHSO agreed a new date")
    assert not Task.objects.filter(clock=c, done_at__isnull=True).exists()
    result = scan_deadlines(now=at(date(2027, 1, 18)), today=date(2027, 1, 18))
    assert result.inserted["overdue"] == 1


def test_management_command_prints_what_it_inserted(team, owner, capsys):
    clock(team, owner, tue_12_jan_2027)
    call_command("scan_deadlines", "--date", "2027-01-13")
    out = capsys.readouterr().out
    assert "inserted 1 tasks" in out and "overdue=1" in out


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks and real concurrency need PostgreSQL")
def test_concurrent_scans_create_no_duplicates():
    team = TeamFactory(name="Concurrent team")
    owner = UserFactory(username="conc", roles=[Role.CASEWORKER], teams=[team])
    for i in range(30):
        clock(team, owner, date(2027, 1, 4 + i % 10))
    barrier = threading.Barrier(2)
    results = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(scan_deadlines(now=at(wed_13_jan_2027), today=wed_13_jan_2027).total)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    total = Task.objects.count()
    assert total > 0
    assert sorted(results) == [0, total]
    assert Task.objects.values("key").distinct().count() == total


def test_a_resolution_sr_waiting_in_the_team_queue_goes_overdue_for_the_team(freeze, team, leader):
    """The response clock runs from the referral (the SR's received date), so
    an SR nobody has allocated yet raises the team's overdue alert."""
    from tests.platform.helpers import new_sr

    freeze(wed_2_dec_2026)
    sr = new_sr(actor=leader, team=team, client=ClientFactory(region=Region.ENGLAND_AND_WALES),
                received_on=date(2026, 11, 2))
    running = sr.clocks.get(met_on__isnull=True)
    # Mon 2 Nov 2026 + 15 working days: Mon 23 Nov.
    assert (running.rule.code, running.started_on, running.due_on) == (
        "resolution.response", date(2026, 11, 2), date(2026, 11, 23))
    scan_deadlines(now=at(wed_2_dec_2026))
    alert = Task.objects.get(sr=sr, kind=TaskKind.OVERDUE)
    assert alert.assignee is None and alert.team == team
    assert alert in open_tasks_for(leader)


def test_allocating_from_the_queue_hands_the_owners_alerts_to_the_caseworker(freeze, team, leader, owner):
    from complaints.services.transitions import run_transition
    from tests.platform.helpers import new_sr

    freeze(wed_2_dec_2026)
    sr = new_sr(actor=leader, team=team, client=ClientFactory(region=Region.ENGLAND_AND_WALES),
                received_on=date(2026, 11, 2))
    scan_deadlines(now=at(wed_2_dec_2026))
    assert {t.kind: t.assignee for t in Task.objects.filter(sr=sr)} == {
        TaskKind.OVERDUE: None, TaskKind.OVERDUE_TL: None, TaskKind.OVERDUE_MANAGER: None}
    run_transition(sr_id=sr.pk, actor=leader, name="allocate", expected_version=None, data={"owner": owner})
    # The owner's rung is now Cara's; the team leader's and manager's rungs stay with the team.
    assert {t.kind: t.assignee for t in Task.objects.filter(sr=sr)} == {
        TaskKind.OVERDUE: owner, TaskKind.OVERDUE_TL: None, TaskKind.OVERDUE_MANAGER: None}
    assert [t.kind for t in open_tasks_for(owner)] == [TaskKind.OVERDUE]
    # A second scan raises nothing new for the same due date.
    assert scan_deadlines(now=at(wed_2_dec_2026)).total == 0


# --- Driven by what changed (issue 14) -----------------------------------------


def test_a_rerun_with_nothing_new_looks_at_no_clock_and_creates_nothing(team, owner):
    for due in (tue_12_jan_2027, wed_13_jan_2027, fri_15_jan_2027, date(2027, 3, 1)):
        clock(team, owner, due)
    first = scan_deadlines(now=at(wed_13_jan_2027), today=wed_13_jan_2027)
    assert first.looked_at == 4 and first.total > 0
    tasks = Task.objects.count()
    again = scan_deadlines(now=at(wed_13_jan_2027, 11), today=wed_13_jan_2027)
    assert (again.looked_at, again.total, Task.objects.count()) == (0, 0, tasks)


def _holds(kind: str, due: date, region: str, today: date) -> bool:
    """The ladder's rule, stated directly (the full scan's conditions)."""
    if kind == TaskKind.DUE_SOON:
        return today <= due < due_soon_end(today, region)
    if kind == TaskKind.OVERDUE:
        return due < today
    cutoff = overdue_cutoff(today, 2 if kind == TaskKind.OVERDUE_TL else 5, region)
    return due <= cutoff


@pytest.mark.parametrize("region", [Region.ENGLAND_AND_WALES, Region.SCOTLAND, Region.NORTHERN_IRELAND])
def test_each_crossing_is_found_on_the_day_it_happens_and_only_then(team, owner, region):
    """Scanned every day from December to February, each clock's rungs
    appear on the first scanned day their rule holds — not before, not
    later — across Christmas, New Year and the region's own holidays."""
    dues = [date(2026, 12, 21), date(2026, 12, 24), date(2026, 12, 29), date(2027, 1, 4), date(2027, 1, 5),
            date(2027, 1, 15), date(2027, 3, 16)]
    clocks = {clock(team, owner, due, region=region).pk: due for due in dues}
    day = date(2026, 12, 1)
    expected_left = 0
    while day <= date(2027, 2, 26):
        result = scan_deadlines(now=at(day), today=day)
        if not result.skipped:
            raised = set(Task.objects.filter(created_at=at(day)).values_list("clock_id", "kind"))
            expected = set()
            for pk, due in clocks.items():
                for kind in (TaskKind.DUE_SOON, TaskKind.OVERDUE, TaskKind.OVERDUE_TL, TaskKind.OVERDUE_MANAGER):
                    already = Task.objects.filter(clock_id=pk, kind=kind).exclude(created_at=at(day)).exists()
                    if _holds(kind, due, region, day) and not already:
                        expected.add((pk, kind))
            assert raised == expected, day
            expected_left += len(expected)
        day += timedelta(days=1)
    # Every clock but the March one climbed the whole ladder; that one was
    # looked at once (as a new clock) and is found again by its due date on
    # its due-soon day, not the day before.
    assert expected_left == 4 * (len(dues) - 1)
    march = DeadlineClock.objects.get(due_on=date(2027, 3, 16))
    assert march.next_check_on is None and not march.tasks.exists()
    assert scan_deadlines(now=at(date(2027, 3, 11)), today=date(2027, 3, 11)).total == 0
    assert scan_deadlines(now=at(date(2027, 3, 12)), today=date(2027, 3, 12)).inserted[TaskKind.DUE_SOON] == 1


def test_days_without_a_scan_are_caught_up_on_the_next_run(team, owner, leader, boss):
    """The scan did not run for a fortnight: the next run raises every rung
    crossed meanwhile, once, and looks at no clock that crossed nothing."""
    crossing = clock(team, owner, date(2027, 1, 8))
    later = clock(team, owner, date(2027, 3, 1))
    first = scan_deadlines(now=at(date(2027, 1, 4)), today=date(2027, 1, 4))
    assert first.looked_at == 2 and kinds(crossing) == set() and kinds(later) == set()
    result = scan_deadlines(now=at(date(2027, 1, 20)), today=date(2027, 1, 20))
    assert result.looked_at == 0  # neither changed: found by their due dates alone
    # Due soon no longer holds (its date has passed): the rungs that hold today.
    assert kinds(crossing) == {TaskKind.OVERDUE, TaskKind.OVERDUE_TL, TaskKind.OVERDUE_MANAGER}
    assert kinds(later) == set()
    assert scan_deadlines(now=at(date(2027, 1, 21)), today=date(2027, 1, 21)).total == 0


def test_a_clock_started_after_the_last_scan_with_its_date_already_passed_is_raised(team, owner):
    scan_deadlines(now=at(wed_13_jan_2027), today=wed_13_jan_2027)
    late = clock(team, owner, wed_6_jan_2027)  # started (recorded) today, due a week ago
    late.next_check_on = date(2027, 1, 14)
    late.save(update_fields=["next_check_on"])
    result = scan_deadlines(now=at(date(2027, 1, 14)), today=date(2027, 1, 14))
    assert result.looked_at == 1 and TaskKind.OVERDUE in kinds(late)
