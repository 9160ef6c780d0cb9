"""Every state-changing form acts once, however often it is sent: a double
click, a resubmission, or several copies arriving at the same moment
(complaints.idempotency). Before, three simultaneous sends of "Send a
letter" issued three letters."""

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from complaints.idempotency import KEEP_FOR
from complaints.models import FormSubmission, Note, ServiceRequest
from complaints.tasks import purge_form_submissions_task
from letters.models import IssuedLetter, LetterTemplate
from tests.factories import FormSubmissionFactory
from tests.letters.factories import sr_for
from tests.platform.helpers import allocate, new_sr

TOKEN = re.compile(r'name="form_token" value="([0-9a-f-]{36})"')


def form_token(page: str) -> str:
    return TOKEN.search(page).group(1)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any):
        return None


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the live server shares one in-memory SQLite connection across threads: PostgreSQL (CI)")
def test_three_simultaneous_sends_of_one_letter_form_issue_one_letter(live_server, client, review_team, caseworker):
    sr = sr_for(LetterTemplate.objects.get(code="CMSL5807"), team=review_team, owner=caseworker)
    client.force_login(caseworker)
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    opener.addheaders = [("Cookie", f"sessionid={client.cookies['sessionid'].value}")]
    send = f"{live_server.url}{reverse('letters:send', args=[sr.reference])}"
    with opener.open(f"{send}?template=CMSL5807", timeout=30) as response:
        page = response.read().decode()
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    body = urllib.parse.urlencode({
        "csrfmiddlewaretoken": csrf, "form_token": form_token(page), "template": "CMSL5807",
        "letter-language": "en", "letter-choice_outcome": "TM_09173",
        "letter-text_update": "A senior member of the team reviewed your complaint.",
    }).encode()
    barrier, outcomes = threading.Barrier(3), []

    def post() -> None:
        request = urllib.request.Request(send, data=body, headers={
            "Cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}"})
        barrier.wait(timeout=10)
        try:
            with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as response:
                outcomes.append((response.status, ""))
        except urllib.error.HTTPError as error:
            outcomes.append((error.code, error.headers.get("Location", "")))

    threads = [threading.Thread(target=post) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)
    letters = list(IssuedLetter.objects.filter(sr=sr))
    assert len(letters) == 1
    issued = reverse("letters:issued", args=[letters[0].pk])
    # Every copy ends on the one letter's page.
    assert sorted(outcomes) == [(302, issued)] * 3


@pytest.mark.django_db
def test_a_double_click_on_any_form_acts_once(client, caseworker, team_leader, resolution_team, client_person):
    sr = allocate(new_sr(actor=caseworker, team=resolution_team, client=client_person), tl=team_leader,
                  owner=caseworker)
    client.force_login(caseworker)
    case = client.get(reverse("case-detail", args=[sr.reference])).content.decode()
    note = {"text": "Rang the client.", "form_token": form_token(case.split('id="notes"')[1])}
    first = client.post(reverse("sr-note-add", args=[sr.reference]), note)
    second = client.post(reverse("sr-note-add", args=[sr.reference]), note)
    assert first.status_code == second.status_code == 302
    assert Note.objects.filter(sr=sr).count() == 1
    assert "sent more than once" in client.get(second["Location"]).content.decode()

    page = client.get(reverse("sr-new")).content.decode()
    intake = {"form_token": form_token(page), "case_number": client_person.case_number, "route": "resolution",
              "team": resolution_team.pk, "received_on_day": "20", "received_on_month": "11",
              "received_on_year": "2026", "referrer": "client", "details": "Second complaint.", "language": "en"}
    before = ServiceRequest.objects.count()
    first, second = client.post(reverse("sr-new"), intake), client.post(reverse("sr-new"), intake)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert ServiceRequest.objects.count() == before + 1


@pytest.mark.django_db
def test_a_form_that_came_back_with_errors_can_be_sent_again(client, caseworker, resolution_team):
    client.force_login(caseworker)
    token = form_token(client.get(reverse("sr-new")).content.decode())
    data = {"form_token": token, "case_number": "5550001111", "route": "resolution", "team": resolution_team.pk,
            "received_on_day": "20", "received_on_month": "11", "received_on_year": "2026", "referrer": "client",
            "details": "Late payments.", "language": "en"}
    assert client.post(reverse("sr-new"), data).status_code == 400  # no name or address yet
    fixed = {**data, "client_name": "Ann Other", "address_line_1": "1 Road", "town": "Leeds",
             "postcode": "LS1 1AA", "region": "england-and-wales"}
    assert client.post(reverse("sr-new"), fixed).status_code == 302
    assert ServiceRequest.objects.filter(client__name="Ann Other").count() == 1



@pytest.mark.django_db
def test_tokens_older_than_a_week_are_forgotten_by_the_daily_purge():
    now = timezone.now()
    old = FormSubmissionFactory(created_at=now - KEEP_FOR - timedelta(minutes=1))
    recent = FormSubmissionFactory(created_at=now - KEEP_FOR + timedelta(hours=1))
    assert purge_form_submissions_task.apply().get() == 1
    assert list(FormSubmission.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not FormSubmission.objects.filter(pk=old.pk).exists()
    assert settings.CELERY_BEAT_SCHEDULE["purge-form-submissions"]["task"] == "complaints.purge_form_submissions"
