"""The transition framework: 409 outside the state, 403 for the wrong
user, stale forms refused without losing what was typed, and two
concurrent attempts on PostgreSQL: exactly one wins, one audit event."""

import threading
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import User
from complaints.models import CaseEvent, ServiceRequest
from complaints.services import NotAllowedInState, NotPermitted, StaleServiceRequest
from complaints.services.transitions import run_transition

from .helpers import allocate, new_sr, reload


@pytest.fixture
def sr(caseworker, resolution_team, client_person):
    return new_sr(actor=caseworker, team=resolution_team, client=client_person)


@pytest.mark.django_db
def test_not_allowed_in_state_is_409(client, sr, team_leader, caseworker):
    allocate(sr, tl=team_leader, owner=caseworker)
    client.force_login(team_leader)
    # Allocate again: the SR is no longer pending assignment.
    response = client.get(reverse("sr-transition", args=[sr.reference, "allocate"]))
    assert response.status_code == 409
    assert "cannot be done while the SR is In Progress" in response.content.decode()
    with pytest.raises(NotAllowedInState):
        run_transition(sr_id=sr.pk, actor=team_leader, name="allocate", expected_version=None,
                       data={"owner": caseworker})


@pytest.mark.django_db
def test_user_who_may_not_is_403(client, sr, caseworker, other_caseworker):
    client.force_login(caseworker)  # a caseworker cannot allocate
    assert client.get(reverse("sr-transition", args=[sr.reference, "allocate"])).status_code == 403
    before = reload(sr).version
    response = client.post(reverse("sr-transition", args=[sr.reference, "allocate"]),
                           {"version": before, "owner": other_caseworker.pk})
    assert response.status_code == 403
    assert reload(sr).state == "pending_assignment" and reload(sr).version == before
    with pytest.raises(NotPermitted):
        run_transition(sr_id=sr.pk, actor=caseworker, name="allocate", expected_version=None,
                       data={"owner": other_caseworker})


@pytest.mark.django_db
def test_unknown_transition_is_404(client, sr, team_leader):
    client.force_login(team_leader)
    assert client.get(reverse("sr-transition", args=[sr.reference, "explode"])).status_code == 404


@pytest.mark.django_db
def test_stale_form_is_refused_and_keeps_input(client, sr, team_leader, caseworker, other_caseworker):
    allocate(sr, tl=team_leader, owner=caseworker)
    loaded_version = reload(sr).version
    # Someone else moves the SR on after the caseworker loaded the form.
    run_transition(sr_id=sr.pk, actor=team_leader, name="reallocate", expected_version=loaded_version,
                   data={"owner": other_caseworker})
    client.force_login(team_leader)
    response = client.post(reverse("sr-transition", args=[sr.reference, "start_plan"]),
                           {"version": loaded_version, "note": "Spoke to the client about the plan"})
    body = response.content.decode()
    assert response.status_code == 409
    assert "changed by Tom Leader at" in body and "review and try again" in body
    assert "Spoke to the client about the plan" in body  # nothing the user typed is lost
    assert reload(sr).state == "in_progress"


@pytest.mark.django_db
def test_invalid_form_is_400_with_error_summary(client, sr, team_leader):
    client.force_login(team_leader)
    response = client.post(reverse("sr-transition", args=[sr.reference, "allocate"]), {"version": reload(sr).version})
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body and "Choose the caseworker to allocate the SR to" in body


@pytest.mark.django_db
def test_successful_transition_redirects_with_banner(client, sr, team_leader, caseworker):
    client.force_login(team_leader)
    response = client.post(reverse("sr-transition", args=[sr.reference, "allocate"]),
                           {"version": reload(sr).version, "owner": caseworker.pk}, follow=True)
    assert response.status_code == 200
    assert "govuk-notification-banner--success" in response.content.decode()
    assert reload(sr).owner == caseworker
    event = CaseEvent.objects.get(sr=sr, verb="allocate")
    assert (event.actor, event.from_state, event.to_state) == (team_leader, "pending_assignment", "in_progress")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are proven on PostgreSQL (CI)")
def test_two_concurrent_attempts_exactly_one_wins(caseworker, other_caseworker, team_leader, senior_leader,
                                                  resolution_team, client_person):
    sr = new_sr(actor=caseworker, team=resolution_team, client=client_person)
    version = ServiceRequest.objects.get(pk=sr.pk).version
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(actor: User, owner: Any) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            run_transition(sr_id=sr.pk, actor=actor, name="allocate", expected_version=version,
                           data={"owner": owner})
            outcomes.append("won")
        except (StaleServiceRequest, NotAllowedInState):
            outcomes.append("refused")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=attempt, args=(team_leader, caseworker)),
               threading.Thread(target=attempt, args=(senior_leader, other_caseworker))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["refused", "won"]
    assert CaseEvent.objects.filter(sr=sr, verb="allocate").count() == 1
    assert ServiceRequest.objects.get(pk=sr.pk).version == version + 1


def test_no_transition_is_shadowed_by_a_field():
    """A transition named like a model field (say gateway_passed) is hidden
    by the instance's value of that field and cannot run."""
    from complaints.models import ServiceRequest
    from complaints.routes import REGISTRY
    from complaints.services.transitions import all_transitions

    fields = {f.attname for f in ServiceRequest._meta.concrete_fields} | {f.name for f in ServiceRequest._meta.fields}
    for route in REGISTRY:
        names = set(all_transitions(ServiceRequest(route=route)))
        assert names, route
        assert not names & fields, f"{route}: transitions named like fields: {sorted(names & fields)}"
