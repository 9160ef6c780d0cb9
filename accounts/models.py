from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.db import models


class Region(models.TextChoices):
    """The client's nation decides the working-day calendar and the
    organisation named in letters (CMG, or NICMS in Northern Ireland)."""

    ENGLAND_AND_WALES = "england-and-wales", "England & Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern-ireland", "Northern Ireland"


class RouteChoices(models.TextChoices):
    RESOLUTION = "resolution", "Resolution"
    REVIEW = "review", "Review"
    ICE = "ice", "ICE"
    PHSO = "phso", "PHSO"


class GradeManager(models.Manager["Grade"]):
    def get_by_natural_key(self, code: str) -> "Grade":
        return self.get(code=code)


class Grade(models.Model):
    """A civil-service grade and the most financial redress a holder may
    approve on one plan. Data, edited in admin, because limits change."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=60)
    rank = models.PositiveSmallIntegerField(help_text="Higher rank = more senior grade")
    approval_limit = models.DecimalField(
        max_digits=10, decimal_places=2, default=Decimal("0.00"),
        help_text="Largest redress total (GBP) this grade may approve",
    )

    objects = GradeManager()

    class Meta:
        ordering = ["rank"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class User(AbstractUser):
    grade = models.ForeignKey(Grade, null=True, blank=True, on_delete=models.SET_NULL, related_name="users")
    teams: "models.ManyToManyField[Team, Membership]" = models.ManyToManyField(
        "Team", through="Membership", related_name="members", blank=True)
    # Read once per request and kept on the user (accounts.roles,
    # complaints.permissions); not fields.
    _role_names: frozenset[str]
    _group_perm_cache: set[str]  # accounts.backends.read_access
    _team_memberships: frozenset[tuple[int, str]]  # (team id, route): complaints.permissions

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def __str__(self) -> str:
        return self.display_name


class TeamManager(models.Manager["Team"]):
    def get_by_natural_key(self, name: str) -> "Team":
        return self.get(name=name)


class Team(models.Model):
    """Fixtures name a team by its name (unique), as people do."""

    name = models.CharField(max_length=100, unique=True)
    name_cy = models.CharField("name in Welsh", max_length=100, blank=True,
                               help_text="Printed on letters in Welsh (the English name is used if blank)")
    route = models.CharField(max_length=20, choices=RouteChoices.choices)
    region = models.CharField(
        max_length=20, choices=Region.choices, blank=True,
        help_text="Leave blank for a team that works every region",
    )
    phone = models.CharField(max_length=30, blank=True, help_text="Printed on letters")
    email = models.EmailField(blank=True)

    objects = TeamManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.name,)

    def name_for(self, language: str) -> str:
        """The team's name in a letter's language ("cy": Welsh)."""
        return self.name_cy if language == "cy" and self.name_cy else self.name


class MembershipManager(models.Manager["Membership"]):
    def get_by_natural_key(self, username: str, team_name: str) -> "Membership":
        return self.get(user__username=username, team__name=team_name)


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    joined_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "team"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"

    def natural_key(self) -> tuple[str, str]:
        # Both are foreign keys, so dumpdata writes users and teams first.
        return (self.user.username, self.team.name)
