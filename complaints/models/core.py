import re
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import FSMField
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts.models import Region, RouteChoices

from ..routes import Labels, labels_for

Route = RouteChoices


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    WELSH = "cy", "Welsh"


class Referrer(models.TextChoices):
    CLIENT = "client", "Client"
    MP = "mp", "MP"
    MLA = "mla", "MLA"
    ICE = "ice", "ICE"
    PHSO = "phso", "PHSO / NI Ombudsman"


class ResolutionCode(models.TextChoices):
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Complaint Withdrawn"
    RESOLVED = "resolved", "Resolved"
    NO_ACTION = "no_action", "No Action Taken"
    COMPLETE_CLIENT_OK = "complete_ok", "Actions Complete – Client OK"
    COMPLETE_CLIENT_NOT_OK = "complete_not_ok", "Actions Complete – Client Not OK"


# A child maintenance case number: 10 to 12 digits (typed with or without
# spaces, stored without).
CASE_NUMBER_RE = re.compile(r"[0-9]{10,12}")
CASE_NUMBER_EXAMPLE = "1234567890"


def normalise_case_number(text: str) -> str:
    """The number as stored, or "" if `text` is not a case number."""
    number = "".join(text.split())
    return number if CASE_NUMBER_RE.fullmatch(number) else ""


class ClientManager(models.Manager["Client"]):
    def get_by_natural_key(self, case_number: str) -> "Client":
        return self.get(case_number=case_number)


class Client(models.Model):
    """A client is known by their child maintenance case number: intake
    finds them by it and never creates a second client with the same one
    (services.cases.create_client), so it is also their natural key in
    fixtures."""

    name = models.CharField(max_length=200)
    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=10)
    region = models.CharField(max_length=20, choices=Region.choices, default=Region.ENGLAND_AND_WALES)
    language = models.CharField(
        "preferred language", max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    case_number = models.CharField("child maintenance case number", max_length=20, db_index=True)
    case_closed_on = models.DateField(
        "child maintenance case closed on", null=True, blank=True,
        help_text="Leave blank while the case is open (the 14-month limit counts from closure)",
    )
    phone = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClientManager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="client_name_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.case_number})"

    def natural_key(self) -> tuple[str]:
        return (self.case_number,)

    @property
    def address_lines(self) -> list[str]:
        return [line for line in (self.address_line_1, self.address_line_2, self.town, self.postcode) if line]

    @property
    def organisation(self) -> str:
        """CMG, or NICMS for Northern Ireland clients."""
        return "NICMS" if self.region == Region.NORTHERN_IRELAND else "CMG"


class ServiceRequest(models.Model):
    """One complaint at one route. Every route shares this table; each
    route's state machine lives on a proxy model (complaints.routes)."""

    reference = models.CharField(max_length=20, unique=True)
    route = models.CharField(max_length=20, choices=Route.choices, db_index=True)
    # Protected: only a route's @transition methods change it.
    state = FSMField(max_length=40, default="pending_assignment", protected=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="owned_srs"
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="service_requests")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="service_requests")
    received_on = models.DateField()
    referrer = models.CharField(max_length=10, choices=Referrer.choices, default=Referrer.CLIENT)
    parliamentary_contact = models.CharField(
        max_length=200, blank=True, help_text="The MP or MLA acting for the client, if any"
    )
    dg_caselist = models.BooleanField("on the DG caselist", default=False)
    confidential = models.BooleanField(
        default=False, help_text="A complaint about a member of staff: only people granted access see it"
    )
    # Complaint details
    addressee = models.CharField(max_length=200, blank=True, help_text="Who the complaint was addressed to")
    root_cause = models.CharField(max_length=200, blank=True)
    resources = models.CharField(max_length=200, blank=True, help_text="Teams or resources involved")
    details = models.TextField(blank=True)

    resolution_code = models.CharField(max_length=20, choices=ResolutionCode.choices, blank=True)
    gateway_passed = models.BooleanField(null=True, blank=True)
    lock_assignment = models.BooleanField(
        default=False, help_text="Set while an approval is pending: the SR cannot be reallocated"
    )
    eligibility_override = models.TextField(
        blank=True, help_text="Why a team leader accepted an SR outside its time limit"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The earliest due date of the SR's running deadline clocks (None when
    # none runs), kept by the deadline app's clock services in the same
    # transaction as the clock change. Stored, not computed per list: lists
    # sort by it, and a per-row subquery made their cost follow the size of
    # the queue instead of the page (issue 14).
    next_due_on = models.DateField(null=True, blank=True, editable=False)
    # Optimistic locking: every write through a service bumps it; a form
    # posted with an older version is refused.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-id"]
        permissions = [
            ("work_servicerequest", "Can take caseworker actions on SRs"),
            ("allocate_servicerequest", "Can allocate SRs (team leader)"),
            ("approve_plan", "Can approve resolution plans and redress"),
            ("override_eligibility", "Can accept an SR outside its time limit"),
            ("sign_off_response", "Can sign off PHSO responses"),
        ]
        indexes = [
            # My work: open SRs of an owner.
            models.Index(fields=["owner", "closed_at", "received_on"], name="sr_owner_open_idx"),
            # Team queue and the team-scoped visibility join.
            models.Index(fields=["team", "closed_at", "owner"], name="sr_team_open_idx"),
            models.Index(fields=["route", "state"], name="sr_route_state_idx"),
            models.Index(fields=["client"], name="sr_client_idx"),
            # The lists' order (next deadline, NULLs last, then id) read
            # straight from an index, one per list's filter, open SRs only:
            # a page of 100 costs the same in a queue of 1,000 or 50,000.
            models.Index(fields=["owner", "next_due_on", "id"], condition=Q(closed_at__isnull=True),
                         name="sr_owner_due_idx"),
            # `confidential` rides along so the pages' total counts (which
            # check it for every row) are answered from the index alone.
            models.Index(fields=["team", "next_due_on", "id"], condition=Q(closed_at__isnull=True, owner__isnull=True),
                         include=["confidential"], name="sr_queue_due_idx"),
            models.Index(fields=["team", "next_due_on", "id"], condition=Q(closed_at__isnull=True, dg_caselist=True),
                         include=["confidential"], name="sr_dg_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | ~Q(resolution_code=""), name="closed_sr_has_resolution_code"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def labels(self) -> Labels:
        """(Status, Sub Status, Stage), derived from the route's state table."""
        # Northern Ireland clients' SRs may be labelled differently (the NI
        # Ombudsman): lists select the client's region with the SR.
        return labels_for(self.route, self.state, self.client.region if self.client_id else "")

    @property
    def status(self) -> str:
        return self.labels.status

    @property
    def sub_status(self) -> str:
        return self.labels.sub_status

    @property
    def stage(self) -> str:
        return self.labels.stage


class ServiceRequestUserObjectPermission(UserObjectPermissionBase):
    """Direct-FK guardian table: who was granted a confidential SR."""

    content_object = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE)


class ServiceRequestGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE)


class SRLink(models.Model):
    """A related SR, shown from both ends (e.g. Review ↔ its Resolution SR,
    a Mandatory Reconsideration raised during a review)."""

    from_sr = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="links_out")
    to_sr = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="links_in")
    reason = models.CharField(max_length=200)
    # "route:transition" when a step raised to_sr from from_sr (RaiseSR):
    # the declaration says what happens on both when to_sr closes.
    raised_by = models.CharField(max_length=80, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_sr", "to_sr"], name="unique_sr_link"),
            models.CheckConstraint(condition=~Q(from_sr=models.F("to_sr")), name="sr_link_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.from_sr_id} ↔ {self.to_sr_id}: {self.reason}"


class Note(models.Model):
    """Append-only: a note is never edited or deleted once written."""

    sr = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["sr", "created_at"], name="note_sr_idx")]

    def __str__(self) -> str:
        return f"Note on {self.sr_id} by {self.author_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Notes are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Notes are append-only")


class CaseEvent(models.Model):
    """The append-only audit trail and timeline of an SR: every state change,
    allocation, approval, letter and view of a confidential SR."""

    sr = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verb = models.CharField(max_length=60)
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["sr", "created_at"], name="event_sr_idx")]

    def __str__(self) -> str:
        return f"{self.sr_id} {self.verb} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Case events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Case events are append-only")


class FormSubmission(models.Model):
    """One row per state-changing form sent (complaints.idempotency): the
    token rendered into the form is unique, so a double click or a
    resubmission of the same form does its work once and is then sent to
    where the first went."""

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    response_url = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="form_submission_age_idx")]

    def __str__(self) -> str:
        return f"form {self.token} by {self.user_id}"
