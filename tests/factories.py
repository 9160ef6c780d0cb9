"""Factories for the platform's models; named users per role."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from accounts.models import Grade, Membership, Region, Team, User
from complaints.models import (
    ActionKind,
    CaseEvent,
    Client,
    FormSubmission,
    Note,
    PlanAction,
    PlanApproval,
    PlanContributor,
    PlanReason,
    ResolutionPlan,
    ServiceRequest,
    ServiceRequestGroupObjectPermission,
    ServiceRequestUserObjectPermission,
    SRLink,
)
from ice.models import IceDetails
from letters.models import (
    IssuedLetter,
    Language,
    LetterOutbox,
    LetterTemplate,
    LetterTemplateVersion,
    OutgoingEmail,
    Paragraph,
    ParagraphVersion,
    PartKind,
    TemplatePart,
)
from phso.models import PhsoDetails
from sla.models import DeadlineRule, RuleUnit


class GradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grade
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"G{n}")
    name = factory.LazyAttribute(lambda o: f"Grade {o.code}")
    rank = factory.Sequence(lambda n: 100 + n)
    approval_limit = Decimal("1000.00")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")
    route = "resolution"
    region = ""
    phone = "0800 000 0000"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = "Tester"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def roles(self, create: Any, extracted: Any, **kwargs: Any):
        for role in extracted or []:
            self.groups.add(Group.objects.get(name=str(role)))

    @factory.post_generation
    def teams(self, create: Any, extracted: Any, **kwargs: Any):
        for team in extracted or []:
            Membership.objects.get_or_create(user=self, team=team)


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    name = factory.Sequence(lambda n: f"Client Person {n}")
    address_line_1 = factory.Sequence(lambda n: f"{n} High Street")
    town = "Leeds"
    postcode = "LS1 1AA"
    region = Region.ENGLAND_AND_WALES
    language = "en"
    case_number = factory.Sequence(lambda n: f"12{n:08d}")


class ServiceRequestFactory(factory.django.DjangoModelFactory):
    """An SR written straight to the table (tests of pages and access);
    flows that matter go through the services instead."""

    class Meta:
        model = ServiceRequest

    reference = factory.Sequence(lambda n: f"SR-2026-{900000 + n:06d}")
    route = "resolution"
    team = factory.SubFactory(TeamFactory)
    client = factory.SubFactory(ClientFactory)
    received_on = date(2026, 11, 2)
    details = "The client says their payments were recorded late."


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    sr = factory.SubFactory(ServiceRequestFactory)
    author = factory.SubFactory(UserFactory)
    text = "Called the client."


class CaseEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseEvent

    sr = factory.SubFactory(ServiceRequestFactory)
    verb = "note_added"
    created_at = factory.LazyFunction(timezone.now)


class SRLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SRLink

    from_sr = factory.SubFactory(ServiceRequestFactory)
    to_sr = factory.SubFactory(ServiceRequestFactory)
    reason = "Same issue"


class ResolutionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResolutionPlan

    sr = factory.SubFactory(ServiceRequestFactory)
    revision = 1
    drafted_by = factory.SubFactory(UserFactory)
    created_at = factory.LazyFunction(timezone.now)


class FormSubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FormSubmission

    token = factory.LazyFunction(uuid.uuid4)
    user = factory.SubFactory(UserFactory)
    created_at = factory.LazyFunction(timezone.now)


class PlanContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanContributor

    plan = factory.SubFactory(ResolutionPlanFactory)
    user = factory.SubFactory(UserFactory)


class PlanReasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanReason

    plan = factory.SubFactory(ResolutionPlanFactory)
    grounds = "Payments recorded late"


class PlanActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanAction

    reason = factory.SubFactory(PlanReasonFactory)
    plan = factory.LazyAttribute(lambda o: o.reason.plan)
    description = "Correct the payment record"
    kind = ActionKind.OTHER
    due_on = date(2026, 12, 1)


class PlanApprovalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanApproval

    plan = factory.SubFactory(ResolutionPlanFactory)
    decided_by = factory.SubFactory(UserFactory)
    decision = PlanApproval.Decision.APPROVED
    amount = Decimal("50.00")
    decided_at = factory.LazyFunction(timezone.now)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)


class SRUserPermissionFactory(factory.django.DjangoModelFactory):
    """A guardian grant on one SR to one user (confidential SRs)."""

    class Meta:
        model = ServiceRequestUserObjectPermission

    content_object = factory.SubFactory(ServiceRequestFactory, confidential=True)
    user = factory.SubFactory(UserFactory)
    permission = factory.LazyFunction(lambda: Permission.objects.get(codename="view_servicerequest"))


class SRGroupPermissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceRequestGroupObjectPermission

    content_object = factory.SubFactory(ServiceRequestFactory, confidential=True)
    group = factory.LazyFunction(lambda: Group.objects.get_or_create(name="Team Leader")[0])
    permission = factory.LazyFunction(lambda: Permission.objects.get(codename="view_servicerequest"))


# --- deadlines and letters: the rows admins edit and the services write ----

class DeadlineRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeadlineRule

    code = factory.Sequence(lambda n: f"test.rule_{n}")
    route = "resolution"
    name = factory.Sequence(lambda n: f"Test deadline {n}")
    starts_when = "the SR is received"
    length = 10
    unit = RuleUnit.WORKING_DAYS
    met_when = "the outcome is given"


class ParagraphFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paragraph

    code = factory.Sequence(lambda n: f"TP_{n:05d}_E")
    language = Language.ENGLISH
    title = "Test paragraph"
    text = "Dear {{ client_name }}, thank you for your letter about {{ reference }}."


class ParagraphVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParagraphVersion

    paragraph = factory.SubFactory(ParagraphFactory)
    version = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda o: o.paragraph.title)
    text = factory.LazyAttribute(lambda o: o.paragraph.text)
    created_at = factory.LazyFunction(timezone.now)


class LetterTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LetterTemplate

    code = factory.Sequence(lambda n: f"TEST{n:04d}")
    heading = "Your complaint"
    guidance = "A test template."
    allowed_states = factory.LazyFunction(lambda: {"resolution": ["in_progress"]})


class TemplatePartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplatePart

    template = factory.SubFactory(LetterTemplateFactory)
    position = factory.Sequence(lambda n: n)
    kind = PartKind.PARAGRAPH
    paragraph = factory.SubFactory(ParagraphFactory)


class LetterTemplateVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LetterTemplateVersion

    template = factory.SubFactory(LetterTemplateFactory)
    version = factory.Sequence(lambda n: n + 1)
    snapshot = factory.LazyAttribute(lambda o: {"code": o.template.code, "heading": o.template.heading})
    created_at = factory.LazyFunction(timezone.now)


class IssuedLetterFactory(factory.django.DjangoModelFactory):
    """A letter row as issued, before rendering (letters.services.issue_letter
    is how the app makes them; this is for tests that need only the row)."""

    class Meta:
        model = IssuedLetter

    sr = factory.SubFactory(ServiceRequestFactory)
    template = factory.SubFactory(LetterTemplateFactory)
    template_code = factory.LazyAttribute(lambda o: o.template.code)
    template_version = 1
    heading = factory.LazyAttribute(lambda o: o.template.heading)
    language = Language.ENGLISH
    composition = factory.LazyFunction(dict)
    html = "<p>Dear Jane Smith</p>"
    issued_by = factory.SubFactory(UserFactory)
    issued_at = factory.LazyFunction(timezone.now)


class LetterOutboxFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LetterOutbox

    letter = factory.SubFactory(IssuedLetterFactory)
    created_at = factory.LazyFunction(timezone.now)


class OutgoingEmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutgoingEmail

    sr = factory.SubFactory(ServiceRequestFactory)
    mailbox = "ice"
    to_address = "casework@ice.example.gov.uk"
    subject = "Complaint closed"
    body = "The complaint you referred back to us was dealt with."
    created_at = factory.LazyFunction(timezone.now)


class IceDetailsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IceDetails

    sr = factory.SubFactory(ServiceRequestFactory, route="ice")
    ice_reference = factory.Sequence(lambda n: f"ICE/2026/{n:04d}")


class PhsoDetailsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PhsoDetails

    sr = factory.SubFactory(ServiceRequestFactory, route="phso", state="pti_response")
    panel_members = "Ann Able\nBob Baker"
    panel_on = date(2026, 11, 4)
