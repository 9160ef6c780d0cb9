"""The kept counts of deadlines behind the dashboard (sla.counts, issue 14):
every clock service moves them in its own transaction, so after every kind
of change they equal a recount from the clocks; `manage.py
recount_deadlines` rebuilds them and says whether they had drifted."""

import threading
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.db.models import Sum

from accounts.models import Region, User
from accounts.roles import Role
from complaints.models import ServiceRequest
from complaints.services.transitions import run_transition
from sla.closures import delete_closure_day, save_closure_day
from sla.counts import differences, recount
from sla.models import ClosureDay, CountKind, DeadlineClock, DeadlineCount, OwnerDeadlineCount
from sla.services import cancel_clocks, extend_clock, meet_clock, sr_team_changed, start_clock
from tests.factories import ClientFactory, ServiceRequestFactory, TeamFactory, UserFactory
from tests.platform.helpers import allocate, new_sr

from .conftest import at
from .factories import DeadlineClockFactory

pytestmark = pytest.mark.django_db


def kept(kind: str, column: str = "n", **filters: object) -> int:
    return DeadlineCount.objects.filter(kind=kind, **filters).aggregate(n=Sum(column))["n"] or 0


def test_the_counts_equal_a_recount_after_every_kind_of_change():
    actor = UserFactory(username="cara")
    sr = ServiceRequestFactory(route="ice", client=ClientFactory(region=Region.SCOTLAND))
    other = ServiceRequestFactory(route="ice", team=sr.team, client=ClientFactory(region=Region.SCOTLAND))
    now = at(date(2027, 1, 4))
    late = at(date(2027, 6, 1))

    def move_team() -> None:
        sr.team = TeamFactory(route="ice")
        ServiceRequest.objects.filter(pk=sr.pk).update(team=sr.team)
        sr_team_changed(sr=sr)

    closure = ClosureDay(region=Region.SCOTLAND, date=date(2027, 1, 6), name="Flood")
    steps = {
        "start (given date)": lambda: start_clock(sr=sr, rule_code="ice.gateway", actor=actor, now=now,
                                                  due_on=date(2027, 2, 1)),
        "start (computed)": lambda: start_clock(sr=sr, rule_code="resolution.response", actor=actor, now=now),
        "start, other SR": lambda: start_clock(sr=other, rule_code="resolution.response", actor=actor, now=now),
        "start a labelled one": lambda: start_clock(sr=sr, rule_code="ice.adhoc", actor=actor, now=now,
                                                    due_on=date(2027, 1, 20), label="Question 1"),
        "closure moves clocks": lambda: save_closure_day(closure=closure, actor=actor, now=now),
        "closure removed": lambda: delete_closure_day(closure=closure, actor=actor, now=now),
        "met on time": lambda: meet_clock(sr=other, rule_code="resolution.response", actor=actor, now=now),
        "met late": lambda: meet_clock(sr=sr, rule_code="ice.adhoc", actor=actor, now=late),
        "extended": lambda: extend_clock(sr=sr, rule_code="ice.gateway", actor=actor, now=now,
                                         extended_to=date(2027, 4, 1), reason="agreed with ICE"),
        "moved to another team": move_team,
        "some cancelled": lambda: cancel_clocks(sr=sr, actor=actor, now=now, reason="test",
                                                rule_codes=["ice.gateway"]),
        "written by the test factory": lambda: DeadlineClockFactory(sr=other, met_on=date(2027, 1, 5)),
        "all cancelled": lambda: cancel_clocks(sr=sr, actor=actor, now=now, reason="closed"),
    }
    seen = []
    for name, step in steps.items():
        step()
        assert differences() == {}, name
        seen.append((kept(CountKind.DUE), kept(CountKind.MET), kept(CountKind.MET, "on_time")))
    # The changes really moved the counts (the check above is not vacuous).
    assert seen[3] == (4, 0, 0)
    assert seen[7] == (2, 2, 1)
    assert DeadlineCount.objects.filter(kind=CountKind.DUE, team=sr.team).count() == 0  # moved away
    assert seen[-1] == (0, 3, 1)  # the factory's clock was met after its due date
    # Rows that fell to nothing are gone, not kept as zeros.
    assert not DeadlineCount.objects.filter(n=0).exists()


def test_recount_rebuilds_the_counts_and_the_command_reports_drift():
    running = DeadlineClockFactory(due_on=date(2027, 1, 12))
    DeadlineClockFactory(sr=running.sr, rule_code="ice.gateway", due_on=date(2027, 1, 8),
                         met_on=date(2027, 1, 11))
    DeadlineClock.objects.filter(pk=running.pk).update(due_on=date(2027, 1, 13))  # behind the services' back
    assert differences()
    out = StringIO()
    call_command("recount_deadlines", stdout=out)
    assert differences() == {}
    assert "2 counts differed" in out.getvalue()  # the day it left and the day it is on
    assert kept(CountKind.DUE, day=date(2027, 1, 13)) == 1
    assert recount() == 2
    out = StringIO()
    call_command("recount_deadlines", stdout=out)
    assert "0 counts differed" in out.getvalue()


def test_the_command_gives_running_clocks_their_srs_owner_again(caseworker, team_leader, resolution_team,
                                                                  client_person):
    """A clock's copy of its SR's owner written behind the services' back:
    the command repairs it, so later changes move the right owner's counts."""
    other = UserFactory(username="colin", roles=[Role.CASEWORKER], teams=[resolution_team])
    sr = allocate(new_sr(actor=caseworker, team=resolution_team, client=client_person), tl=team_leader,
                  owner=caseworker)
    unallocated = DeadlineClockFactory(sr=ServiceRequestFactory(team=resolution_team, owner=None))
    DeadlineClock.objects.filter(sr=sr).update(owner=other)
    DeadlineClock.objects.filter(pk=unallocated.pk).update(owner=other)
    out = StringIO()
    call_command("recount_deadlines", stdout=out)
    assert "2 running deadlines had another owner than their case" in out.getvalue()
    assert set(DeadlineClock.objects.filter(sr=sr).values_list("owner_id", flat=True)) == {caseworker.pk}
    assert DeadlineClock.objects.get(pk=unallocated.pk).owner_id is None
    run_transition(sr_id=sr.pk, actor=team_leader, name="reallocate", expected_version=None, data={"owner": other})
    assert differences() == {}
    out = StringIO()
    call_command("recount_deadlines", stdout=out)
    assert out.getvalue().startswith("0 counts differed")


def test_the_owner_counts_follow_the_sr_through_its_transitions(caseworker, team_leader, resolution_team,
                                                               client_person):
    """Allocation gives the SR an owner and starts its response deadline in
    one transition; reallocation moves its deadlines to the new owner;
    withdrawal stops them."""
    other = UserFactory(username="colin", roles=[Role.CASEWORKER], teams=[resolution_team])
    sr = new_sr(actor=caseworker, team=resolution_team, client=client_person)
    assert differences() == {}
    sr = allocate(sr, tl=team_leader, owner=caseworker)
    assert differences() == {}
    assert kept_by_owner(caseworker) == 1
    run_transition(sr_id=sr.pk, actor=team_leader, name="reallocate", expected_version=None, data={"owner": other})
    assert differences() == {}
    assert (kept_by_owner(caseworker), kept_by_owner(other)) == (0, 1)
    run_transition(sr_id=sr.pk, actor=team_leader, name="withdraw", expected_version=None,
                   data={"note": "The client withdrew by phone"})
    assert differences() == {}
    assert kept_by_owner(other) == 0
    assert not OwnerDeadlineCount.objects.exists()


def kept_by_owner(user: User) -> int:
    return OwnerDeadlineCount.objects.filter(owner=user).aggregate(n=Sum("n"))["n"] or 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
def test_concurrent_changes_to_the_same_counts_add_up():
    """Two people meeting deadlines of one team on one day at once change the
    same kept rows: the upserts add to them, so nothing is lost."""
    actor = UserFactory(username="cara")
    team = TeamFactory(route="resolution")
    srs = [ServiceRequestFactory(team=team, client=ClientFactory(region=Region.SCOTLAND)) for _ in range(12)]
    for sr in srs:
        start_clock(sr=sr, rule_code="resolution.response", actor=actor, now=at(date(2027, 1, 4)))
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def meet(half: list[ServiceRequest]) -> None:
        try:
            barrier.wait()
            for sr in half:
                with transaction.atomic():
                    meet_clock(sr=sr, rule_code="resolution.response", actor=actor, now=at(date(2027, 1, 11)))
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=meet, args=(srs[i::2],)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert differences() == {}
    assert kept(CountKind.MET) == 12 and kept(CountKind.DUE) == 0
