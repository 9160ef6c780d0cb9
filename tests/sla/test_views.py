"""Dashboard, clock list and CSV, task done, extend a deadline."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from complaints.models import CaseEvent
from sla.models import DeadlineClock, TaskKind
from tests.factories import ServiceRequestFactory, UserFactory

from .conftest import at
from .factories import DeadlineClockFactory, TaskFactory

pytestmark = pytest.mark.django_db

wed_13_jan_2027 = date(2027, 1, 13)


def make_clocks(team, owner, n: int, today: date) -> list[DeadlineClock]:
    """n clocks in a realistic mix: overdue, due soon, later, met on time and late."""
    clocks = []
    for i in range(n):
        sr = ServiceRequestFactory(team=team, owner=owner if i % 3 else None)
        due = today + timedelta(days=(i % 9) - 4)
        met = None
        if i % 5 == 0:
            met = due - timedelta(days=(i % 2) * 2 - 1)
        clocks.append(DeadlineClockFactory(sr=sr, due_on=due, met_on=met, started_on=today - timedelta(days=30)))
    return clocks


def test_dashboard_is_for_team_leaders_and_managers(client, cara, tom, mona):
    url = reverse("sla:dashboard")
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(cara)
    assert client.get(url).status_code == 403
    assert client.get(reverse("sla:clock-list")).status_code == 403
    for user in (tom, mona):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_dashboard_counts_only_the_users_teams(client, freeze, team, other_team, tom, cara, mona):
    freeze(wed_13_jan_2027)
    DeadlineClockFactory(sr=ServiceRequestFactory(team=team, owner=cara), due_on=date(2027, 1, 12))
    DeadlineClockFactory(sr=ServiceRequestFactory(team=other_team), due_on=date(2027, 1, 12))
    client.force_login(tom)
    response = client.get(reverse("sla:dashboard"))
    assert response.context["summary"].total.overdue == 1
    assert [c.name for c, _ in response.context["caseworkers"]] == ["Cara Caseworker"]
    client.force_login(mona)
    assert client.get(reverse("sla:dashboard")).context["summary"].total.overdue == 2
    filtered = client.get(reverse("sla:dashboard"), {"team": other_team.pk})
    assert filtered.context["summary"].total.overdue == 1
    # A team outside the user's is not a choice.
    client.force_login(tom)
    refused = client.get(reverse("sla:dashboard"), {"team": other_team.pk})
    assert refused.context["form"].errors


def _queries(client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_the_data(client, freeze, team, tom, cara):
    freeze(wed_13_jan_2027)
    client.force_login(tom)
    client.get(reverse("sla:dashboard"))  # the first request after sign-in also saves the session
    make_clocks(team, cara, 5, wed_13_jan_2027)
    # The first working-day count of the process reads the closure days once.
    client.get(reverse("sla:clock-list"))
    dashboard_5 = _queries(client, reverse("sla:dashboard"))
    list_5 = _queries(client, reverse("sla:clock-list"), {"bucket": "open"})
    make_clocks(team, cara, 45, wed_13_jan_2027)
    assert _queries(client, reverse("sla:dashboard")) == dashboard_5
    assert _queries(client, reverse("sla:clock-list"), {"bucket": "open"}) == list_5
    assert dashboard_5 <= 12


def test_figures_link_to_the_list_behind_them(client, freeze, team, tom, cara):
    freeze(wed_13_jan_2027)
    make_clocks(team, cara, 20, wed_13_jan_2027)
    client.force_login(tom)
    dashboard = client.get(reverse("sla:dashboard"))
    for label, count, url in dashboard.context["cards"]:
        listed = client.get(url)
        assert listed.context["table"].paginator.count == count, label
    for _, rows in dashboard.context["groupings"]:
        for counts, urls in rows:
            assert client.get(urls["overdue"]).context["table"].paginator.count == counts.overdue


def test_csv_export_of_the_filtered_list(client, freeze, team, tom, cara):
    freeze(wed_13_jan_2027)
    make_clocks(team, cara, 12, wed_13_jan_2027)
    client.force_login(tom)
    response = client.get(reverse("sla:clock-list"), {"bucket": "overdue", "export": "csv"})
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    expected = DeadlineClock.objects.filter(met_on__isnull=True, due_on__lt=wed_13_jan_2027).count()
    assert rows[0][:3] == ["SR", "Client", "Route"]
    assert len(rows) - 1 == expected > 0


def test_the_list_and_its_csv_say_how_many_working_days_are_left_or_overdue(client, freeze, team, tom, cara):
    freeze(wed_13_jan_2027)
    # Due Fri 8 Jan: Mon 11, Tue 12 and Wed 13 Jan have passed since, 3 working days.
    late = DeadlineClockFactory(sr=ServiceRequestFactory(team=team, owner=cara, client__name="=HYPERLINK(\"x\")"),
                                due_on=date(2027, 1, 8), started_on=date(2026, 12, 1))
    DeadlineClockFactory(sr=ServiceRequestFactory(team=team, owner=cara), due_on=date(2027, 1, 15),
                         started_on=date(2027, 1, 4))
    client.force_login(tom)
    page = client.get(reverse("sla:clock-list")).content.decode()
    assert "3 working days overdue" in page and "2 working days left" in page
    response = client.get(reverse("sla:clock-list"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][-1] == "Working days left (negative: overdue)"
    by_sr = {row[0]: row for row in rows[1:]}
    assert by_sr[late.sr.reference][-1] == "-3"
    # A name that a spreadsheet would run as a formula stays text.
    assert by_sr[late.sr.reference][1] == "'=HYPERLINK(\"x\")"
    assert sorted(row[-1] for row in rows[1:]) == ["-3", "2"]


def test_clock_list_renders_with_pagination(client, freeze, team, tom, cara):
    freeze(wed_13_jan_2027)
    make_clocks(team, cara, 30, wed_13_jan_2027)
    client.force_login(tom)
    response = client.get(reverse("sla:clock-list"))
    assert response.status_code == 200
    assert b"govuk-pagination" in response.content
    assert b"Download these deadlines (CSV)" in response.content


def test_mark_task_done(client, team, cara, tom):
    sr = ServiceRequestFactory(team=team, owner=cara)
    task = TaskFactory(sr=sr, assignee=cara, kind=TaskKind.OVERDUE)
    url = reverse("sla:task-done", args=[task.pk])
    client.force_login(tom)  # not theirs: as if it did not exist
    assert client.post(url).status_code == 404
    client.force_login(cara)
    assert client.get(url).status_code == 405
    response = client.post(url, {"next": "/my-work/?page=2"})
    assert response.status_code == 302 and response["Location"] == "/my-work/?page=2"
    task.refresh_from_db()
    assert task.done_at is not None and task.done_by == cara
    assert CaseEvent.objects.filter(sr=sr, verb="task_done").exists()
    # An open redirect is refused.
    other = TaskFactory(sr=sr, assignee=cara)
    response = client.post(reverse("sla:task-done", args=[other.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("my-work")


def test_my_work_shows_the_tasks_panel(client, team, cara):
    sr = ServiceRequestFactory(team=team, owner=cara)
    TaskFactory(sr=sr, assignee=cara, kind=TaskKind.OVERDUE, title="Overdue: Response to the complaint")
    client.force_login(cara)
    response = client.get(reverse("my-work"))
    assert b"Overdue: Response to the complaint" in response.content
    assert b"govuk-tag--red" in response.content


def test_team_leader_extends_a_deadline(client, freeze, team, tom, cara):
    freeze(wed_13_jan_2027)
    clock = DeadlineClockFactory(sr=ServiceRequestFactory(team=team, owner=cara, route="phso"),
                                 rule_code="phso.recommendations", started_on=date(2027, 1, 4))
    url = reverse("sla:extend-clock", args=[clock.pk])
    client.force_login(cara)
    assert client.get(url).status_code == 403
    client.force_login(tom)
    assert client.get(url).status_code == 200
    bad = client.post(url, {"extended_to_day": "31", "extended_to_month": "2", "extended_to_year": "2027", "reason": "x"})
    assert bad.status_code == 200 and bad.context["form"].errors
    response = client.post(url, {"extended_to_day": "15", "extended_to_month": "3", "extended_to_year": "2027",
                                 "reason": "PHSO agreed a new target date"})
    assert response.status_code == 302
    clock.refresh_from_db()
    assert clock.due_on == date(2027, 3, 15) and clock.extension_reason == "PHSO agreed a new target date"
    assert CaseEvent.objects.filter(sr=clock.sr, verb="clock_extended").exists()


def test_outsider_cannot_learn_a_clock_exists(client, other_team, team, cara):
    outsider_leader = UserFactory(username="olly", roles=[Role.TEAM_LEADER], teams=[other_team])
    clock = DeadlineClockFactory(sr=ServiceRequestFactory(team=team, owner=cara))
    client.force_login(outsider_leader)
    assert client.get(reverse("sla:extend-clock", args=[clock.pk])).status_code == 404


def test_case_page_shows_deadlines(client, freeze, team, cara):
    freeze(date(2026, 12, 29))
    sr = ServiceRequestFactory(team=team, owner=cara, route="ice")
    DeadlineClockFactory(sr=sr, rule_code="ice.gateway", started_on=date(2026, 12, 24))
    client.force_login(cara)
    response = client.get(reverse("case-detail", kwargs={"reference": sr.reference}))
    assert "due Thu 31 Dec 2026 — 2 working days left" in response.content.decode()


def test_dashboard_nav_item(client, cara, tom):
    client.force_login(tom)
    assert "Dashboard" in [i.label for i in client.get(reverse("my-work")).context["nav_items"]]
    client.force_login(cara)
    assert "Dashboard" not in [i.label for i in client.get(reverse("my-work")).context["nav_items"]]


def test_scan_alerts_end_when_a_clock_is_met(team, cara):
    from sla.scan import scan_deadlines
    from sla.services import meet_clock

    clock = DeadlineClockFactory(sr=ServiceRequestFactory(team=team, owner=cara), due_on=date(2027, 1, 12))
    scan_deadlines(now=at(wed_13_jan_2027), today=wed_13_jan_2027)
    meet_clock(sr=clock.sr, rule_code=clock.rule.code, actor=cara, now=at(wed_13_jan_2027))
    assert not clock.tasks.filter(done_at__isnull=True).exists()


def test_met_on_time_per_week_matches_the_list_behind_it(client, freeze, team, tom, cara):
    freeze(wed_13_jan_2027)
    make_clocks(team, cara, 40, wed_13_jan_2027)
    client.force_login(tom)
    dashboard = client.get(reverse("sla:dashboard"))
    weeks = dashboard.context["weeks"]
    assert len(weeks) == 12 and weeks[-1][0].week_start == date(2027, 1, 11)
    met = DeadlineClock.objects.filter(met_on__lte=wed_13_jan_2027)  # none before the 12 weeks
    assert sum(w.total for w, _, _ in weeks) == met.count() > 0
    assert sum(w.on_time for w, _, _ in weeks) == sum(1 for c in met if c.met_on <= c.due_on)
    for week, on_time_url, late_url in weeks:
        assert client.get(on_time_url).context["table"].paginator.count == week.on_time
        assert client.get(late_url).context["table"].paginator.count == week.late
    assert b"<svg" in dashboard.content and b"Deadlines met each week" in dashboard.content


def test_my_work_badge_counts_open_tasks(client, team, cara):
    sr = ServiceRequestFactory(team=team, owner=cara, state="in_progress")
    TaskFactory.create_batch(3, sr=sr, assignee=cara)
    TaskFactory(sr=sr, assignee=cara, done_at=timezone.now())
    client.force_login(cara)
    html = client.get(reverse("search")).content.decode()
    assert '<span class="moj-notification-badge">3<span class="govuk-visually-hidden"> open tasks</span>' in html


def test_a_confidential_srs_deadline_is_counted_but_its_details_are_for_those_granted(client, freeze, team, tom,
                                                                                      mona, cara):
    from guardian.shortcuts import assign_perm

    freeze(wed_13_jan_2027)
    secret = ServiceRequestFactory(team=team, owner=cara, confidential=True, reference="SR-2027-SECRET",
                                   client__name="Hidden Name")
    DeadlineClockFactory(sr=secret, due_on=date(2027, 1, 8), started_on=date(2026, 12, 1))
    TaskFactory(sr=secret, assignee=None, team=team, kind=TaskKind.OVERDUE_TL,
                title="Overdue: Response to the complaint")
    url = reverse("sla:clock-list")
    client.force_login(mona)
    page = client.get(url, {"bucket": "overdue"})
    assert page.context["table"].paginator.count == 1  # the figure and the list agree
    html = page.content.decode()
    assert "Confidential SR" in html and "SR-2027-SECRET" not in html and "Hidden Name" not in html
    csv_text = b"".join(client.get(url, {"export": "csv"}).streaming_content).decode()
    assert "SR-2027-SECRET" not in csv_text and "Hidden Name" not in csv_text and "Confidential SR" in csv_text
    # The team leader's alert about it, on My work: no reference, client or title.
    client.force_login(tom)
    my_work = client.get(reverse("my-work")).content.decode()
    assert "Confidential SR" in my_work and "SR-2027-SECRET" not in my_work and "Hidden Name" not in my_work
    # Granted, the team leader reads it in full.
    assign_perm("complaints.view_servicerequest", tom, secret)
    assert "SR-2027-SECRET" in client.get(url, {"bucket": "overdue"}).content.decode()
    assert "SR-2027-SECRET" in client.get(reverse("my-work")).content.decode()


def test_clock_list_pages_deadlines_due_the_same_day_once_each(client, rf, freeze, team, tom):
    freeze(wed_13_jan_2027)
    for _ in range(30):
        DeadlineClockFactory(sr=ServiceRequestFactory(team=team), due_on=wed_13_jan_2027,
                             started_on=wed_13_jan_2027 - timedelta(days=30))
    client.force_login(tom)
    shown = []
    for page in (1, 2):
        html = client.get(reverse("sla:clock-list"), {"page": page}).content.decode()
        shown += re.findall(r'href="/sr/([^/"]+)/"', html)
    assert len(shown) == len(set(shown)) == 30
    # The rows that tie on the due date are ordered by their id.
    from complaints.tables import paginate
    from sla.tables import ClockTable

    table = ClockTable(DeadlineClock.objects.all())
    paginate(rf.get("/deadlines/list/?sort=-due_on"), table, per_page=25)
    assert [str(o) for o in table.data.data.query.order_by] == ["-due_on", "pk"]


def test_the_dashboard_is_kept_until_a_deadline_of_the_team_changes(client, freeze, team, tom, cara):
    """A team leader's figures are read back while nothing changes in the
    team (the figures' statement is not run), and counted again at once
    after a clock starts or an office closure moves a due date."""
    from sla.closures import save_closure_day
    from sla.models import ClosureDay
    from sla.services import start_clock

    def figures() -> tuple[int, bool]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("sla:dashboard"))
        counted = any("sla_deadlinecount" in q["sql"] for q in ctx.captured_queries)
        return response.context["summary"].total.open, counted

    freeze(wed_13_jan_2027)
    sr = ServiceRequestFactory(team=team, owner=cara)
    DeadlineClockFactory(sr=sr, due_on=date(2027, 1, 12))
    client.force_login(tom)
    assert figures() == (1, True)
    assert figures() == (1, False)
    other = ServiceRequestFactory(team=team, owner=cara)
    clock = start_clock(sr=other, rule_code="resolution.response", actor=cara, now=at(wed_13_jan_2027))
    assert figures() == (2, True)
    assert figures() == (2, False)
    closure = ClosureDay(region=clock.region, date=date(2027, 1, 14), name="Office move")
    assert save_closure_day(closure=closure, actor=tom, now=at(wed_13_jan_2027)) == 1
    assert figures() == (2, True)
    # Another user of the team sees their own figures, not the leader's.
    client.force_login(UserFactory(username="mo", roles=[Role.MANAGER], teams=[team]))
    assert figures() == (2, True)
