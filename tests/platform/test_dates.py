"""Every date a user can enter is a real date the working-day calendar can
compute with, and a wrong one gets one GOV.UK message at its field (a
received date before 2000 was a server error; day 99999999999999999999 was
an OverflowError; '٣' was read as 3; an extension past 2075 was accepted
and then broke every page showing the SR's deadlines)."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from complaints.fields import ascii_int
from complaints.models import Client, ServiceRequest
from complaints.services.errors import ServiceError
from sla.models import DeadlineClock
from sla.services import extend_clock, start_clock
from tests.factories import ServiceRequestFactory

from .helpers import allocate, field_errors, intake_form, new_sr, reload

pytestmark = pytest.mark.django_db

TODAY = "2026-11-23 10:00:00+00:00"






@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(("day", "month", "year", "message"), [
    ("31", "12", "1999", "Date received must be the same as or after 1 January 2000"),
    ("99999999999999999999", "1", "2026", "Date received must be a real date"),
    ("1", "99999999999999999999", "2026", "Date received must be a real date"),
    ("٣", "11", "2026", "Date received must be a real date"),
    ("²", "11", "2026", "Date received must be a real date"),
    ("-1", "11", "2026", "Date received must be a real date"),
    ("30", "2", "2026", "Date received must be a real date"),
    ("1", "1", "26", "Date received must be a real date"),
    ("1", "1", "99999", "Date received must be a real date"),
    ("24", "11", "2026", "Date received must be today or in the past"),
    ("", "", "", "Enter the date received"),
    ("20", "", "2026", "Date received must include a month"),
    ("", "11", "", "Date received must include a day and year"),
])
def test_received_date_is_checked_with_one_message(client, caseworker, resolution_team, day, month, year, message):
    client.force_login(caseworker)
    response = client.post(reverse("sr-new"), intake_form(
        resolution_team, received_on_day=day, received_on_month=month, received_on_year=year))
    assert response.status_code == 400
    assert field_errors(response, "received_on") == [message]
    assert not ServiceRequest.objects.exists() and not Client.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_case_closed_date_cannot_be_in_the_future(client, caseworker, resolution_team):
    client.force_login(caseworker)
    response = client.post(reverse("sr-new"), intake_form(
        resolution_team, case_closed_on_day="1", case_closed_on_month="1", case_closed_on_year="2027"))
    assert response.status_code == 400
    assert field_errors(response, "case_closed_on") == [
        "Date the child maintenance case closed must be today or in the past"]
    assert not ServiceRequest.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_an_sr_received_before_the_calendar_starts_is_refused_by_the_service(caseworker, resolution_team,
                                                                            client_person):
    # Belt and braces: a deadline the calendar cannot compute is a clear
    # refusal from the service too, not an error page.
    with pytest.raises(ServiceError, match="calendar covers"):
        new_sr(actor=caseworker, team=resolution_team, client=client_person, received_on=date(1999, 12, 31))
    assert not ServiceRequest.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_an_extension_past_the_calendar_is_refused_and_the_pages_keep_working(
        client, caseworker, team_leader, resolution_team, client_person):
    sr = allocate(new_sr(actor=caseworker, team=resolution_team, client=client_person), tl=team_leader,
                  owner=caseworker)
    clock = DeadlineClock.objects.get(sr=sr)
    due = clock.due_on
    client.force_login(team_leader)
    url = reverse("sla:extend-clock", args=[clock.pk])
    for year in ("2076", "2080", "9999"):
        response = client.post(url, {"extended_to_day": "1", "extended_to_month": "1", "extended_to_year": year,
                                     "reason": "PHSO agreed a new date"})
        assert response.status_code == 200
        assert list(response.context["form"].errors["extended_to"]) == [
            "New due date must be the same as or before 31 December 2074"]
    clock.refresh_from_db()
    assert clock.due_on == due
    with pytest.raises(ServiceError):
        extend_clock(sr=sr, rule_code=clock.rule.code, actor=team_leader, now=clock.created_at,
                     extended_to=date(2080, 1, 1), reason="Agreed")
    for page in (reverse("my-work"), reverse("case-detail", args=[sr.reference]),
                 reverse("search") + f"?q={sr.reference}", reverse("sla:clock-list") + "?bucket=open"):
        client.force_login(team_leader if "deadlines" in page else caseworker)
        assert client.get(page).status_code == 200, page


@time_machine.travel(TODAY, tick=False)
def test_a_start_date_outside_the_calendar_is_a_service_error(caseworker, resolution_team):
    sr = ServiceRequestFactory(team=resolution_team, route="resolution")
    with pytest.raises(ServiceError, match="calendar covers"):
        start_clock(sr=sr, rule_code="resolution.response", actor=caseworker, now=reload(sr).created_at,
                    started_on=date(1999, 12, 31))


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "2026-99-99", "٢٠٢٦-١١-٢٣"])
def test_the_met_week_filter_of_the_deadline_list(client, team_leader, week):
    client.force_login(team_leader)
    assert client.get(reverse("sla:clock-list"), {"bucket": "met_on_time", "met_week": week}).status_code == 200


@pytest.mark.parametrize(("text", "number"), [
    ("12", 12), (" 7 ", 7), ("0", 0), ("²", None), ("٣", None), ("-1", None), ("1.5", None), ("", None),
    ("9" * 19, None), (None, None), ("1e3", None),
])
def test_ascii_int(text, number):
    assert ascii_int(text) == number


@time_machine.travel(TODAY, tick=False)
def test_a_deadline_stored_past_the_calendar_breaks_no_page(client, caseworker, team_leader, resolution_team,
                                                           client_person):
    """A date stored before dates were checked (an extension to 2080) must
    not take down every page of the team: it is shown without a count of
    working days, and can be worked on."""
    from sla.models import Task, TaskKind

    sr = allocate(new_sr(actor=caseworker, team=resolution_team, client=client_person, dg_caselist=True),
                  tl=team_leader, owner=caseworker)
    clock = DeadlineClock.objects.get(sr=sr)
    DeadlineClock.objects.filter(pk=clock.pk).update(due_on=date(2080, 1, 1), extended_to=date(2080, 1, 1))
    ServiceRequest.objects.filter(pk=sr.pk).update(next_due_on=date(2080, 1, 1))  # as stored then
    Task.objects.create(key="test:far", sr=sr, clock=clock, kind=TaskKind.OVERDUE, title="Overdue: x",
                        assignee=caseworker, team=resolution_team, due_on=date(1999, 1, 4), created_at=clock.created_at)
    client.force_login(caseworker)
    for url in (reverse("my-work"), reverse("case-detail", args=[sr.reference]),
                reverse("search") + f"?q={sr.reference}&sort=next_due_on"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "due Mon 1 Jan 2080" in client.get(reverse("my-work")).content.decode()
    client.force_login(team_leader)
    for url in (reverse("sla:clock-list") + "?bucket=open", reverse("sla:clock-list") + "?export=csv",
                reverse("sla:dg-caselist"), reverse("sla:dg-caselist") + "?export=csv", reverse("sla:dashboard")):
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        assert response.status_code == 200, url
