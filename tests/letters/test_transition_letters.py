"""A transition that requires a letter (custom={"letter": CODE}) shows the
composition form on its page and issues the letter in its transaction."""

from django.urls import reverse

from complaints.models import CaseEvent
from letters.models import IssuedLetter
from tests.platform.helpers import allocate, new_sr, reload


def test_closing_a_resolution_sr_issues_the_outcome_letter_from_the_transition_page(
    client, caseworker, team_leader, resolution_team, client_person, django_capture_on_commit_callbacks
):
    sr = allocate(new_sr(actor=caseworker, team=resolution_team, client=client_person), tl=team_leader,
                  owner=caseworker)
    assert IssuedLetter.objects.filter(sr=sr, template_code="RES-ACK").exists()  # on allocation, no input
    client.force_login(caseworker)
    url = reverse("sr-transition", args=[sr.reference, "close_no_action"])
    page = client.get(url).content.decode()
    assert "RES-OUTCOME – Our response to your complaint" in page
    assert 'name="letter-text_what_we_have_done"' in page and "(optional)" in page
    assert reverse("letters:preview", args=[sr.reference]) in page

    version = reload(sr).version
    response = client.post(url, {"version": version, "letter-language": "en", "letter-text_what_we_have_done": ""})
    assert response.status_code in (200, 400)
    assert "Write the “What we have done” section of the letter" in response.content.decode()
    assert reload(sr).state == "in_progress"

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(url, {"version": version, "letter-language": "en",
                                     "letter-text_what_we_have_done": "We found the payments were recorded late."})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert reload(sr).state == "closed"
    letter = IssuedLetter.objects.get(sr=sr, template_code="RES-OUTCOME")
    assert letter.composition["free_text"]["what_we_have_done"] == "We found the payments were recorded late."
    event = CaseEvent.objects.get(sr=sr, verb="letter_issued", details__letter_id=letter.pk)
    assert event.details["template_code"] == "RES-OUTCOME"
