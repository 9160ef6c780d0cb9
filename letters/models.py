"""Letters: the paragraph library, templates built from it, and letters
issued from them (DESIGN §7).

Paragraphs and templates are edited in admin and versioned: every change
is kept as a numbered version, so what any letter said can be traced. An
issued letter does not point at live text at all — its HTML is frozen
when it is issued and its PDF, once rendered, is stored with its SHA-256.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from complaints.models.core import Language

from .placeholders import validate_text

# Natural keys let the library travel between environments as fixtures
# (fixtures/letter_library.json, export_letter_library): database ids
# differ everywhere, codes and version numbers do not.


class ParagraphManager(models.Manager["Paragraph"]):
    def get_by_natural_key(self, code: str) -> "Paragraph":
        return self.get(code=code)


class Paragraph(models.Model):
    """One reusable paragraph (e.g. TM_09172, LM_00008, TM_09669_E). A Welsh
    paragraph points at the English one it translates."""

    code = models.CharField(max_length=30, unique=True)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    english = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="welsh",
        limit_choices_to={"language": Language.ENGLISH},
        help_text="For a Welsh paragraph: the English paragraph it translates",
    )
    title = models.CharField(max_length=200, help_text="Shown to caseworkers when they choose between paragraphs")
    text = models.TextField(
        help_text="Plain text. A blank line starts a new paragraph; lines starting “- ” make a bulleted list. "
                  "Placeholders such as {{ client_name }} come from the fixed list below."
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    # A Welsh paragraph: the version of the English one it was last saved
    # against. Behind the English version, it may be out of step.
    english_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = ParagraphManager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(english__isnull=True) | Q(language=Language.WELSH), name="only_welsh_translates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def out_of_step(self) -> bool:
        """A Welsh paragraph whose English one changed since it was saved."""
        if self.english_id is None or self.english is None or self.english_version is None:
            return False
        return self.english_version < self.english.version

    def clean(self) -> None:
        errors = {name: validate_text(getattr(self, name)) for name in ("title", "text")}
        errors = {name: msgs for name, msgs in errors.items() if msgs}
        if self.language == Language.ENGLISH and self.english_id:
            errors["english"] = ["Only a Welsh paragraph translates an English one."]
        if errors:
            raise ValidationError(errors)


class ParagraphVersionManager(models.Manager["ParagraphVersion"]):
    def get_by_natural_key(self, paragraph_code: str, version: int) -> "ParagraphVersion":
        return self.get(paragraph__code=paragraph_code, version=version)


class ParagraphVersion(models.Model):
    """A paragraph as it was after one save (append-only)."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    text = models.TextField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ParagraphVersionManager()

    class Meta:
        ordering = ["paragraph", "-version"]
        constraints = [models.UniqueConstraint(fields=["paragraph", "version"], name="unique_paragraph_version")]

    def __str__(self) -> str:
        return f"{self.paragraph_id} v{self.version}"

    def natural_key(self) -> tuple[str, int]:
        return (*self.paragraph.natural_key(), self.version)


class LetterTemplateManager(models.Manager["LetterTemplate"]):
    def get_by_natural_key(self, code: str) -> "LetterTemplate":
        return self.get(code=code)


class LetterTemplate(models.Model):
    """A letter (e.g. CMSL5800): heading, guidance for caseworkers, where it
    may be issued, and an ordered list of parts."""

    code = models.CharField(max_length=30, unique=True)
    heading = models.CharField(max_length=200, help_text="Printed as the letter's heading")
    heading_cy = models.CharField("heading in Welsh", max_length=200, blank=True)
    guidance = models.TextField(
        help_text="Shown to caseworkers: when to use this letter and what to write", blank=True
    )
    allowed_states = models.JSONField(
        default=dict, blank=True,
        help_text='Where the letter may be issued: {"route": ["state", ...]}; "*" means any open state. '
                  "For a letter a transition requires, list the state the transition leads to.",
    )
    reply_days = models.PositiveSmallIntegerField(
        null=True, blank=True,
        help_text="Days printed as {{ reply_days }}; {{ reply_by_date }} is the letter date plus these days",
    )
    active = models.BooleanField(default=True, help_text="Inactive templates cannot be issued")
    version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = LetterTemplateManager()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.heading}"

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    def heading_for(self, language: str) -> str:
        return self.heading_cy if language == Language.WELSH and self.heading_cy else self.heading

    def allows(self, route: str, state: str, *, is_open: bool) -> bool:
        states = self.allowed_states.get(route, [])
        return state in states or ("*" in states and is_open)


class PartKind(models.TextChoices):
    PARAGRAPH = "paragraph", "Fixed paragraph"
    CHOICE = "choice", "Choose-one option"
    FREE_TEXT = "free_text", "Free-text section"
    SYSTEM = "system", "System block"
    ENCLOSURE = "enclosure", "Enclosure"


class SystemBlock(models.TextChoices):
    PLAN_ACTIONS = "plan_actions", "The resolution plan's actions and due dates"
    CONTACT = "contact", "How to contact us (team and phone)"


class TemplatePartManager(models.Manager["TemplatePart"]):
    def get_by_natural_key(self, template_code: str, position: int) -> "TemplatePart":
        return self.get(template__code=template_code, position=position)


class TemplatePart(models.Model):
    """One part of a template, in order. A choose-one group is the run of
    CHOICE parts sharing a key; exactly one of them is the default.

    Each part of a template has its own position (services.check_parts
    refuses two at one position), which makes (template code, position)
    the part's natural key. It is checked there rather than by a unique
    constraint so that admins can still swap two parts' positions in one
    save, which a constraint checked row by row would refuse."""

    template = models.ForeignKey(LetterTemplate, on_delete=models.CASCADE, related_name="parts")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=PartKind.choices)
    paragraph = models.ForeignKey(
        Paragraph, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"language": Language.ENGLISH},
        help_text="Fixed paragraph or choose-one option (the English paragraph; its Welsh variant is used "
                  "for Welsh letters)",
    )
    key = models.SlugField(
        max_length=40, blank=True,
        help_text="Choose-one: the group key. Free text: the section key. System block: its name. "
                  "Enclosure: the leaflet code (e.g. CMSB0011).",
    )
    is_default = models.BooleanField(default=False, help_text="Choose-one: the option selected unless changed")
    heading = models.CharField(max_length=200, blank=True, help_text="Printed above this part (optional)")
    heading_cy = models.CharField("heading in Welsh", max_length=200, blank=True)
    required = models.BooleanField(default=True, help_text="Free text: must be written before issuing")
    max_length = models.PositiveIntegerField(default=3000, help_text="Free text: the most characters allowed")
    hint = models.TextField(blank=True, help_text="Free text: what the caseworker should write")

    objects = TemplatePartManager()

    class Meta:
        ordering = ["template", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["paragraph", "choice"]) | Q(paragraph__isnull=False),
                name="paragraph_part_has_paragraph",
            ),
        ]


    def __str__(self) -> str:
        return f"{self.template_id}#{self.position} {self.kind}"

    @property
    def text_paragraph(self) -> Paragraph:
        """The paragraph of a paragraph or choose-one part, which must have
        one (the admin's validation and the library import require it)."""
        if self.paragraph is None:
            raise ValueError(f"Part {self.position} of a letter template has no paragraph.")
        return self.paragraph


    def natural_key(self) -> tuple[str, int]:
        return (*self.template.natural_key(), self.position)

    def heading_for(self, language: str) -> str:
        return self.heading_cy if language == Language.WELSH and self.heading_cy else self.heading


class LetterTemplateVersionManager(models.Manager["LetterTemplateVersion"]):
    def get_by_natural_key(self, template_code: str, version: int) -> "LetterTemplateVersion":
        return self.get(template__code=template_code, version=version)


class LetterTemplateVersion(models.Model):
    """A template and its parts as they were after one save (append-only)."""

    template = models.ForeignKey(LetterTemplate, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    snapshot = models.JSONField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = LetterTemplateVersionManager()

    class Meta:
        ordering = ["template", "-version"]
        constraints = [models.UniqueConstraint(fields=["template", "version"], name="unique_template_version")]

    def __str__(self) -> str:
        return f"{self.template_id} v{self.version}"

    def natural_key(self) -> tuple[str, int]:
        return (*self.template.natural_key(), self.version)


def letter_upload_path(letter: "IssuedLetter", filename: str) -> str:
    return f"letters/{letter.issued_at:%Y/%m}/{filename}"


class IssuedLetter(models.Model):
    """A letter as sent. `html` is frozen at issue; the PDF rendered from it
    is stored once with its SHA-256. Neither ever changes afterwards."""

    sr = models.ForeignKey("complaints.ServiceRequest", on_delete=models.PROTECT, related_name="letters")
    template = models.ForeignKey(LetterTemplate, on_delete=models.PROTECT, related_name="issued")
    template_code = models.CharField(max_length=30)
    template_version = models.PositiveIntegerField()
    heading = models.CharField(max_length=200)
    language = models.CharField(max_length=2, choices=Language.choices)
    composition = models.JSONField(help_text="The caseworker's choices and free text, as issued")
    paragraph_versions = models.JSONField(default=dict, help_text="{paragraph code: version} used")
    html = models.TextField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()
    # Rendering: claimed by one worker at a time; done when rendered_at is set.
    render_claimed_at = models.DateTimeField(null=True, blank=True)
    render_attempts = models.PositiveSmallIntegerField(default=0)
    pdf = models.FileField(upload_to=letter_upload_path, blank=True, max_length=200)
    sha256 = models.CharField(max_length=64, blank=True)
    page_count = models.PositiveSmallIntegerField(null=True, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["sr", "issued_at"], name="letter_sr_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(rendered_at__isnull=True) | (~Q(pdf="") & ~Q(sha256="")), name="rendered_letter_has_pdf"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template_code} for {self.sr_id} ({self.issued_at:%Y-%m-%d})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Frozen once issued: rendering fills the PDF columns with a
        # conditional UPDATE (services.render_issued_letter), never save().
        if self.pk is not None:
            raise ValueError("Issued letters are frozen")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Issued letters are never deleted")

    @property
    def is_ready(self) -> bool:
        return self.rendered_at is not None

    @property
    def status_label(self) -> str:
        return "Ready" if self.is_ready else "Being produced"


class LetterOutbox(models.Model):
    """Work that must not be lost: render (and later post) an issued letter.
    Written in the issuing transaction; published after commit; the relay
    republishes what is still pending, so a broker outage only delays it."""

    letter = models.OneToOneField(IssuedLetter, on_delete=models.CASCADE, related_name="outbox")
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
    publish_attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["published_at"], name="outbox_pending_idx", condition=Q(done_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"outbox {self.letter_id}"


class OutgoingEmail(models.Model):
    """An e-mail a step sends (to ICE, PHSO, a named colleague): written in
    the step's transaction, sent after commit by a worker, exactly once;
    the relay republishes what the broker never got."""

    sr = models.ForeignKey("complaints.ServiceRequest", on_delete=models.PROTECT, related_name="emails")
    mailbox = models.CharField(max_length=40, help_text="Who it goes to, by name (settings.CASEWORK_MAILBOXES)")
    to_address = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
    publish_attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["published_at"], name="email_pending_idx", condition=Q(sent_at__isnull=True)),
            models.Index(fields=["sr", "created_at"], name="email_sr_idx"),
        ]

    def __str__(self) -> str:
        return f"e-mail {self.pk} to {self.mailbox} on {self.sr_id}"
