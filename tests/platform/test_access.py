"""Access rules: own team visible, other team 404, confidential hidden
without a guardian grant, every confidential view logged."""

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from complaints.models import CaseEvent
from complaints.selectors import visible_service_requests

from .helpers import new_sr

pytestmark = pytest.mark.django_db


def test_own_team_sr_is_visible(client, caseworker, resolution_team, client_person):
    sr = new_sr(actor=caseworker, team=resolution_team, client=client_person)
    client.force_login(caseworker)
    response = client.get(reverse("case-detail", args=[sr.reference]))
    assert response.status_code == 200
    assert sr.reference in response.content.decode()


def test_other_team_sr_is_404(client, caseworker, outsider, resolution_team, client_person):
    sr = new_sr(actor=caseworker, team=resolution_team, client=client_person)
    client.force_login(outsider)
    assert client.get(reverse("case-detail", args=[sr.reference])).status_code == 404
    assert client.get(reverse("sr-transition", args=[sr.reference, "withdraw"])).status_code == 404
    assert client.post(reverse("sr-note-add", args=[sr.reference]), {"text": "x"}).status_code == 404
    assert sr not in visible_service_requests(outsider)
    assert not client.get(reverse("search"), {"q": sr.reference}).context["table"].rows


def test_confidential_sr_hidden_without_grant(client, caseworker, other_caseworker, team_leader, resolution_team,
                                              client_person):
    sr = new_sr(actor=team_leader, team=resolution_team, client=client_person, confidential=True)
    # The team leader who recorded it keeps access; a colleague in the same team does not.
    client.force_login(other_caseworker)
    assert client.get(reverse("case-detail", args=[sr.reference])).status_code == 404
    assert sr not in visible_service_requests(other_caseworker)
    assign_perm("complaints.view_servicerequest", other_caseworker, sr)
    assert sr in visible_service_requests(other_caseworker)
    assert client.get(reverse("case-detail", args=[sr.reference])).status_code == 200


def test_confidential_view_is_logged(client, team_leader, resolution_team, client_person):
    sr = new_sr(actor=team_leader, team=resolution_team, client=client_person, confidential=True)
    client.force_login(team_leader)
    client.get(reverse("case-detail", args=[sr.reference]))
    client.get(reverse("case-detail", args=[sr.reference]))
    views = CaseEvent.objects.filter(sr=sr, verb="confidential_viewed", actor=team_leader)
    assert views.count() == 2


def test_unknown_reference_is_404_not_error(client, caseworker):
    client.force_login(caseworker)
    assert client.get(reverse("case-detail", args=["SR-9999-999999"])).status_code == 404
    assert client.get("/sr/%3Cscript%3E/").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, caseworker, resolution_team, client_person):
    sr = new_sr(actor=caseworker, team=resolution_team, client=client_person)
    response = client.get(reverse("case-detail", args=[sr.reference]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_team_queue_is_for_team_leaders_only(client, caseworker):
    client.force_login(caseworker)
    assert client.get(reverse("team-queue")).status_code == 403


def test_related_and_child_srs_of_other_teams_are_not_shown(caseworker, other_team, resolution_team, client_person):
    from complaints.selectors import children, related
    from tests.factories import ServiceRequestFactory, SRLinkFactory

    sr = new_sr(actor=caseworker, team=resolution_team, client=client_person)
    ours = ServiceRequestFactory(team=resolution_team, client=client_person)
    theirs = ServiceRequestFactory(team=other_team, client=client_person)
    hidden = ServiceRequestFactory(team=resolution_team, client=client_person, confidential=True)
    SRLinkFactory(from_sr=sr, to_sr=ours, reason="Same payments")
    SRLinkFactory(from_sr=theirs, to_sr=sr, reason="ICE referral")
    SRLinkFactory(from_sr=hidden, to_sr=sr, reason="About a member of staff")
    ServiceRequestFactory(team=other_team, client=client_person, parent=sr)
    kid = ServiceRequestFactory(team=resolution_team, client=client_person, parent=sr)
    assert related(caseworker, sr) == [(ours, "Same payments")]
    assert children(caseworker, sr) == [kid]
    assign_perm("complaints.view_servicerequest", caseworker, hidden)
    fresh = type(caseworker).objects.get(pk=caseworker.pk)  # permission caches are per instance
    assert [other for other, _ in related(fresh, sr)] == [ours, hidden]
