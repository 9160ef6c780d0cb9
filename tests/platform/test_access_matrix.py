"""The role × view × object access matrix (DESIGN §9), generated: every
role against every SR-scoped view, for an ordinary SR of the team and a
confidential one. Nobody learns an SR exists unless they may see it (404),
seeing is not acting (403), and sign-in comes first (302)."""

import pytest
from django.urls import reverse

from tests.factories import IssuedLetterFactory

from .helpers import allocate, new_sr

pytestmark = pytest.mark.django_db

ROLES = ["owner", "colleague", "tl", "manager", "outsider", "anonymous"]
SEE = {"owner", "colleague", "tl", "manager"}          # the team's members see its ordinary SRs
WORK = {"owner", "tl"}                                 # the owner and the team leader act on it
NOTE = {"owner", "colleague", "tl"}                    # caseworkers of the team add notes
CONFIDENTIAL_SEE = {"tl", "owner"}                     # the recorder and the owner hold grants

# view -> (method, url builder, who may use it on an ordinary SR, status for them)
VIEWS = {
    "case page": ("get", lambda sr, letter: reverse("case-detail", args=[sr.reference]), SEE, 200),
    "transition form": ("get", lambda sr, letter: reverse("sr-transition", args=[sr.reference, "withdraw"]),
                        WORK, 200),
    "send a letter": ("get", lambda sr, letter: reverse("letters:send", args=[sr.reference]), WORK, 200),
    "add a note": ("post", lambda sr, letter: reverse("sr-note-add", args=[sr.reference]), NOTE, 302),
    "issued letter": ("get", lambda sr, letter: reverse("letters:issued", args=[letter.pk]), SEE, 200),
}


@pytest.fixture
def people(caseworker, other_caseworker, team_leader, manager, outsider):
    return {"owner": caseworker, "colleague": other_caseworker, "tl": team_leader, "manager": manager,
            "outsider": outsider, "anonymous": None}


def expected(view: str, role: str, confidential: bool) -> int:
    _, _, allowed, ok = VIEWS[view]
    if role == "anonymous":
        return 302  # to the sign-in page
    visible = role in (CONFIDENTIAL_SEE if confidential else SEE)
    if not visible:
        return 404
    return ok if role in allowed else 403


@pytest.mark.parametrize("confidential", [False, True], ids=["ordinary", "confidential"])
@pytest.mark.parametrize("view", list(VIEWS))
def test_access_matrix(client, people, resolution_team, client_person, view, confidential):
    owner, tl = people["owner"], people["tl"]
    sr = allocate(new_sr(actor=tl, team=resolution_team, client=client_person, confidential=confidential),
                  tl=tl, owner=owner)
    letter = IssuedLetterFactory(sr=sr, issued_by=owner)
    method, url_for, _, _ = VIEWS[view]
    url = url_for(sr, letter)
    got = {}
    for role in ROLES:
        client.logout()
        if people[role] is not None:
            client.force_login(people[role])
        response = getattr(client, method)(url, {"text": "Spoke to the client."} if method == "post" else None)
        got[role] = response.status_code
        if role == "anonymous":
            assert reverse("login") in response["Location"]
    want = {role: expected(view, role, confidential) for role in ROLES}
    assert got == want
