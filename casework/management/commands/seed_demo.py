"""Demo data: the four teams, named users for every role, and about 40 SRs
spread over routes, states and the three regions — made through the same
services and transitions the pages use, so timelines, deadlines and
letters are real."""

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Grade, Membership, Region, Team, User
from accounts.roles import Role
from complaints.models import ActionKind, Client, Referrer, ServiceRequest
from complaints.plans.services import current_plan, plan_add_action, plan_add_reason, plan_mark_action_done
from complaints.routes import as_route
from complaints.services.cases import add_note, create_client, create_service_request
from complaints.services.transitions import run_transition

PASSWORD = "casework-demo-2026"

TEAMS = [
    ("Complaints resolution team", "resolution", "0800 171 2345"),
    ("Complaints review team", "review", "0800 171 2346"),
    ("Internal ICE team", "ice", "0800 171 2347"),
    ("Internal PHSO team", "phso", "0800 171 2348"),
]

# username, first, last, role, grade, teams (by route), staff?
USERS = [
    ("cara", "Cara", "Khan", Role.CASEWORKER, "EO", ["resolution"], False),
    ("colin", "Colin", "Reid", Role.CASEWORKER, "EO", ["resolution"], False),
    ("ravi", "Ravi", "Patel", Role.CASEWORKER, "EO", ["review"], False),
    ("rhian", "Rhian", "Evans", Role.CASEWORKER, "EO", ["review"], False),
    ("ian", "Ian", "Murray", Role.CASEWORKER, "EO", ["ice"], False),
    ("pat", "Pat", "O'Neill", Role.CASEWORKER, "EO", ["phso"], False),
    ("tom", "Tom", "Bennett", Role.TEAM_LEADER, "HEO", ["resolution", "review"], False),
    ("tess", "Tess", "Walker", Role.TEAM_LEADER, "SEO", ["ice", "phso", "review"], False),
    ("mona", "Mona", "Hughes", Role.MANAGER, "G7", ["resolution", "review", "ice", "phso"], False),
    ("lena", "Lena", "Price", Role.LETTER_ADMIN, "EO", [], True),
    ("hana", "Hana", "Ali", Role.HEAD_OF_COMPLAINTS_REVIEW, "G6", ["phso", "review"], False),
    ("admin", "Ada", "Admin", Role.ADMIN, "SEO", ["resolution", "review", "ice", "phso"], True),
]

CLIENTS = [
    ("Jane Smith", "14 Park Road", "Leeds", "LS6 2AB", Region.ENGLAND_AND_WALES, "en"),
    ("Dafydd Jones", "3 Heol y Castell", "Cardiff", "CF10 1AA", Region.ENGLAND_AND_WALES, "cy"),
    ("Morag Campbell", "22 Byres Road", "Glasgow", "G12 8QQ", Region.SCOTLAND, "en"),
    ("Siobhan Kelly", "8 Lisburn Road", "Belfast", "BT9 6AA", Region.NORTHERN_IRELAND, "en"),
    ("Peter Green", "101 Canal Street", "Manchester", "M1 3EZ", Region.ENGLAND_AND_WALES, "en"),
    ("Aileen Fraser", "5 Union Street", "Aberdeen", "AB11 6BA", Region.SCOTLAND, "en"),
    ("Conor Byrne", "40 Strand Road", "Derry", "BT48 7AB", Region.NORTHERN_IRELAND, "en"),
    ("Priya Sharma", "9 Queen Street", "Bristol", "BS1 4JQ", Region.ENGLAND_AND_WALES, "en"),
]

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

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if demo users already exist")
        parser.add_argument("--print-sign-ins", action="store_true", help="Only print the demo sign-ins")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if options["print_sign_ins"]:
            self._print_sign_ins()
            return
        if options["if_empty"] and User.objects.filter(username="cara").exists():
            self.stdout.write("Demo data already loaded.")
            return
        random.seed(2026)
        with transaction.atomic():
            teams = self._teams()
            users = self._users(teams)
            clients = self._clients()
        self._service_requests(teams, users, clients)
        # The overdue and due-soon tasks the beat scan would raise, now rather
        # than at its next run (it runs on working days, 06:00-20:00).
        from sla.scan import scan_deadlines

        self.stdout.write(scan_deadlines().summary())
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {ServiceRequest.objects.count()} SRs."))
        self._print_sign_ins()

    def _print_sign_ins(self) -> None:
        self.stdout.write(f"  Demo sign-ins (password for all: {PASSWORD}):")
        for username, first, last, role, *_ in USERS:
            self.stdout.write(f"    {username:6} {first} {last} — {role.value}")

    def _teams(self) -> dict[str, Team]:
        teams = {}
        for name, route, phone in TEAMS:
            teams[route], _ = Team.objects.get_or_create(name=name, defaults={"route": route, "phone": phone})
        return teams

    def _users(self, teams: dict[str, Team]) -> dict[str, User]:
        users = {}
        for username, first, last, role, grade, routes, staff in USERS:
            user, created = User.objects.get_or_create(username=username, defaults={
                "first_name": first, "last_name": last, "email": f"{username}@casework.example",
                "grade": Grade.objects.get(code=grade), "is_staff": staff, "is_superuser": role == Role.ADMIN,
            })
            if created:
                user.set_password(PASSWORD)
                user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=role.value))
            for route in routes:
                Membership.objects.get_or_create(user=user, team=teams[route])
            users[username] = user
        return users

    def _clients(self) -> list[Client]:
        clients = []
        for i, (name, line1, town, postcode, region, language) in enumerate(CLIENTS):
            client = Client.objects.filter(case_number=f"10{i:08d}").first() or create_client(
                name=name, address_line_1=line1, town=town, postcode=postcode, region=region,
                language=language, case_number=f"10{i:08d}",
            )
            clients.append(client)
        return clients

    def _new_sr(self, route: str, team: Team, actor: User, client: Client, days_ago: int, **extra) -> ServiceRequest:  # type: ignore[no-untyped-def]
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
            run_transition(sr_id=sr.pk, actor=tl, name="approve_plan", expected_version=None,
                           data={"amount": plan.redress_total, "comments": "Reasonable for the delay."})
        elif step == "done":
            for action in current_plan(sr).actions.all():
                plan_mark_action_done(sr=sr, actor=owner, action_id=action.pk)
        else:
            data: dict = {"note": DEMO_NOTES[step]} if step in DEMO_NOTES else {}
            letter = _letter_for(sr, step)
            if letter is not None:
                data["letter"] = letter
            run_transition(sr_id=sr.pk, actor=owner, name=step, expected_version=None, data=data)
        # Re-read rather than refresh_from_db: the state field is protected.
        return as_route(ServiceRequest.objects.select_related("owner", "team", "client").get(pk=sr.pk))

    def _service_requests(self, teams, users, clients) -> None:  # type: ignore[no-untyped-def]
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
        for i in range(5):
            sr = self._new_sr("ice", teams["ice"], users["ian"], clients[(i + 3) % len(clients)], days_ago=1 + i * 3,
                              referrer=Referrer.ICE)
            for step in (["allocate"] if i >= 1 else []) + (["pass_gateway"] if i >= 3 else []):
                sr = self._step(sr, step, users)
        for i in range(4):
            sr = self._new_sr("phso", teams["phso"], users["pat"], clients[(i + 5) % len(clients)], days_ago=2 + i * 5,
                              referrer=Referrer.PHSO, dg_caselist=True)
            if i >= 2:
                run_transition(sr_id=sr.pk, actor=users["pat"], name="information_sent", expected_version=None, data={})


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
    from complaints.services.transitions import all_transitions

    code = all_transitions(sr)[step].custom.get("letter")
    return DEMO_LETTERS[code] if code else None
