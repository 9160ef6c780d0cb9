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


# --- who may see which client (README, security; selectors.client_for_intake) ---

INTAKE = {"route": "resolution", "received_on_day": "20", "received_on_month": "11", "received_on_year": "2026",
          "referrer": "client", "details": "Payments missing from the statement.", "language": "en"}
# Without the complaint's details the form never saves: the probe changes nothing.
PROBE = {k: v for k, v in INTAKE.items() if k != "details"}
UNKNOWN_NUMBER = "9990001112"
CLIENT_SEE = {"owner", "colleague", "tl"}   # may see an SR of the client: the team, for an ordinary SR
CONFIDENTIAL_CLIENT_SEE = {"owner", "tl"}  # the grants, for a confidential one


def _comparable(body: str, number: str) -> str:
    """The page with what legitimately differs between two requests taken
    out: the CSRF and form tokens (fresh each time) and the number typed."""
    import re

    body = re.sub(r'name="(csrfmiddlewaretoken|form_token)" value="[^"]+"', "", body)
    return body.replace(number, "NUMBER")


@pytest.mark.parametrize("confidential", [False, True], ids=["ordinary", "confidential"])
def test_a_case_number_discloses_its_client_only_to_those_who_may_see_an_sr_of_it(
        client, people, resolution_team, client_person, confidential):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    owner, tl = people["owner"], people["tl"]
    allocate(new_sr(actor=tl, team=resolution_team, client=client_person, confidential=confidential),
             tl=tl, owner=owner)
    may_see = CONFIDENTIAL_CLIENT_SEE if confidential else CLIENT_SEE
    for role in ("owner", "colleague", "tl", "outsider"):
        user = people[role]
        client.force_login(user)
        team = user.memberships.first().team
        data = {**PROBE, "team": team.pk, "route": team.route}
        client.post(reverse("sr-new"), {**data, "case_number": UNKNOWN_NUMBER})  # session writes settle
        with CaptureQueriesContext(connection) as known:
            on_file = client.post(reverse("sr-new"), {**data, "case_number": client_person.case_number})
        with CaptureQueriesContext(connection) as unknown:
            new = client.post(reverse("sr-new"), {**data, "case_number": UNKNOWN_NUMBER})
        assert new.status_code == 400 and "(this case number is new)" in new.content.decode()
        if role in may_see:
            # They work a complaint of this client: the held details are used.
            assert on_file.status_code == 400, role
            assert "(this case number is new)" not in on_file.content.decode(), role
        else:
            # Exactly the answer for a number nobody recorded, from the same queries.
            assert on_file.status_code == 400, role
            assert (_comparable(on_file.content.decode(), client_person.case_number)
                    == _comparable(new.content.decode(), UNKNOWN_NUMBER)), role
            assert len(known.captured_queries) == len(unknown.captured_queries), role
            assert client_person.name not in on_file.content.decode()


def test_typing_a_hidden_clients_number_records_what_was_typed_and_search_finds_nothing_more(
        client, people, resolution_team, other_team, client_person):
    """The outsider records an SR with a confidential SR's client's case
    number: their SR gets a client record of what they typed; neither its
    page nor search shows what we hold."""
    from complaints.models import ServiceRequest

    tl, owner, outsider = people["tl"], people["owner"], people["outsider"]
    client_person.name = "Jenny Held"  # (the search page's hint names a "Jane Smith")
    client_person.save(update_fields=["name"])
    held = allocate(new_sr(actor=tl, team=resolution_team, client=client_person, confidential=True), tl=tl,
                    owner=owner)
    client.force_login(outsider)
    response = client.post(reverse("sr-new"), {
        **INTAKE, "route": "ice", "team": other_team.pk, "case_number": client_person.case_number,
        "client_name": "Typed Person", "address_line_1": "9 Typed Street", "town": "York", "postcode": "YO1 7HH",
        "region": "england-and-wales"})
    assert response.status_code == 302
    mine = ServiceRequest.objects.exclude(pk=held.pk).get()
    assert mine.client_id != client_person.pk and mine.client.name == "Typed Person"
    page = client.get(reverse("case-detail", args=[mine.reference])).content.decode()
    assert "Typed Person" in page and client_person.name not in page
    assert client_person.address_line_1 not in page
    found = {query: [(row.record.reference, row.record.client.name)
                     for row in client.get(reverse("search"), {"q": query}).context["table"].rows]
             for query in (client_person.case_number, client_person.name, held.reference)}
    assert found == {client_person.case_number: [(mine.reference, "Typed Person")], client_person.name: [],
                     held.reference: []}
    client_person.refresh_from_db()
    assert client_person.name == "Jenny Held"  # what we held is untouched
