"""Team queue bulk allocation, search, the workflow description."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from casework.workflows import markdown
from complaints.models import ServiceRequest

from .helpers import new_sr

pytestmark = pytest.mark.django_db


def test_bulk_allocation_from_team_queue(client, caseworker, team_leader, resolution_team, client_person):
    srs = [new_sr(actor=caseworker, team=resolution_team, client=client_person) for _ in range(3)]
    client.force_login(team_leader)
    page = client.get(reverse("team-queue")).content.decode()
    assert all(sr.reference in page for sr in srs)
    response = client.post(reverse("team-queue"), {"srs": [srs[0].pk, srs[1].pk], "owner": caseworker.pk},
                           follow=True)
    assert "Allocated 2 SRs to Cara Caseworker" in response.content.decode()
    states = dict(ServiceRequest.objects.values_list("pk", "state"))
    assert states[srs[0].pk] == states[srs[1].pk] == "in_progress"
    assert states[srs[2].pk] == "pending_assignment"


def test_bulk_allocation_needs_a_selection_and_a_caseworker(client, caseworker, team_leader, resolution_team,
                                                            client_person):
    sr = new_sr(actor=caseworker, team=resolution_team, client=client_person)
    client.force_login(team_leader)
    response = client.post(reverse("team-queue"), {"owner": caseworker.pk}, follow=True)
    assert "Select at least one SR" in response.content.decode()
    response = client.post(reverse("team-queue"), {"srs": [sr.pk], "owner": "abc"}, follow=True)
    assert "Choose the caseworker" in response.content.decode()
    assert ServiceRequest.objects.get(pk=sr.pk).state == "pending_assignment"


def test_allocation_to_someone_outside_the_team_is_refused(client, caseworker, team_leader, outsider,
                                                           resolution_team, client_person):
    sr = new_sr(actor=caseworker, team=resolution_team, client=client_person)
    client.force_login(team_leader)
    response = client.post(reverse("team-queue"), {"srs": [sr.pk], "owner": outsider.pk}, follow=True)
    assert "is not a caseworker in" in response.content.decode()
    assert ServiceRequest.objects.get(pk=sr.pk).owner is None


@pytest.mark.parametrize("field", ["reference", "case_number", "name"])
def test_search_by_reference_case_number_or_name(client, caseworker, resolution_team, client_person, field):
    sr = new_sr(actor=caseworker, team=resolution_team, client=client_person)
    query = {"reference": sr.reference, "case_number": "1234567890", "name": "jane smi"}[field]
    client.force_login(caseworker)
    response = client.get(reverse("search"), {"q": query})
    assert sr.reference in response.content.decode()


def test_my_work_filters(client, caseworker, team_leader, resolution_team, client_person):
    from .helpers import allocate

    sr = allocate(new_sr(actor=caseworker, team=resolution_team, client=client_person), tl=team_leader,
                  owner=caseworker)
    client.force_login(caseworker)
    assert sr.reference in client.get(reverse("my-work"), {"status": "In Progress"}).content.decode()
    assert sr.reference not in client.get(reverse("my-work"), {"status": "Wait"}).content.decode()
    assert sr.reference not in client.get(reverse("my-work"), {"region": "scotland"}).content.decode()
    # Bad filter input is a message, not an error.
    assert client.get(reverse("my-work"), {"route": "nonsense", "per_page": "x", "page": "zz"}).status_code in (200, 404)


def test_describe_workflows_json(capsys):
    call_command("describe_workflows", "--json")
    data = json.loads(capsys.readouterr().out)
    resolution = data["resolution"]
    states = {s["state"]: s for s in resolution["states"]}
    assert states["pending_tl_approval"]["sub_status"] == "Pending TL Approval"
    names = {t["name"]: t for t in resolution["transitions"]}
    assert names["allocate"]["who"] == "Team Leader"
    assert names["allocate"]["sources"] == ["pending_assignment"]
    assert names["submit_for_approval"]["target"] == "pending_tl_approval"
    assert names["submit_plan"]["target"] == "awaiting_client_agreement"
    # What each step does, from its declaration.
    assert names["allocate"]["letter"] == "RES-ACK"
    assert names["allocate"]["clocks_started"] == [{"rule": "resolution.response", "from": "the date received"}]
    assert names["submit_plan"]["clocks_met"] == ["resolution.response"]
    review = {t["name"]: t for t in data["review"]["transitions"]}
    assert review["client_not_reached"]["tasks_raised"][0]["assignee"] == "owner"
    fig = {t["name"]: t for t in data["ice"]["transitions"]}["fail_gateway"]["raises_sr"]
    assert fig["steps"] == [{"start_clock": {"rule": "ice.fig_resolution", "from": "the date the FIG arrived"}}]


def test_the_workflow_page_is_current():
    """docs/workflows.md is generated from the declarations: regenerate it
    (describe_workflows --write docs/workflows.md) when a route changes."""
    page = Path(settings.BASE_DIR) / "docs" / "workflows.md"
    assert page.read_text(encoding="utf-8") == markdown(), "run: manage.py describe_workflows --write docs/workflows.md"


@pytest.mark.parametrize("owner", ["²", "٣", "-1", "99999999999999999999", " "])
def test_bulk_allocation_refuses_ids_that_are_not_plain_numbers(client, caseworker, team_leader, resolution_team,
                                                                client_person, owner):
    sr = new_sr(actor=caseworker, team=resolution_team, client=client_person)
    client.force_login(team_leader)
    response = client.post(reverse("team-queue"), {"srs": [sr.pk, "²", "٣"], "owner": owner}, follow=True)
    assert response.status_code == 200
    assert "Choose the caseworker" in response.content.decode()
    response = client.post(reverse("team-queue"), {"srs": ["²", "٣"], "owner": caseworker.pk}, follow=True)
    assert "Select at least one SR" in response.content.decode()
    assert ServiceRequest.objects.get(pk=sr.pk).owner is None


def test_team_queue_offers_each_team_only_its_caseworkers(client, team_leader, resolution_team, review_team):
    from accounts.roles import Role
    from tests.factories import UserFactory

    UserFactory(username="rhian", first_name="Rhian", last_name="Evans", roles=[Role.CASEWORKER],
                teams=[review_team])
    UserFactory(username="colin", first_name="Colin", last_name="Reid", roles=[Role.CASEWORKER],
                teams=[resolution_team])
    UserFactory(username="mo", first_name="Mo", last_name="Manager", roles=[Role.MANAGER], teams=[resolution_team])
    client.force_login(team_leader)
    response = client.get(reverse("team-queue"))
    groups = {team: [u.display_name for u in users] for team, users in response.context["caseworkers_by_team"]}
    assert groups == {"Complaints resolution team": ["Colin Reid"], "Complaints review team": ["Rhian Evans"]}
    page = response.content.decode()
    assert '<optgroup label="Complaints resolution team">' in page
    # Everything in the queue is Pending Assignment: no status filter.
    assert "status" not in response.context["filter"].form.fields
    assert "Any status" not in page


def test_my_work_status_filter_offers_open_statuses_only(client, caseworker):
    client.force_login(caseworker)
    choices = [label for _, label in client.get(reverse("my-work")).context["filter"].form.fields["status"].choices]
    assert "Closed" not in choices and "In Progress" in choices and "Wait" in choices
