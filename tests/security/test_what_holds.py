"""What an attack on the app found holding, kept holding: every object a
user may not see answers exactly like one that does not exist; tampered
ids and amounts are refused; concurrent approvals have one winner; CSRF;
a 3 MB field; markup in every field shown as text. (Other findings are
proven where they live: CSV formula injection — tests/sla/test_views.py
and test_dg_caselist.py; template injection in paragraphs —
tests/letters/test_placeholders.py; the letter URL fetcher —
tests/letters/test_rendering.py; open redirects — tests/sla/test_views.py;
NUL bytes — tests/platform/test_bad_input.py; exactly-once rendering when
a worker dies — tests/letters/test_issue.py and test_celery_worker.py.)"""

import re
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse

from complaints.models import CaseEvent, Note, PlanApproval, ServiceRequest
from complaints.plans.services import current_plan
from complaints.services.errors import NotAllowedInState, NotPermitted, ServiceError, StaleServiceRequest
from letters.models import LetterTemplate
from tests.factories import IssuedLetterFactory
from tests.letters.factories import issue, sr_for
from tests.platform.helpers import allocate, new_sr
from tests.review.helpers import add_plan, go
from tests.sla.factories import DeadlineClockFactory

MISSING_SR = "SR-2026-999999"


def object_urls(sr: ServiceRequest, letter_pk: int, clock_pk: int, reason_pk: int, action_pk: int) -> list[str]:
    ref = sr.reference
    return [
        reverse("case-detail", args=[ref]), reverse("sr-transition", args=[ref, "withdraw"]),
        reverse("letters:send", args=[ref]), reverse("letters:issued", args=[letter_pk]),
        reverse("letters:download", args=[letter_pk]), reverse("sla:extend-clock", args=[clock_pk]),
        reverse("plan-reason-edit", args=[ref, reason_pk]), reverse("plan-action-edit", args=[ref, action_pk]),
        reverse("plan-action-progress", args=[ref, action_pk]),
    ]


@pytest.mark.django_db
def test_an_invisible_object_is_a_404_identical_to_a_missing_one(client, outsider, team_leader, caseworker,
                                                                 review):
    sr = go(review, caseworker, "start_plan")
    add_plan(sr, caseworker)
    plan = current_plan(sr)
    reason, action = plan.reasons.get(), plan.actions.get()
    letter = IssuedLetterFactory(sr=sr, issued_by=caseworker)
    clock = DeadlineClockFactory(sr=sr)
    missing = ServiceRequest(reference=MISSING_SR)
    client.force_login(outsider)
    seen = object_urls(sr, letter.pk, clock.pk, reason.pk, action.pk)
    absent = object_urls(missing, 99999999, 99999999, 99999999, 99999999)
    for url, other in zip(seen, absent, strict=True):
        hidden, gone = client.get(url), client.get(other)
        assert hidden.status_code == gone.status_code == 404, url

        def plain(response: Any) -> str:
            body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
            return re.sub(r"SR-2026-\d{6}|\d{8}", "X", body)

        assert plain(hidden) == plain(gone), url


@pytest.mark.django_db
def test_tampered_ids_and_amounts_are_refused(client, review, caseworker, team_leader, other_team, outsider,
                                              resolution_team, client_person):
    sr = go(review, caseworker, "start_plan")
    add_plan(sr, caseworker, redress="150.00")
    other = go(allocate(new_sr(actor=caseworker, team=resolution_team, client=client_person), tl=team_leader,
                        owner=caseworker), caseworker, "start_plan")
    add_plan(other, caseworker)
    foreign_action = current_plan(other).actions.first()
    client.force_login(caseworker)
    # Another SR's action id under this SR's address: not on this plan.
    response = client.post(reverse("plan-action-remove", args=[sr.reference, foreign_action.pk]))
    assert response.status_code in (302, 400, 404)
    assert current_plan(other).actions.filter(pk=foreign_action.pk).exists()
    # The team queue allocates only the team's SRs, to the team's caseworkers.
    theirs = new_sr(actor=outsider, team=other_team, client=client_person, route="ice")
    client.force_login(team_leader)
    client.post(reverse("team-queue"), {"srs": [theirs.pk], "owner": caseworker.pk})
    client.post(reverse("team-queue"), {"srs": [str(ServiceRequest.objects.get(pk=theirs.pk).pk)],
                                        "owner": outsider.pk})
    assert ServiceRequest.objects.get(pk=theirs.pk).owner_id is None
    # An approval for another amount than the plan's is refused.
    sr = go(sr, caseworker, "submit_for_approval")
    with pytest.raises(ServiceError, match="£150.00"):
        go(sr, team_leader, "approve_plan", amount=Decimal("1.00"))
    assert not PlanApproval.objects.filter(plan__sr=sr).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are proven on PostgreSQL (CI)")
def test_eight_concurrent_approvals_have_one_winner_and_one_event(review_team, caseworker, resolution_team,
                                                                  client_person):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Grade
    from accounts.roles import Role
    from tests.factories import UserFactory
    from tests.review.helpers import closed_resolution_sr, new_review

    leaders = [UserFactory(username=f"tl{i}", roles=[Role.TEAM_LEADER], teams=[review_team],
                           grade=Grade.objects.get(code="HEO")) for i in range(8)]
    resolution = closed_resolution_sr(team=resolution_team, client=client_person,
                                      closed_on=timezone.localdate() - timedelta(days=40))
    sr = go(new_review(actor=caseworker, team=review_team, client=client_person, related=resolution),
            leaders[0], "allocate", owner=caseworker)
    sr = go(sr, caseworker, "start_plan")
    add_plan(sr, caseworker, redress="150.00")
    sr = go(sr, caseworker, "submit_for_approval")
    version = ServiceRequest.objects.get(pk=sr.pk).version
    barrier, outcomes = threading.Barrier(8), []

    def approve(leader: Any) -> None:
        from django.db import connection as own

        from complaints.services.transitions import run_transition

        try:
            barrier.wait(timeout=10)
            run_transition(sr_id=sr.pk, actor=leader, name="approve_plan", expected_version=version,
                           data={"amount": Decimal("150.00"), "comments": ""})
            outcomes.append("won")
        except (StaleServiceRequest, NotAllowedInState, NotPermitted):
            outcomes.append("refused")
        finally:
            own.close()

    threads = [threading.Thread(target=approve, args=(leader,)) for leader in leaders]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["refused"] * 7 + ["won"]
    assert CaseEvent.objects.filter(sr=sr, verb="approve_plan").count() == 1
    assert PlanApproval.objects.filter(plan__sr=sr, decision="approved").count() == 1


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_is_refused(caseworker, team_leader, resolution_team, client_person):
    sr = allocate(new_sr(actor=caseworker, team=resolution_team, client=client_person), tl=team_leader,
                  owner=caseworker)
    browser = HttpClient(enforce_csrf_checks=True)
    browser.force_login(caseworker)
    response = browser.post(reverse("sr-note-add", args=[sr.reference]), {"text": "Forged."})
    assert response.status_code == 403
    assert not Note.objects.filter(sr=sr).exists()


@pytest.mark.django_db
def test_a_3_mb_field_gets_a_clear_answer_and_changes_nothing(client, caseworker, team_leader, resolution_team,
                                                             client_person):
    sr = allocate(new_sr(actor=caseworker, team=resolution_team, client=client_person), tl=team_leader,
                  owner=caseworker)
    client.force_login(caseworker)
    response = client.post(reverse("sr-note-add", args=[sr.reference]), {"text": "x" * 3_000_000})
    assert response.status_code in (302, 400)
    assert not Note.objects.filter(sr=sr).exists()
    page = client.get(reverse("sr-new"))
    assert page.status_code == 200
    response = client.post(reverse("sr-new"), {"case_number": "1" * 10, "details": "y" * 1_000_000})
    assert response.status_code == 400 and ServiceRequest.objects.count() == 1


XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&'


@pytest.mark.django_db
def test_markup_in_every_field_is_shown_as_text(client, caseworker, team_leader, resolution_team, client_person):
    from complaints.plans.services import plan_add_action, plan_add_reason
    from complaints.services.cases import add_note

    client_person.name = f"Jane {XSS}"
    client_person.address_line_1 = f"1 {XSS} Street"
    client_person.save(update_fields=["name", "address_line_1"])
    sr = allocate(new_sr(actor=caseworker, team=resolution_team, client=client_person, details=f"Details {XSS}",
                         addressee=XSS, root_cause=XSS, resources=XSS, parliamentary_contact=XSS),
                  tl=team_leader, owner=caseworker)
    add_note(actor=caseworker, sr=sr, text=f"Note {XSS}")
    sr = go(sr, caseworker, "start_plan")
    reason = plan_add_reason(sr=sr, actor=caseworker, grounds=f"Grounds {XSS}", comments=XSS)
    from datetime import date

    plan_add_action(sr=sr, actor=caseworker, reason_id=reason.pk, description=f"Do {XSS}", kind="other",
                    due_on=date(2027, 1, 29))
    client.force_login(caseworker)
    pages = [client.get(reverse("case-detail", args=[sr.reference])), client.get(reverse("my-work")),
             client.get(reverse("search"), {"q": "Jane"})]
    for page in pages:
        body = page.content.decode()
        assert page.status_code == 200
        assert "<script>alert(1)" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[0].content.decode()
    # And in a letter: the client's name and the caseworker's text are printed as text.
    letter_sr = sr_for(LetterTemplate.objects.get(code="CMSL5807"), team=sr.team, owner=caseworker,
                       client=client_person)
    letter = issue(sr=letter_sr, actor=caseworker, code="CMSL5807", composition={"free_text": {"update": XSS}})
    assert "<script>alert(1)" not in letter.html and "&lt;script&gt;alert(1)&lt;/script&gt;" in letter.html
