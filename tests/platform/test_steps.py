"""The step vocabulary on a small route of its own: every kind of step a
transition can declare, the order the pipeline runs them in, what happens
when an SR a step raised closes, and that a refusal anywhere saves nothing."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import models
from django_fsm import transition

from accounts.models import User
from accounts.roles import Role
from complaints.forms import ConfirmForm
from complaints.models import CaseEvent, Note, ServiceRequest, SRLink
from complaints.permissions import tp_work
from complaints.pipeline import StepContext
from complaints.routes import REGISTRY, Labels, RouteSpec, register
from complaints.services.cases import create_service_request
from complaints.services.errors import ServiceError
from complaints.services.transitions import run_transition
from complaints.steps import (
    TODAY,
    ClockDue,
    CloseTask,
    CreateSteps,
    FormDate,
    MeetClock,
    RaiseSR,
    RaiseTask,
    Received,
    RoleAssignee,
    SendEmail,
    StartClock,
    declare,
)
from complaints.workflows.common import CommonTransitions
from letters.models import IssuedLetter, OutgoingEmail
from sla.models import DeadlineClock, Task
from sla.selectors import open_tasks_for
from tests.factories import LetterTemplateFactory, TeamFactory, TemplatePartFactory, UserFactory

pytestmark = pytest.mark.django_db

MON_2_NOV = date(2026, 11, 2)
SEEN: dict[str, Any] = {}


def look_around(ctx: StepContext) -> str:
    """Sees everything the steps before it did (a hand-written effect)."""
    SEEN.update(due=dict(ctx.due), raised=[sr.reference for sr in ctx.raised],
                letters=IssuedLetter.objects.filter(sr=ctx.sr).count(),
                emails=OutgoingEmail.objects.filter(sr=ctx.sr).count())
    return "The effect ran last."


class Toy(models.TextChoices):
    START = "start", "Start"
    WAITING = "waiting", "Waiting for the other body"
    CLOSED = "closed", "Closed"


TOY_RAISE = RaiseSR(
    route="resolution", reason="Raised by the toy route",
    steps=(StartClock("ice.fig_resolution"),),
    on_close=(MeetClock("ice.fig_resolution"),),
    origin_on_close=(CloseTask("notify"), SendEmail("ice", "Closed: {raised}", "{raised} closed: {resolution_code}.")),
)


class ToySR(CommonTransitions, ServiceRequest):
    class Meta:
        proxy = True
        app_label = "complaints"

    @transition(
        field="state", source=Toy.START, target=Toy.WAITING, permission=tp_work,
        custom=declare(
            label="Document arrived", form="complaints.forms.ConfirmForm", who="Owner",
            record=["root_cause", ("resources", "question")],
            clocks=[StartClock("ice.adhoc", start=FormDate("received_on"), due=FormDate("reply_by"),
                               label_field="question"),
                    StartClock("review.acknowledge", start=Received())],
            tasks=[RaiseTask("reply", "Reply to {client} about {question}", due=ClockDue("review.acknowledge")),
                   RaiseTask("notify", "Tell the other body when {raised} closes"),
                   RaiseTask("sign-off", "Sign off the reply on {reference}", assignee=RoleAssignee(
                       Role.HEAD_OF_COMPLAINTS_REVIEW))],
            raise_sr=TOY_RAISE, letter="TOY1",
            emails=[SendEmail("ice", "About {reference}", "Your question: {question}")],
            effect=look_around, message="Reply due {due[review.acknowledge]}; raised {raised}.",
        ),
    )
    def arrive(self, *, actor: User, now: Any, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=Toy.WAITING, target=Toy.WAITING, permission=tp_work,
        custom=declare(label="Answer a question", form="complaints.forms.ConfirmForm", who="Owner",
                       clocks=[MeetClock("ice.adhoc", which="clock")], tasks=[CloseTask("reply")]),
    )
    def answer(self, *, actor: User, now: Any, data: dict[str, Any]) -> None:
        pass


@pytest.fixture
def travel(db):
    with time_machine.travel(datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Europe/London")), tick=False) as traveller:
        yield traveller


@pytest.fixture
def toy_route(db):
    register(RouteSpec(route="toy", proxy=ToySR, labels={
        Toy.START: Labels("In Progress", "Start", "Toy"), Toy.WAITING: Labels("Wait", "Waiting", "Toy"),
        Toy.CLOSED: Labels("Closed", "Complete", "Closed")}, initial_state=Toy.START,
        on_create=CreateSteps(clocks=(StartClock("ice.gateway", start=TODAY),), owner_is_creator=True)))
    template = LetterTemplateFactory(code="TOY1", allowed_states={"toy": [Toy.WAITING]})
    TemplatePartFactory(template=template)
    yield
    REGISTRY.pop("toy")


@pytest.fixture
def toy_sr(toy_route, travel, resolution_team, client_person):
    team = TeamFactory(name="Toy team", route="toy")
    owner = UserFactory(username="toby", roles=[Role.CASEWORKER], teams=[team])
    return create_service_request(actor=owner, client=client_person, route="toy", team=team,
                                  received_on=MON_2_NOV, referrer="client", details="A toy complaint.")


def arrive(sr: ServiceRequest, **extra: Any) -> Any:
    data = {"received_on": MON_2_NOV, "reply_by": date(2026, 11, 20), "question": "Why the delay?",
            "root_cause": "Late payments", "note": "ICE rang as well.", **extra}
    return run_transition(sr_id=sr.pk, actor=sr.owner, name="arrive", expected_version=None, data=data)


def test_create_steps_run_when_the_sr_is_recorded(toy_sr):
    assert toy_sr.owner is not None and toy_sr.owner.username == "toby"
    assert DeadlineClock.objects.get(sr=toy_sr, rule__code="ice.gateway").started_on == MON_2_NOV


def test_every_kind_of_step_runs_in_the_documented_order(toy_sr, resolution_team):
    result = arrive(toy_sr)
    sr = result.sr
    # 1. record: form fields onto the SR, also under another name.
    sr = ServiceRequest.objects.get(pk=sr.pk)
    assert (sr.root_cause, sr.resources) == ("Late payments", "Why the delay?")
    # 2. the step's note: one Note, carried by the step's event, no second event.
    assert list(Note.objects.filter(sr=sr).values_list("text", flat=True)) == ["ICE rang as well."]
    assert CaseEvent.objects.get(sr=sr, verb="arrive").details["note"] == "ICE rang as well."
    assert not CaseEvent.objects.filter(sr=sr, verb="note_added").exists()
    # 4. clocks: the other body's own date, and a rule's length from the date received.
    adhoc = DeadlineClock.objects.get(sr=sr, rule__code="ice.adhoc")
    assert (adhoc.started_on, adhoc.due_on, adhoc.label) == (MON_2_NOV, date(2026, 11, 20), "Why the delay?")
    ack = DeadlineClock.objects.get(sr=sr, rule__code="review.acknowledge")
    assert ack.due_on == date(2026, 11, 4)
    # 8. tasks: due from the clock started before them; one for a role.
    reply = Task.objects.get(key=f"reply:{sr.pk}")
    assert (reply.title, reply.due_on, reply.assignee) == ("Reply to Jane Smith about Why the delay?",
                                                          ack.due_on, sr.owner)
    role_task = Task.objects.get(key=f"sign-off:{sr.pk}")
    assert role_task.assignee is None and role_task.role == Role.HEAD_OF_COMPLAINTS_REVIEW
    # 7. the raised SR: same client and complaint, linked both ways, its own steps run.
    link = SRLink.objects.get(from_sr=sr, raised_by="toy:arrive")
    raised = link.to_sr
    assert (raised.route, raised.client, raised.details, raised.team) == (
        "resolution", sr.client, "A toy complaint.", resolution_team)
    assert DeadlineClock.objects.filter(sr=raised, rule__code="ice.fig_resolution", met_on__isnull=True).exists()
    assert Task.objects.get(key=f"notify:{sr.pk}").title == f"Tell the other body when {raised.reference} closes"
    # 9–10. letter and e-mail, after the clocks.
    assert IssuedLetter.objects.filter(sr=sr, template_code="TOY1").count() == 1
    email = OutgoingEmail.objects.get(sr=sr)
    assert (email.mailbox, email.subject, email.body) == ("ice", f"About {sr.reference}", "Your question: Why the delay?")
    # 11. the effect runs last and sees it all.
    assert SEEN == {"due": {"ice.adhoc": date(2026, 11, 20), "review.acknowledge": ack.due_on},
                    "raised": [raised.reference], "letters": 1, "emails": 1}
    # The banner: the declared message with its values, then the effect's sentence.
    assert result.message == f"Reply due Wed 4 Nov 2026; raised {raised.reference}. The effect ran last."
    # The order, as the audit trail records it.
    verbs = list(CaseEvent.objects.filter(sr=sr).exclude(verb__in=("created", "clock_started")).order_by("id")
                 .values_list("verb", flat=True))
    assert verbs == ["arrive", "related_sr_linked", "task_created", "task_created", "task_created", "letter_issued",
                     "email_sent"]
    started = list(CaseEvent.objects.filter(sr=sr, verb="clock_started").order_by("id")
                   .values_list("details__rule", flat=True))
    assert started == ["ice.gateway", "ice.adhoc", "review.acknowledge"]
    first_task = CaseEvent.objects.filter(sr=sr, verb="task_created").order_by("id").first()
    assert CaseEvent.objects.filter(sr=sr, verb="clock_started", details__rule="review.acknowledge").get().id < \
        first_task.id


def test_a_role_task_is_on_the_my_work_of_that_role_in_the_team(toy_sr):
    sr = arrive(toy_sr).sr
    hocr = UserFactory(username="hana", roles=[Role.HEAD_OF_COMPLAINTS_REVIEW], teams=[sr.team])
    colleague = UserFactory(username="carl", roles=[Role.CASEWORKER], teams=[sr.team])
    assert f"sign-off:{sr.pk}" in {t.key for t in open_tasks_for(hocr)}
    assert f"sign-off:{sr.pk}" not in {t.key for t in open_tasks_for(colleague)}


def test_several_labelled_clocks_run_at_once_and_the_chosen_one_is_met(toy_sr):
    sr = arrive(toy_sr).sr
    from sla.services import start_clock

    second = start_clock(sr=sr, rule_code="ice.adhoc", actor=sr.owner, now=sr.updated_at, started_on=MON_2_NOV,
                         due_on=date(2026, 11, 13), label="Send the call notes")
    assert DeadlineClock.objects.running().filter(sr=sr, rule__code="ice.adhoc").count() == 2
    run_transition(sr_id=sr.pk, actor=sr.owner, name="answer", expected_version=None, data={"clock": second.pk})
    second.refresh_from_db()
    assert second.met_on is not None
    assert DeadlineClock.objects.running().get(sr=sr, rule__code="ice.adhoc").label == "Why the delay?"
    assert Task.objects.get(key=f"reply:{sr.pk}").done_at is not None


def test_when_the_raised_sr_closes_its_declared_steps_run_on_both(toy_sr, team_leader):
    sr = arrive(toy_sr).sr
    raised = SRLink.objects.get(from_sr=sr).to_sr
    run_transition(sr_id=raised.pk, actor=team_leader, name="withdraw", expected_version=None,
                   data={"note": "The client withdrew."})
    assert DeadlineClock.objects.get(sr=raised, rule__code="ice.fig_resolution").met_on is not None
    # The raised SR's other clock stopped with it.
    assert DeadlineClock.objects.get(sr=raised, rule__code="resolution.response").cancelled_at is not None
    assert Task.objects.get(key=f"notify:{sr.pk}").done_at is not None
    email = OutgoingEmail.objects.get(sr=sr, subject=f"Closed: {raised.reference}")
    assert email.body == f"{raised.reference} closed: Complaint Withdrawn."
    assert CaseEvent.objects.filter(sr=sr, verb="raised_sr_closed", details__other=raised.reference).exists()


def test_a_refusal_in_any_step_saves_nothing(toy_sr):
    before = (CaseEvent.objects.count(), Note.objects.count(), DeadlineClock.objects.count(), Task.objects.count(),
              ServiceRequest.objects.count(), OutgoingEmail.objects.count())
    with pytest.raises(ServiceError):
        # The other body's date is missing: the clock step refuses, after the
        # record, the note and the event were written — all rolled back.
        arrive(toy_sr, reply_by=None)
    toy_sr = ServiceRequest.objects.get(pk=toy_sr.pk)
    assert toy_sr.state == Toy.START and toy_sr.root_cause == ""
    assert before == (CaseEvent.objects.count(), Note.objects.count(), DeadlineClock.objects.count(),
                      Task.objects.count(), ServiceRequest.objects.count(), OutgoingEmail.objects.count())


def test_the_step_form_and_the_declaration_share_the_custom_dict():
    custom = ToySR.arrive._django_fsm.transitions["start"].custom
    assert custom["label"] == "Document arrived" and custom["letter"] == "TOY1"
    assert ConfirmForm.base_fields["note"].required is False
