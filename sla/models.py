from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Region, RouteChoices


class ClosureDay(models.Model):
    """An office closure an admin entered: not a working day in that region."""

    region = models.CharField(max_length=20, choices=Region.choices)
    date = models.DateField()
    name = models.CharField(max_length=100)
    # With count and max id, tells every process that its cached calendar is
    # stale (sla.closures.ensure_fresh) when another process edited closures.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["region", "date"], name="unique_closure_day")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_region_display()}, {self.date:%-d %b %Y})"


class RuleUnit(models.TextChoices):
    WORKING_DAYS = "working_days", "Working days"
    WEEKS = "weeks", "Weeks"
    CALENDAR_DAYS = "calendar_days", "Calendar days (a wait)"
    SET_BY_OTHER = "set_by_other", "Date set by ICE / PHSO"


class DeadlineRuleManager(models.Manager["DeadlineRule"]):
    def get_by_natural_key(self, code: str) -> "DeadlineRule":
        return self.get(code=code)


class DeadlineRule(models.Model):
    """A deadline rule of DESIGN §4. Editing one never moves clocks already
    running: a clock stores its own due date when it starts."""

    code = models.CharField(max_length=40, unique=True)
    route = models.CharField(max_length=20, help_text="Route the rule applies to (or 'provider')")
    name = models.CharField(max_length=120)
    starts_when = models.CharField(max_length=200)
    length = models.PositiveSmallIntegerField(null=True, blank=True)
    alternative_length = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Used when the route asks for it, e.g. 15 days if a chronology was requested"
    )
    unit = models.CharField(max_length=20, choices=RuleUnit.choices)
    met_when = models.CharField(max_length=200)
    is_wait = models.BooleanField(
        default=False, help_text="A client wait: when it ends the caseworker gets a task to act, not an overdue alert"
    )

    objects = DeadlineRuleManager()

    class Meta:
        ordering = ["route", "code"]
        permissions = [("view_dashboard", "Can view the deadline dashboard")]

    def __str__(self) -> str:
        return self.code

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def length_text(self) -> str:
        if self.unit == RuleUnit.SET_BY_OTHER:
            return "date set by ICE / PHSO"
        unit = {"working_days": "working day", "weeks": "week", "calendar_days": "calendar day"}[self.unit]
        text = f"{self.length} {unit}{'s' if self.length != 1 else ''}"
        if self.alternative_length:
            text += f" ({self.alternative_length} when extended)"
        return text


class ClockQuerySet(models.QuerySet):
    def running(self) -> "ClockQuerySet":
        return self.filter(met_on__isnull=True, cancelled_at__isnull=True)


class DeadlineClock(models.Model):
    """One running (or finished) deadline on an SR."""

    # No single-column indexes on sr / team: clock_sr_idx and clock_team_idx
    # lead with them, and every extra index slows the bulk paths.
    sr = models.ForeignKey("complaints.ServiceRequest", on_delete=models.CASCADE, related_name="clocks",
                           db_index=False)
    rule = models.ForeignKey(DeadlineRule, on_delete=models.PROTECT, related_name="clocks")
    # Denormalised from the SR so dashboards and the scan need no join.
    route = models.CharField(max_length=20, choices=RouteChoices.choices)
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+", db_index=False)
    # The SR's owner while the clock runs (kept by start_clock and
    # sr_owner_changed; a finished clock keeps the owner it finished under):
    # the scan raises a rung's tasks from the clock alone, without reading
    # the SR for each (a third of a day's scan at 1M SRs, issue 14).
    # SET_NULL: a copy never stands in the way of what the SR's own
    # (protected) owner allows.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", db_index=False)
    region = models.CharField(max_length=20, choices=Region.choices)
    started_on = models.DateField()
    # The rule as it was when the clock started: a calendar change recomputes
    # the due date from these, so editing the rule never moves this clock.
    length = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Rule length used when it started")
    unit = models.CharField(max_length=20, choices=RuleUnit.choices, blank=True,
                            help_text="Rule unit used when it started")
    due_on = models.DateField()
    original_due_on = models.DateField()
    met_on = models.DateField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    extended_to = models.DateField(null=True, blank=True)
    extension_reason = models.CharField(max_length=300, blank=True)
    # What this clock is for, when a rule runs several at once on an SR
    # (ICE's and PHSO's ad-hoc questions, each with their own date).
    label = models.CharField(max_length=200, blank=True, default="", db_default="")
    created_at = models.DateTimeField()
    # The day this running clock was started or moved, until the deadline
    # scan has looked at it (then None): the scan finds later crossings from
    # the due date alone (sla.scan, ScanRun), and reads the clocks with
    # next_check_on <= today for the ones that changed since its last run.
    next_check_on = models.DateField(null=True, blank=True)

    objects = ClockQuerySet.as_manager()

    class Meta:
        ordering = ["due_on"]
        constraints = [
            # At most one running clock per SR and rule, but for labelled ones
            # (several ad-hoc questions may be open at once).
            models.UniqueConstraint(
                fields=["sr", "rule"], condition=Q(met_on__isnull=True, cancelled_at__isnull=True, label=""),
                name="one_running_clock_per_rule",
            ),
        ]
        indexes = [
            # Running clocks by due date. The scan reads a day's crossings
            # from it alone (every column it needs included: a heap page per
            # clock was a third of a day's scan at 1M SRs, issue 14).
            models.Index(fields=["due_on"], include=["id", "sr", "rule", "region", "next_check_on", "team", "owner"],
                         condition=Q(met_on__isnull=True, cancelled_at__isnull=True),
                         name="clock_running_due_cover_idx"),
            models.Index(fields=["sr", "due_on"], name="clock_sr_idx"),
            models.Index(fields=["team", "route", "due_on"], name="clock_team_idx"),
            # Dashboard: deadlines met per week (all teams, and per team), and
            # running clocks per team; the INCLUDE columns let PostgreSQL
            # answer the grouped counts from the index alone.
            models.Index(fields=["met_on"], condition=Q(met_on__isnull=False), name="clock_met_idx"),
            models.Index(fields=["team", "met_on"], include=["due_on", "rule", "route"],
                         condition=Q(met_on__isnull=False), name="clock_team_met_idx"),
            models.Index(fields=["team", "due_on"], include=["route", "rule", "sr"],
                         condition=Q(met_on__isnull=True, cancelled_at__isnull=True), name="clock_team_running_idx"),
            # The scan's list of running clocks changed since its last run.
            models.Index(fields=["next_check_on"],
                         condition=Q(met_on__isnull=True, cancelled_at__isnull=True, next_check_on__isnull=False),
                         name="clock_next_check_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} on {self.sr_id} due {self.due_on}"

    @property
    def is_running(self) -> bool:
        return self.met_on is None and self.cancelled_at is None

    @property
    def effective_unit(self) -> str:
        return self.unit or self.rule.unit


class CountKind(models.TextChoices):
    DUE = "due", "Running, by due date"
    MET = "met", "Met, by the day met"
    OWNER = "own", "Running, ours, by owner and due date"  # kept in OwnerDeadlineCount


class DeadlineCount(models.Model):
    """Kept counts of deadlines for the dashboard: per team, route and rule,
    running clocks per due date and met clocks per day met. Written only by
    sla.counts, called by the services that start, meet, cancel, extend or
    move clocks, in their transaction; `manage.py recount_deadlines` rebuilds
    it from the clocks. "Overdue", "due this week" and the weeks met are sums
    over a few hundred rows per team, whatever the team's number of clocks:
    counting the clocks themselves, even index-only, grew with the team
    (issue 14)."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=3, choices=CountKind.choices)
    day = models.DateField()
    rule = models.ForeignKey(DeadlineRule, on_delete=models.CASCADE, related_name="+", db_index=False)
    route = models.CharField(max_length=20, choices=RouteChoices.choices)
    n = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0, help_text="Met on or before the due date (met counts only)")

    class Meta:
        constraints = [
            # The key of the counts' upsert; it also serves the dashboard's
            # read (a team's rows of one kind, by day).
            models.UniqueConstraint(fields=["team", "kind", "day", "rule", "route"], name="deadline_count_key"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.day} team {self.team_id} rule {self.rule_id}: {self.n}"


class OwnerDeadlineCount(models.Model):
    """Kept counts of running deadlines (client waits aside) per team, route,
    owner of the SR and due date: the dashboard's "caseworkers with the most
    overdue deadlines" sums a few rows per owner and day instead of reading
    every overdue clock and its SR. Kept like DeadlineCount (sla.counts); an
    SR that changes hands moves its clocks' counts when the transition is
    saved (sla.steps)."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+", db_index=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField()
    route = models.CharField(max_length=20, choices=RouteChoices.choices)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "day", "owner", "route"], name="owner_deadline_count_key"),
        ]

    def __str__(self) -> str:
        return f"due {self.day} team {self.team_id} owner {self.owner_id}: {self.n}"


class TaskKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    OVERDUE_TL = "overdue_tl", "Overdue by 2 working days (team leader)"
    OVERDUE_MANAGER = "overdue_manager", "Overdue by 5 working days (manager)"
    WAIT_EXPIRED = "wait_expired", "Wait expired: act now"
    ACTION = "action", "Activity plan step"


# Raised by the deadline scan; meeting, cancelling or moving a clock closes them.
ALERT_KINDS = (TaskKind.DUE_SOON, TaskKind.OVERDUE, TaskKind.OVERDUE_TL, TaskKind.OVERDUE_MANAGER,
               TaskKind.WAIT_EXPIRED)


class Task(models.Model):
    """A piece of work for a person or a team. `key` is unique per piece of
    work, so raising the same task twice creates nothing new."""

    # Unique through Meta.constraints (the scan's ON CONFLICT target): a
    # UniqueConstraint, unlike unique=True, adds no second LIKE index on
    # PostgreSQL, and the scan inserts tens of thousands of rows at once.
    key = models.CharField(max_length=120)
    # No database constraint on sr and clock: the scan inserts a day's
    # crossings (~40,000 rows at 1M SRs) selected from those very clocks and
    # SRs, and PostgreSQL's check of each row locks the SR and clock rows it
    # points at (a write to both pages per task) — 40 % of the scan's time,
    # measured. Tasks are only ever written with an SR and clock read in the
    # same transaction, and deleting an SR or a clock still deletes its tasks
    # (the ORM's CASCADE).
    # One index for both (task_sr_clock_idx below): a clock's alerts are
    # found through its SR, and each index is written for every task the
    # scan raises.
    sr = models.ForeignKey("complaints.ServiceRequest", on_delete=models.CASCADE, related_name="tasks",
                           db_constraint=False, db_index=False)
    clock = models.ForeignKey(DeadlineClock, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks",
                              db_constraint=False, db_index=False)
    kind = models.CharField(max_length=20, choices=TaskKind.choices)
    title = models.CharField(max_length=200)
    # assignee / team are indexed by the open-task indexes below (a team's
    # tasks are read only as its unassigned open ones). No database
    # constraint either: PostgreSQL checks a deferred constraint row by row
    # at commit, 0.28 s of a day's scan at 1M SRs (measured). The scan takes
    # both from the SR and clock rows it reads, services from rows they have
    # just read, and deleting a user or a team still deletes its tasks
    # through the ORM's CASCADE.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks",
        db_index=False, db_constraint=False,
    )
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="tasks",
                             db_index=False, db_constraint=False)
    # A task for everyone of this role in the team (e.g. the Head of
    # Complaints Review), rather than for one person or the whole team.
    role = models.CharField(max_length=40, blank=True, default="", db_default="")
    due_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", db_index=False)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["key"], name="task_key_unique")]
        indexes = [
            models.Index(fields=["sr", "clock"], name="task_sr_clock_idx"),
            # A person's open tasks, in the tasks panel's order: My work reads
            # the most urgent few from it rather than sorting a busy
            # caseworker's thousands of alerts (cost followed their backlog),
            # and the badge counts from it alone. Done tasks leave it.
            models.Index(fields=["assignee", "due_on", "id"], condition=Q(done_at__isnull=True),
                         name="task_assignee_open_due_idx"),
            # A team's unassigned open tasks (team leaders, managers, roles):
            # in the tasks panel's order, so My work reads a team's most
            # urgent few from it (sla.selectors.most_urgent_tasks) rather than
            # sorting the team's backlog; and every column of the badge's
            # filter, so PostgreSQL counts from the index alone
            # (sla.selectors.open_task_count).
            models.Index(fields=["team", "role", "due_on", "id"], include=["kind"],
                         condition=Q(assignee__isnull=True, done_at__isnull=True),
                         name="task_team_unassigned_due_idx"),
            # The scan closes open "due soon" prompts whose date has passed.
            models.Index(fields=["due_on"], condition=Q(kind="due_soon", done_at__isnull=True),
                         name="task_due_soon_open_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.done_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())

    def is_overdue_on(self, today: date) -> bool:
        return task_is_overdue(self.kind, self.due_on, today)


_ALWAYS_OVERDUE = frozenset((TaskKind.OVERDUE, TaskKind.OVERDUE_TL, TaskKind.OVERDUE_MANAGER, TaskKind.WAIT_EXPIRED))


def task_is_overdue(kind: str, due_on: date | None, today: date) -> bool:
    """Overdue alerts (any rung of the ladder) and tasks past their date."""
    return kind in _ALWAYS_OVERDUE or (due_on is not None and due_on < today)


class ScanRun(models.Model):
    """One deadline scan per working day: the day and the threshold dates it
    used, per region. The next scan raises only what crossed a threshold
    since (due dates between these bounds and its own), so a day's run reads
    the clocks crossing that day and writes nothing to the others (sla.scan).
    The bounds are kept rather than recomputed so that a calendar change
    between two scans cannot open a gap."""

    day = models.DateField(unique=True)
    # {"due_soon": {region: "YYYY-MM-DD"}, "overdue_tl": {...}, "overdue_manager": {...}}
    bounds = models.JSONField()
    inserted = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField()

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"Deadline scan of {self.day}"
