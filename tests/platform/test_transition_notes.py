"""A step's note belongs to the step: it is saved inside the transition's
transaction, once, even when the step closes the SR (it used to be added by
the view after the commit, which a closed SR refused: a server error, and
the note was lost). The timeline shows it once, without internal ids."""

from typing import Any

import pytest
from django.urls import reverse

from accounts.roles import Role
from complaints.models import CaseEvent, Note, Referrer, ServiceRequest
from tests.factories import UserFactory

from .helpers import allocate, new_sr, reload

pytestmark = pytest.mark.django_db


def _post(client: Any, sr: ServiceRequest, name: str, **fields: Any):
    return client.post(reverse("sr-transition", args=[sr.reference, name]), {"version": reload(sr).version, **fields})


def _note_shown_once(client: Any, sr: ServiceRequest, text: str) -> str:
    page = client.get(reverse("case-detail", args=[sr.reference])).content.decode()
    timeline = page.split('id="timeline"', 1)[1].split('id="notes"', 1)[0]
    assert timeline.count(text) == 1, timeline
    assert "Note id" not in page and "note_id" not in page
    notes_tab = page.split('id="notes"', 1)[1]
    assert notes_tab.count(text) == 1
    return page


def test_withdrawing_keeps_its_note_and_closes_the_sr(client, caseworker, team_leader, resolution_team,
                                                      client_person):
    sr = allocate(new_sr(actor=caseworker, team=resolution_team, client=client_person), tl=team_leader,
                  owner=caseworker)
    client.force_login(caseworker)
    response = _post(client, sr, "withdraw", note="The client phoned to withdraw the complaint.")
    assert response.status_code == 302
    sr = reload(sr)
    assert sr.state == "closed" and sr.get_resolution_code_display() == "Complaint Withdrawn"
    note = Note.objects.get(sr=sr)
    assert note.text == "The client phoned to withdraw the complaint." and note.author == caseworker
    # Recorded once: with the step, not as a second "note added" event.
    assert not CaseEvent.objects.filter(sr=sr, verb="note_added").exists()
    assert CaseEvent.objects.get(sr=sr, verb="withdraw").details["note"] == note.text
    _note_shown_once(client, sr, "The client phoned to withdraw the complaint.")


def test_a_closing_step_with_a_letter_and_a_note(client, caseworker, team_leader, resolution_team, client_person):
    sr = allocate(new_sr(actor=caseworker, team=resolution_team, client=client_person), tl=team_leader,
                  owner=caseworker)
    client.force_login(caseworker)
    response = _post(client, sr, "close_no_action", note="Explained the decision by phone.",
                     **{"letter-language": "en",
                        "letter-text_what_we_have_done": "We checked your payments: they were right."})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert reload(sr).state == "closed"
    assert list(Note.objects.filter(sr=sr).values_list("text", flat=True)) == ["Explained the decision by phone."]
    _note_shown_once(client, sr, "Explained the decision by phone.")


def test_ice_gateway_failed_and_a_document_from_ice_keep_their_notes(client, other_team, resolution_team,
                                                                    client_person):
    ice_worker = UserFactory(username="ian", first_name="Ian", last_name="Murray", roles=[Role.CASEWORKER],
                             teams=[other_team])
    ice_leader = UserFactory(username="tess", first_name="Tess", last_name="Walker", roles=[Role.TEAM_LEADER],
                             teams=[other_team])
    client.force_login(ice_worker)
    failed = allocate(new_sr(actor=ice_worker, team=other_team, client=client_person, route="ice",
                             referrer=Referrer.ICE), tl=ice_leader, owner=ice_worker)
    response = _post(client, failed, "fail_gateway", note="Not raised with the review team first.",
                     ice_reference="ICE-9", contacted_ice_on_day="20", contacted_ice_on_month="10",
                     contacted_ice_on_year="2026", fig_received_on_day="2", fig_received_on_month="11",
                     fig_received_on_year="2026", **{"letter-language": "en"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert reload(failed).state == "closed"
    _note_shown_once(client, failed, "Not raised with the review team first.")

    passed = allocate(new_sr(actor=ice_worker, team=other_team, client=client_person, route="ice",
                             referrer=Referrer.ICE), tl=ice_leader, owner=ice_worker)
    assert _post(client, passed, "pass_gateway", ice_reference="ICE-10", client_gave_copy="on").status_code == 302
    assert _post(client, passed, "resolution_plan_received", note="The questions came by e-mail.",
                 received_on_day="2", received_on_month="11", received_on_year="2026").status_code == 302
    assert reload(passed).state == "resolution_reply"
    _note_shown_once(client, passed, "The questions came by e-mail.")


def test_a_step_without_a_note_adds_none(client, caseworker, team_leader, resolution_team, client_person):
    sr = allocate(new_sr(actor=caseworker, team=resolution_team, client=client_person), tl=team_leader,
                  owner=caseworker)
    client.force_login(caseworker)
    assert _post(client, sr, "start_plan", note="   ").status_code == 302
    assert not Note.objects.filter(sr=sr).exists()


def test_a_note_added_on_its_own_shows_no_internal_id(client, caseworker, team_leader, resolution_team,
                                                      client_person):
    sr = allocate(new_sr(actor=caseworker, team=resolution_team, client=client_person), tl=team_leader,
                  owner=caseworker)
    client.force_login(caseworker)
    client.post(reverse("sr-note-add", args=[sr.reference]), {"text": "Called the client back."})
    page = client.get(reverse("case-detail", args=[sr.reference])).content.decode()
    assert "Note added" in page and "Note id" not in page
