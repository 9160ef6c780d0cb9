"""issue_letter: validation, the audit event, the outbox row, freezing,
and the one-call hook transitions use."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from complaints.models import CaseEvent
from complaints.services.errors import NotPermitted, ServiceError
from letters import selectors, services
from letters.models import IssuedLetter, LetterOutbox, LetterTemplate, Paragraph
from tests.factories import ClientFactory, ServiceRequestFactory, TeamFactory

from .factories import issue, pdf_bytes, pdf_text, render, sr_for


@pytest.fixture
def sr_5800(review_team, caseworker):
    return sr_for(LetterTemplate.objects.get(code="CMSL5800"), team=review_team, owner=caseworker)


def test_issue_writes_letter_outbox_and_audit_event_and_publishes_after_commit(
    sr_5800, caseworker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        letter = issue(sr=sr_5800, actor=caseworker, code="CMSL5800",
                       composition={"free_text": {"update": "We corrected your payment record."}})
    # Besides moving the team's counter on (complaints.generations), one
    # callback: the render task is published only after commit.
    publishing = [c for c in callbacks if c.__module__ != "complaints.generations"]
    assert len(publishing) == 1, "the render task is published only after commit"
    assert LetterOutbox.objects.get(letter=letter).published_at is None
    event = CaseEvent.objects.get(sr=sr_5800, verb="letter_issued")
    assert event.actor == caseworker
    assert event.details["letter_id"] == letter.pk
    assert event.details["template_code"] == "CMSL5800"
    assert event.details["heading"] == "Keeping you informed about your complaint"
    assert "We corrected your payment record." in letter.html
    assert letter.composition == {"language": "en", "choices": {},
                                  "free_text": {"update": "We corrected your payment record."}}
    assert not letter.is_ready


def test_required_free_text_is_refused_with_a_clear_message(sr_5800, caseworker):
    with pytest.raises(ServiceError, match="write the “An update” section"):
        issue(sr=sr_5800, actor=caseworker, code="CMSL5800", composition={"free_text": {"update": "   "}})
    assert not IssuedLetter.objects.exists() and not CaseEvent.objects.filter(verb="letter_issued").exists()


def test_empty_composition_means_all_defaults(review_team, caseworker):
    template = LetterTemplate.objects.get(code="CMSL5829")
    sr = sr_for(template, team=review_team, owner=caseworker)
    letter = issue(sr=sr, actor=caseworker, code="CMSL5829", composition={})
    assert letter.composition["language"] == "en"


@pytest.mark.parametrize("composition, message", [
    ({"choices": {"outcome": "TM_09999"}, "free_text": {"update": "x"}}, "choose TM_09172 or TM_09173"),
    ({"choices": {"nope": "TM_09172"}, "free_text": {"update": "x"}}, "no choice called “nope”"),
    ({"free_text": {"update": "x", "other": "y"}}, "no free-text section called “other”"),
    ({"language": "fr", "free_text": {"update": "x"}}, "English or Welsh"),
    ({"free_text": {"update": "x" * 3001}}, "3,000 characters or fewer"),
    ({"colour": "red"}, "unexpected letter fields colour"),
])
def test_bad_compositions_are_refused(review_team, caseworker, composition, message):
    template = LetterTemplate.objects.get(code="CMSL5807")
    sr = sr_for(template, team=review_team, owner=caseworker)
    with pytest.raises(ServiceError, match=message):
        issue(sr=sr, actor=caseworker, code="CMSL5807", composition=composition)


def test_template_not_allowed_in_this_state_is_refused(review_team, caseworker):
    sr = ServiceRequestFactory(route="review", state="pending_assignment", team=review_team)
    with pytest.raises(ServiceError, match="CMSL5800 cannot be issued"):
        issue(sr=sr, actor=caseworker, code="CMSL5800", composition={"free_text": {"update": "x"}})


def test_unknown_and_inactive_templates_are_refused(sr_5800, caseworker):
    with pytest.raises(ServiceError, match="no letter template CMSL9999"):
        issue(sr=sr_5800, actor=caseworker, code="CMSL9999")
    LetterTemplate.objects.filter(code="CMSL5800").update(active=False)
    with pytest.raises(ServiceError, match="switched off"):
        issue(sr=sr_5800, actor=caseworker, code="CMSL5800", composition={"free_text": {"update": "x"}})


def test_missing_case_information_is_refused_not_printed_blank(review_team, caseworker):
    template = LetterTemplate.objects.get(code="CMSL5801")
    sr = sr_for(template, team=review_team, owner=caseworker, with_plan=False)
    with pytest.raises(ServiceError, match="plan_due_date"):
        issue(sr=sr, actor=caseworker, code="CMSL5801", composition={"free_text": {"plan": "We will refund you."}})
    no_phone = TeamFactory(name="No phone team", route="review", phone="")
    sr = sr_for(LetterTemplate.objects.get(code="CMSL5829"), team=no_phone, owner=caseworker)
    with pytest.raises(ServiceError, match="team_phone"):
        issue(sr=sr, actor=caseworker, code="CMSL5829")


def test_welsh_needs_every_paragraph_in_welsh(review_team, caseworker):
    Paragraph.objects.filter(code="CW_5829_2_W").update(english=None)
    sr = sr_for(LetterTemplate.objects.get(code="CMSL5829"), team=review_team, owner=caseworker,
                client=ClientFactory(language="cy"))
    with pytest.raises(ServiceError, match="CW_5829_2_E has no Welsh version"):
        issue(sr=sr, actor=caseworker, code="CMSL5829")


def test_caseworker_text_is_printed_literally_never_as_markup_or_template_code(sr_5800, caseworker):
    hostile = "<img src=file:///etc/passwd> {{ request }} {% load static %} & more"
    letter = render(issue(sr=sr_5800, actor=caseworker, code="CMSL5800", composition={"free_text": {"update": hostile}}))
    assert "<img" not in letter.html and "&lt;img src=file:///etc/passwd&gt;" in letter.html
    assert "{{ request }} {% load static %} & more" in pdf_text(letter)


def test_sent_letter_never_changes_when_a_paragraph_is_edited(sr_5800, caseworker, team_leader):
    letter = render(issue(sr=sr_5800, actor=caseworker, code="CMSL5800",
                          composition={"free_text": {"update": "We corrected your payment record."}}))
    stored, digest, html = pdf_bytes(letter), letter.sha256, letter.html
    paragraph = Paragraph.objects.get(code="CW_5800_1_E")
    paragraph.text = "EDITED: an entirely different opening paragraph."
    services.save_paragraph(paragraph=paragraph, actor=team_leader)
    assert Paragraph.objects.get(code="CW_5800_1_E").version == 2

    # The task runs again (a redelivery, the relay): nothing is re-rendered.
    assert services.render_issued_letter(letter.pk) is False
    letter = IssuedLetter.objects.get(pk=letter.pk)
    assert (pdf_bytes(letter), letter.sha256, letter.html) == (stored, digest, html)
    assert "EDITED" not in pdf_text(letter)
    assert letter.paragraph_versions["CW_5800_1_E"] == 1
    with pytest.raises(ValueError, match="frozen"):
        letter.save()
    with pytest.raises(ValueError, match="never deleted"):
        letter.delete()
    # A new letter uses the new text.
    later = render(issue(sr=sr_5800, actor=caseworker, code="CMSL5800",
                         composition={"free_text": {"update": "Second letter."}}))
    assert "EDITED" in pdf_text(later) and later.paragraph_versions["CW_5800_1_E"] == 2


def test_render_is_exactly_once_and_stores_the_hash_of_the_stored_file(sr_5800, caseworker):
    import hashlib

    letter = issue(sr=sr_5800, actor=caseworker, code="CMSL5800", composition={"free_text": {"update": "x"}})
    assert services.render_issued_letter(letter.pk) is True
    assert services.render_issued_letter(letter.pk) is False
    letter = IssuedLetter.objects.get(pk=letter.pk)
    assert letter.render_attempts == 1
    assert hashlib.sha256(pdf_bytes(letter)).hexdigest() == letter.sha256
    assert pdf_bytes(letter).startswith(b"%PDF")
    assert LetterOutbox.objects.get(letter=letter).done_at is not None
    prefix = letter.pdf.name.rsplit("/", 1)[0]
    mine = [f for f in default_storage.listdir(prefix)[1] if f.startswith(f"{sr_5800.reference}-CMSL5800-{letter.pk}")]
    assert len(mine) == 1


def test_a_claim_held_by_a_live_worker_is_respected_and_a_dead_one_taken_over(sr_5800, caseworker):
    letter = issue(sr=sr_5800, actor=caseworker, code="CMSL5800", composition={"free_text": {"update": "x"}})
    IssuedLetter.objects.filter(pk=letter.pk).update(render_claimed_at=timezone.now())
    assert services.render_issued_letter(letter.pk) is False  # another worker is on it
    IssuedLetter.objects.filter(pk=letter.pk).update(render_claimed_at=timezone.now() - timedelta(minutes=10))
    assert services.render_issued_letter(letter.pk) is True  # that worker died: take over


def test_send_letter_checks_the_user_may_work_the_sr(sr_5800, manager, caseworker):
    with pytest.raises(NotPermitted):
        services.send_letter(sr_id=sr_5800.pk, actor=manager, template_code="CMSL5800",
                             composition={"free_text": {"update": "x"}})
    letter = services.send_letter(sr_id=sr_5800.pk, actor=caseworker, template_code="CMSL5800",
                                  composition={"free_text": {"update": "x"}})
    assert letter.issued_by == caseworker


def test_routes_can_ask_whether_a_letter_was_issued_since_a_state_was_entered(sr_5800, caseworker):
    from complaints.services.audit import record_event

    t0 = timezone.now() - timedelta(days=3)
    record_event(sr=sr_5800, actor=caseworker, verb="allocate", now=t0, from_state="pending_assignment",
                 to_state="in_progress")
    assert not selectors.letter_issued_since_state(sr_5800, "CMSL5800", "in_progress")
    issue(sr=sr_5800, actor=caseworker, code="CMSL5800", composition={"free_text": {"update": "x"}})
    assert selectors.letter_issued_since_state(sr_5800, "CMSL5800", "in_progress")
    # Entering the state again later: the old letter no longer counts.
    record_event(sr=sr_5800, actor=caseworker, verb="reopen", now=timezone.now() + timedelta(seconds=5),
                 from_state="awaiting_client_reply", to_state="in_progress")
    assert not selectors.letter_issued_since_state(sr_5800, "CMSL5800", "in_progress")


def test_resolution_allocation_issues_the_acknowledgement_through_the_transition(
    resolution_team, caseworker, team_leader, django_capture_on_commit_callbacks
):
    from complaints.services.transitions import run_transition

    sr = ServiceRequestFactory(route="resolution", team=resolution_team, client=ClientFactory(name="Ann Other"))
    with django_capture_on_commit_callbacks(execute=False):
        run_transition(sr_id=sr.pk, actor=team_leader, name="allocate", expected_version=sr.version,
                       data={"owner": caseworker})
    letter = IssuedLetter.objects.get(sr=sr)
    assert letter.template_code == "RES-ACK" and letter.issued_by == team_leader
    text = pdf_text(render(letter))
    assert "Ann Other" in text and "Cara Caseworker will be looking into it" in text
