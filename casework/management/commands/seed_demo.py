"""Demo data: the four teams, named users for every role, and about 40 SRs
spread over routes, states and the three regions — made through the same
services and transitions the pages use, so timelines, deadlines and
letters are real."""

import json
import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from accounts.models import Grade, Team, User
from complaints.models import ActionKind, Client, Referrer, ServiceRequest
from complaints.plans.services import current_plan, plan_add_action, plan_add_reason, plan_mark_action_done
from complaints.routes import as_route
from complaints.services.cases import add_note, create_service_request
from complaints.services.transitions import all_transitions, run_transition
from letters.models import Paragraph
from sla.models import DeadlineRule
from sla.scan import scan_deadlines

PASSWORD = "casework-demo-2026"

FIXTURES = settings.BASE_DIR / "fixtures"
# What the migrations make, loaded from fixtures only into a database that
# has none of it (one just flushed): in any other an admin may have edited
# it since, and the letter library's versions must never be rewound.
REFERENCE_FIXTURES: list[tuple[type[Model], str]] = [
    (Grade, "grades.json"), (DeadlineRule, "deadline_rules.json"), (Paragraph, "letter_library.json"),
]
# The demo's teams, people (roles, grades, team memberships) and clients:
# static, so fixtures. Everything dated (SRs, deadlines, letters) is made
# below through the services, relative to today (fixtures/README.md).
DEMO_FIXTURES = ["demo_users.json", "demo_clients.json"]


def _fixture(name: str) -> list[dict]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def load_demo_fixtures() -> tuple[dict[str, Team], dict[str, User], list[Client]]:
    """Load the demo's fixtures. Returns teams by route, users by username
    and clients in case-number order; demo users get the demo password (the
    fixture holds none, so a copied fixture opens no account)."""
    for model, name in REFERENCE_FIXTURES:
        if not model._default_manager.exists():
            call_command("loaddata", str(FIXTURES / name), verbosity=0)
    call_command("loaddata", *(str(FIXTURES / name) for name in DEMO_FIXTURES), verbosity=0)
    loaded: dict[str, list[dict]] = {}
    for name in DEMO_FIXTURES:
        for record in _fixture(name):
            loaded.setdefault(record["model"], []).append(record["fields"])
    teams = {team.route: team
             for team in Team.objects.filter(name__in=[t["name"] for t in loaded["accounts.team"]])}
    users = {user.username: user
             for user in User.objects.filter(username__in=[u["username"] for u in loaded["accounts.user"]])}
    for user in users.values():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    clients = list(Client.objects.filter(case_number__in=[c["case_number"] for c in loaded["complaints.client"]])
                   .order_by("case_number"))
    return teams, users, clients


ISSUES = [
    "Payments the client made in August are not shown on their statement.",
    "The client was told their maintenance calculation would be reviewed but heard nothing for 10 weeks.",
    "Letters were sent to an old address after the client reported a move.",
    "The effective date of the calculation is wrong because a letter was not issued.",
    "The client was promised a call back three times and nobody called.",
]

# How far each resolution SR goes: a list of steps.
REVIEW_PATHS = [
    [],
    ["allocate"],
    ["allocate", "client_not_reached"],
    ["allocate", "no_further_action"],
    ["allocate", "start_plan", "plan_redress", "submit_for_approval"],
    ["allocate", "start_plan", "plan_redress", "submit_for_approval", "approve_plan", "send_plan_to_client"],
    ["allocate", "start_plan", "plan", "send_plan_to_client", "client_disagrees"],
    ["allocate", "start_plan", "plan", "send_plan_to_client", "client_agrees", "done", "close_client_ok"],
]

# ICE SRs: waiting, at the gateway, with ICE, and at work on what ICE sent.
ICE_PATHS = [
    [], ["allocate"], ["allocate"], ["allocate", "pass_gateway"],
    ["allocate", "pass_gateway", "resolution_plan_received"],
    ["allocate", "pass_gateway", "closure_letter_received"],
    ["allocate", "pass_gateway", "roe_requested"],
]

RESOLUTION_PATHS = [
    [],
    [],
    ["allocate"],
    ["allocate"],
    ["allocate", "start_plan"],
    ["allocate", "start_plan", "plan", "submit_plan"],
    ["allocate", "start_plan", "plan_redress", "submit_for_approval"],
    ["allocate", "start_plan", "plan_redress", "submit_for_approval"],
    ["allocate", "start_plan", "plan_redress", "submit_for_approval", "approve_plan"],
    ["allocate", "start_plan", "plan", "submit_plan", "client_agrees"],
    ["allocate", "start_plan", "plan", "submit_plan", "client_agrees", "done", "close_resolved"],
    ["allocate", "close_no_action"],
    ["allocate", "withdraw"],
]


class Command(BaseCommand):
    help = "Create demo teams, users (one per role) and about 40 SRs"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if demo users already exist")
        parser.add_argument("--print-sign-ins", action="store_true", help="Only print the demo sign-ins")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["print_sign_ins"]:
            self._print_sign_ins()
            return
        if options["if_empty"] and User.objects.filter(username="cara").exists():
            self.stdout.write("Demo data already loaded.")
            return
        random.seed(2026)
        with transaction.atomic():
            teams, users, clients = load_demo_fixtures()
        self._service_requests(teams, users, clients)
        # The overdue and due-soon tasks the beat scan would raise, now rather
        # than at its next run (it runs on working days, 06:00-20:00). The
        # scan logs its own summary line.
        scan_deadlines()
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {ServiceRequest.objects.count()} SRs."))
        # The sign-ins are printed by --print-sign-ins (make run does, every
        # time it starts), not here as well.

    def _print_sign_ins(self) -> None:
        self.stdout.write(f"  Demo sign-ins (password for all: {PASSWORD}):")
        for record in _fixture("demo_users.json"):
            if record["model"] == "accounts.user":
                f = record["fields"]
                roles = ", ".join(group for (group,) in f["groups"])
                self.stdout.write(f"    {f['username']:6} {f['first_name']} {f['last_name']} — {roles}")

    def _new_sr(self, route: str, team: Team, actor: User, client: Client, days_ago: int, **extra: Any) -> ServiceRequest:
        received = timezone.localdate() - timedelta(days=days_ago)
        return create_service_request(
            actor=actor, client=client, route=route, team=team, received_on=received,
            referrer=extra.pop("referrer", Referrer.CLIENT), details=random.choice(ISSUES),
            addressee="Business in general", root_cause=random.choice(["Human error", "System error", "Process"]),
            **extra,
        )

    def _step(self, sr: ServiceRequest, step: str, users: dict[str, User]) -> ServiceRequest:
        owner = sr.owner or users["cara"]
        tl = users["tom"] if sr.route in ("resolution", "review") else users["tess"]
        if step == "allocate":
            caseworker = {"resolution": random.choice([users["cara"], users["colin"]]), "review": users["ravi"],
                          "ice": users["ian"], "phso": users["pat"]}[sr.route]
            run_transition(sr_id=sr.pk, actor=tl, name="allocate", expected_version=None, data={"owner": caseworker})
        elif step in ("plan", "plan_redress"):
            reason = plan_add_reason(sr=sr, actor=owner, grounds="Delay in handling the client's change of address",
                                     comments="The client reported the move by phone on two occasions.")
            due = timezone.localdate() + timedelta(days=21)
            plan_add_action(sr=sr, actor=owner, reason_id=reason.pk, kind=ActionKind.OTHER, due_on=due,
                            description="Update the address and re-issue the last two statements")
            if step == "plan_redress":
                plan_add_action(sr=sr, actor=owner, reason_id=reason.pk, kind=ActionKind.FINANCIAL_REDRESS,
                                due_on=due, amount=Decimal(random.choice(["75.00", "150.00", "480.00"])),
                                description="Special payment for the delay and the time the client spent chasing")
        elif step == "approve_plan":
            plan = current_plan(sr)
            assert plan is not None  # the step before drafted it
            run_transition(sr_id=sr.pk, actor=tl, name="approve_plan", expected_version=None,
                           data={"amount": plan.redress_total, "comments": "Reasonable for the delay."})
        elif step == "done":
            for action in sr.plans.order_by("-revision")[0].actions.all():
                plan_mark_action_done(sr=sr, actor=owner, action_id=action.pk)
        else:
            data: dict = {"note": DEMO_NOTES[step]} if step in DEMO_NOTES else {}
            if step.endswith(("_received", "_requested")):
                data["received_on"] = timezone.localdate()  # ICE's document came today
            if step == "pass_gateway":
                # The client gave ICE a copy of the review team's final response: autopass.
                data.update(ice_reference=f"ICE/{sr.pk:05d}", client_gave_copy=True, gateway_proposal="pass",
                            gateway_findings="Autopass: the client gave ICE a copy of the final response.",
                            third_party_account="ICE")
            letter = _letter_for(sr, step)
            if letter is not None:
                data["letter"] = letter
            run_transition(sr_id=sr.pk, actor=owner, name=step, expected_version=None, data=data)
        # Re-read rather than refresh_from_db: the state field is protected.
        return as_route(ServiceRequest.objects.select_related("owner", "team", "client").get(pk=sr.pk))

    def _service_requests(self, teams: Any, users: Any, clients: Any) -> None:
        n = 0
        for path in RESOLUTION_PATHS * 2:
            client = clients[n % len(clients)]
            sr = self._new_sr("resolution", teams["resolution"], users["cara"], client, days_ago=3 + (n * 2) % 40)
            for step in path:
                sr = self._step(sr, step, users)
            n += 1
        # A confidential complaint about a member of staff: only its recorder and those granted see it.
        sr = self._new_sr("resolution", teams["resolution"], users["tom"], clients[0], days_ago=4, confidential=True)
        add_note(actor=users["tom"], sr=sr, text="Original letter held securely by the team leader.")
        # Each review follows a closed Resolution SR of the same client (the 6-month check).
        closed = list(ServiceRequest.objects.filter(route="resolution", state="closed").select_related("client"))
        for i, path in enumerate(REVIEW_PATHS):
            earlier = closed[i % len(closed)]
            sr = self._new_sr("review", teams["review"], users["ravi"], earlier.client, days_ago=1 + i * 2,
                              related_sr=earlier, related_reason="Closed Resolution SR on the same complaint")
            for step in path:
                sr = self._step(sr, step, users)
        for i, path in enumerate(ICE_PATHS):
            sr = self._new_sr("ice", teams["ice"], users["ian"], clients[(i + 3) % len(clients)], days_ago=1 + i * 3,
                              referrer=Referrer.ICE)
            for step in path:
                sr = self._step(sr, step, users)
        for i in range(4):
            sr = self._new_sr("phso", teams["phso"], users["pat"], clients[(i + 5) % len(clients)], days_ago=2 + i * 5,
                              referrer=Referrer.PHSO, dg_caselist=True)
            if i >= 2:
                run_transition(sr_id=sr.pk, actor=users["pat"], name="information_sent", expected_version=None,
                               data={"parliamentary_contact": "A. Member MP", "referred_by_member": True})
            if i >= 3:
                # The Ombudsman proposes to investigate: the panel and response deadlines run.
                run_transition(sr_id=sr.pk, actor=users["pat"], name="pti_received", expected_version=None,
                               data={"received_on": sr.received_on, "addressee": "Business in general",
                                     "root_cause": "Payments recorded late", "parliamentary_contact": "A. Member MP",
                                     "details": sr.details, "earlier": []})


# What a caseworker would write in the free-text sections of the letters
# the demo's steps issue (the rest of each letter comes from the library),
# by letter template.
DEMO_LETTERS: dict[str, dict] = {
    "RES-OUTCOME": {"free_text": {"what_we_have_done": (
        "You told us that we had not acted on what you reported. We checked your records and have put right "
        "what we found, as set out below. We are sorry for the trouble this caused you.")}},
    "CMSL5829": {},
    "CMSL5800": {"free_text": {"update": (
        "We looked again at how your payments were recorded. They were recorded correctly, so we will not be "
        "taking any further action.")}},
    "CMSL5801": {"free_text": {"plan": (
        "We will correct your payment record and re-issue your last two statements by the date shown.")}},
    "CMSL5803": {"free_text": {"update": "A senior team leader looked at the plan again with your reasons."}},
    "CMSL5804": {"free_text": {"revised_plan": "We will also refund the late payment fee."}},
    "CMSL5805": {"free_text": {"what_this_means": "Your record is corrected and the payment has been made."}},
    "CMSL5806": {"free_text": {"what_this_means": "Your record is corrected and the payment has been made."}},
    "CMSL5807": {"free_text": {"update": "A senior member of the team reviewed your complaint."}},
}

# Steps whose form asks for a note, with what a caseworker would record.
DEMO_NOTES = {
    "withdraw": "The client phoned to withdraw the complaint.",
    "client_not_reached": "Phoned at 9:30 and 14:00; no answer, no voicemail.",
    "client_disagrees": "The client phoned: they think the payment should be higher.",
    "no_further_action": "The records were right; explained this to the client by phone.",
}


def _letter_for(sr: ServiceRequest, step: str) -> dict | None:
    """Letter wording for a step that issues a letter, else None."""
    code = all_transitions(sr)[step].custom.get("letter")
    return DEMO_LETTERS[code] if code else None
