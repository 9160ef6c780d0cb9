"""What the case page and My work show about deadlines."""

from datetime import date

import pytest
from django.template.loader import render_to_string

from accounts.models import Region
from accounts.roles import Role
from complaints.models import ServiceRequest
from sla.models import TaskKind
from sla.selectors import clocks_for_sr, most_urgent_tasks, open_task_count, open_tasks_for
from sla.services import meet_clock, start_clock
from sla.tables import TaskTable
from tests.factories import ServiceRequestFactory, TeamFactory, UserFactory

from .conftest import at, thu_24_dec_2026, thu_31_dec_2026
from .factories import DeadlineClockFactory, TaskFactory

pytestmark = pytest.mark.django_db

tue_29_dec_2026 = date(2026, 12, 29)


def test_clocks_for_sr_gives_working_days_left_and_why(freeze):
    freeze(tue_29_dec_2026)
    sr = ServiceRequestFactory(route="ice")
    start_clock(sr=sr, rule_code="ice.gateway", actor=None, now=at(thu_24_dec_2026), started_on=thu_24_dec_2026)

    [row] = clocks_for_sr(sr)
    assert row.due_on == thu_31_dec_2026
    assert row.working_days_left == 2
    assert row.state == "running"
    assert row.text == "due Thu 31 Dec 2026 — 2 working days left"
    assert "3 working days" in row.explanation
    assert "Christmas Day on Fri 25 Dec 2026" in row.explanation
    assert "Boxing Day (substitute day) on Mon 28 Dec 2026" in row.explanation

    html = render_to_string("sla/_sr_deadlines.html", {"clocks": [row]})
    assert "due Thu 31 Dec 2026 — 2 working days left" in html
    assert "govuk-details" in html


def test_clock_states(freeze):
    freeze(date(2027, 1, 5))
    sr = ServiceRequestFactory(route="ice")
    start_clock(sr=sr, rule_code="ice.gateway", actor=None, now=at(thu_24_dec_2026), started_on=thu_24_dec_2026)
    start_clock(sr=sr, rule_code="ice.draft_report", actor=None, now=at(thu_24_dec_2026), started_on=thu_24_dec_2026)
    meet_clock(sr=sr, rule_code="ice.draft_report", actor=None, now=at(date(2027, 1, 5)))
    rows = {r.rule_code: r for r in clocks_for_sr(sr)}
    assert rows["ice.gateway"].state == "overdue"
    assert rows["ice.gateway"].text == "was due Thu 31 Dec 2026 — 2 working days overdue"
    assert rows["ice.draft_report"].state == "met on time"


def test_next_deadline_is_the_earliest_running_clock():
    sr = ServiceRequestFactory()
    DeadlineClockFactory(sr=sr, rule_code="ice.gateway", due_on=date(2027, 1, 8))
    DeadlineClockFactory(sr=sr, rule_code="ice.draft_report", due_on=date(2027, 1, 4), met_on=date(2027, 1, 3))
    DeadlineClockFactory(sr=sr, rule_code="ice.record_of_evidence", due_on=date(2027, 2, 1))
    assert ServiceRequest.objects.get(pk=sr.pk).next_due_on == date(2027, 1, 8)


def test_open_tasks_for_scopes_by_assignee_and_led_teams(django_assert_max_num_queries):
    mine_team, other_team = TeamFactory(name="Mine"), TeamFactory(name="Other")
    cara = UserFactory(username="cara", roles=[Role.CASEWORKER], teams=[mine_team])
    tom = UserFactory(username="tom", roles=[Role.TEAM_LEADER], teams=[mine_team])
    sr = ServiceRequestFactory(team=mine_team, owner=cara)
    own = TaskFactory(sr=sr, assignee=cara, kind=TaskKind.OVERDUE)
    team_task = TaskFactory(sr=sr, assignee=None, team=mine_team, kind=TaskKind.OVERDUE_TL)
    TaskFactory(sr=sr, assignee=None, team=mine_team, kind=TaskKind.OVERDUE_MANAGER)
    TaskFactory(sr=ServiceRequestFactory(team=other_team), assignee=None, team=other_team, kind=TaskKind.OVERDUE_TL)
    TaskFactory(sr=sr, assignee=cara, done_at=at(date(2026, 12, 1)))

    assert list(open_tasks_for(cara)) == [own]
    assert list(open_tasks_for(tom)) == [team_task]
    assert open_task_count(cara) == 1
    with django_assert_max_num_queries(3):
        tasks = list(open_tasks_for(UserFactory.build(pk=cara.pk, username="again")))
        [t.sr.client.name for t in tasks]


def test_tasks_panel_shows_overdue_in_red(rf):
    sr = ServiceRequestFactory(reference="SR-2026-000777", client__region=Region.ENGLAND_AND_WALES)
    task = TaskFactory(sr=sr, kind=TaskKind.OVERDUE, title="Overdue: Response to the complaint")
    request = rf.get("/my-work/?per_page=50")
    table = TaskTable([task], csrf_token="token-1", next_url=request.get_full_path())
    html = render_to_string("sla/_tasks_panel.html", {"task_table": table, "request": request, "tasks_more": False})
    assert 'name="csrfmiddlewaretoken" value="token-1"' in html
    assert 'name="next" value="/my-work/?per_page=50"' in html
    assert "(1 open)" in html and "Your open tasks, overdue first" in html
    assert "govuk-tag--red" in html
    assert "/SR-2026-000777" in html or "SR-2026-000777" in html
    assert f"/deadlines/tasks/{task.pk}/done/" in html


def test_tasks_with_no_date_come_after_dated_ones(cara, team):
    """SQLite sorts NULLs first: a task with no date used to top the panel."""
    sr = ServiceRequestFactory(team=team, owner=cara)
    undated = TaskFactory(sr=sr, assignee=cara, due_on=None, title="Revise the plan")
    later = TaskFactory(sr=sr, assignee=cara, due_on=date(2027, 3, 1), title="Later")
    sooner = TaskFactory(sr=sr, assignee=cara, due_on=date(2027, 1, 4), title="Sooner")
    assert list(open_tasks_for(cara)) == [sooner, later, undated]


def test_an_overdue_alert_says_how_overdue_it_is_today(client, freeze, team, mona):
    """The manager's rung is raised at 5 working days overdue; read 9
    working days later it says 14, not "Overdue by 5 working days"."""
    freeze(date(2027, 1, 22))  # Friday
    sr = ServiceRequestFactory(team=team)
    clock = DeadlineClockFactory(sr=sr, due_on=date(2027, 1, 1), started_on=date(2026, 12, 1))
    TaskFactory(sr=sr, clock=clock, kind=TaskKind.OVERDUE_MANAGER, team=team, due_on=clock.due_on,
                title="Overdue by 5 working days: Response to the complaint")
    client.force_login(mona)
    page = client.get("/my-work/").content.decode()
    # Mon 4 Jan … Fri 22 Jan 2027: 15 working days after Fri 1 Jan.
    assert "Overdue by 15 working days: Response to the complaint" in page
    assert "Overdue by 5 working days" not in page


@pytest.mark.parametrize("roles", [[Role.CASEWORKER], [Role.TEAM_LEADER], [Role.MANAGER],
                                   [Role.TEAM_LEADER, Role.MANAGER], [Role.HEAD_OF_COMPLAINTS_REVIEW]])
def test_the_badge_counts_exactly_the_tasks_the_panel_lists(roles, django_assert_num_queries):
    """The badge's count (one statement of index-only counts) and the tasks
    panel's list agree for every role, over every kind of task."""
    mine, other = TeamFactory(name="Mine"), TeamFactory(name="Other")
    user = UserFactory(username="someone", roles=roles, teams=[mine])
    colleague = UserFactory(username="colleague", roles=[Role.CASEWORKER], teams=[mine])
    sr = ServiceRequestFactory(team=mine, owner=user)
    for team in (mine, other):
        for kind in TaskKind.values:
            for assignee in (user, colleague, None):
                TaskFactory(sr=sr, team=team, kind=kind, assignee=assignee)
            TaskFactory(sr=sr, team=team, kind=kind, assignee=None, role=Role.HEAD_OF_COMPLAINTS_REVIEW.value)
        TaskFactory(sr=sr, team=team, kind=TaskKind.OVERDUE, assignee=None, done_at=at(thu_24_dec_2026))
    user = type(user).objects.get(pk=user.pk)
    listed = len(list(open_tasks_for(user)))
    assert listed > 0
    user = type(user).objects.get(pk=user.pk)
    team_ids_and_roles = 1  # one statement (accounts.backends.read_access), shared with the rest of the page
    with django_assert_num_queries(1 + team_ids_and_roles):
        assert open_task_count(user) == listed


def test_a_team_leaders_badge_is_kept_and_counted_again_after_a_scan_or_a_completed_task(
        django_assert_num_queries):
    """The team part of the badge is read back while nothing changes in the
    team; the scan raising the team's rung, or a task done, shows at once."""
    from sla.scan import scan_deadlines
    from sla.services import complete_task

    team = TeamFactory(name="Mine")
    leader = UserFactory(username="lead", roles=[Role.TEAM_LEADER], teams=[team])
    sr = ServiceRequestFactory(team=team, owner=None)
    TaskFactory(sr=sr, team=team, kind=TaskKind.OVERDUE, assignee=None)
    assert open_task_count(leader) == 1
    with django_assert_num_queries(1):  # the user's own tasks only (teams and roles already read)
        assert open_task_count(leader) == 1
    DeadlineClockFactory(sr=sr, rule_code="resolution.response", due_on=date(2026, 12, 1))
    scan_deadlines(now=at(thu_31_dec_2026), today=thu_31_dec_2026)  # overdue (team) and the team leader's rung
    assert open_task_count(type(leader).objects.get(pk=leader.pk)) == 3
    task = sr.tasks.filter(kind=TaskKind.OVERDUE, clock__isnull=True).get()
    complete_task(task=task, actor=leader, now=at(thu_31_dec_2026))
    assert open_task_count(type(leader).objects.get(pk=leader.pk)) == 2


@pytest.mark.parametrize("roles", [[Role.CASEWORKER], [Role.TEAM_LEADER], [Role.MANAGER],
                                   [Role.TEAM_LEADER, Role.MANAGER], [Role.HEAD_OF_COMPLAINTS_REVIEW]])
def test_the_panel_lists_the_most_urgent_of_every_team_in_order(roles):
    """The panel's few (most_urgent_tasks: on PostgreSQL each team read in
    date order from its own index) are exactly the first of open_tasks_for,
    for a user in two teams with dated and undated tasks of every kind."""
    first, second = TeamFactory(name="First"), TeamFactory(name="Second")
    user = UserFactory(username="someone", roles=roles, teams=[first, second])
    n = 0
    for team in (first, second, TeamFactory(name="Not theirs")):
        sr = ServiceRequestFactory(team=team, owner=user)
        for kind in TaskKind.values:
            for assignee, role in ((user, ""), (None, ""), (None, Role.HEAD_OF_COMPLAINTS_REVIEW.value)):
                n += 1
                due = None if n % 7 == 0 else date(2027, 1, 1 + (n * 11) % 28)
                TaskFactory(sr=sr, team=team, kind=kind, assignee=assignee, role=role, due_on=due)
    user = type(user).objects.get(pk=user.pk)
    everything = list(open_tasks_for(user))
    assert len(everything) > 5
    for limit in (1, 3, 5, len(everything) + 2):
        user = type(user).objects.get(pk=user.pk)
        urgent = most_urgent_tasks(user, limit)
        assert [task["id"] for task in urgent] == [task.pk for task in everything[:limit]]
        assert all(task["sr_readable"] for task in urgent)


def test_my_work_has_one_csrf_token_and_the_tasks_panel_form_is_accepted(caseworker, resolution_team):
    """The tasks panel's forms carry the page's one CSRF token (masked once,
    accounts.http.page_csrf_token), and Django's CSRF check accepts it."""
    import re

    from django.test import Client
    from django.urls import reverse

    sr = ServiceRequestFactory(team=resolution_team, owner=caseworker)
    task = TaskFactory(sr=sr, assignee=caseworker, kind=TaskKind.OVERDUE, title="Overdue: Response")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(caseworker)
    page = browser.get(reverse("my-work")).content.decode()
    assert f"/deadlines/tasks/{task.pk}/done/" in page
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert len(tokens) >= 2 and len(set(tokens)) == 1  # the sign-out form's and the task's
    form_token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    done = browser.post(reverse("sla:task-done", args=[task.pk]),
                        {"csrfmiddlewaretoken": tokens[0], "next": "/my-work/", "form_token": form_token})
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.done_at is not None
