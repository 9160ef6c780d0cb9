"""The only code that writes letters.

- issue_letter: freeze a letter's HTML, write it, its outbox row and the
  audit event in the caller's transaction; publish the render task after
  commit. Transitions that require a letter call it (complaints.services.
  transitions, via custom={"letter": CODE}); the Send a letter page calls
  send_letter, which adds the lock and the permission check.
- render_issued_letter: the Celery task's body — exactly once per letter.
- relay_outbox: republish what the broker never got.
- save_paragraph / save_template: admin edits, each a new version.
"""

import hashlib
import logging
from collections import Counter
from datetime import datetime, timedelta

from celery import current_app
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import RouteChoices, User
from complaints.models import ServiceRequest
from complaints.permissions import can_work
from complaints.routes import REGISTRY, as_route, labels_for
from complaints.services.audit import record_event
from complaints.services.errors import NotPermitted, RowBusy, ServiceError, is_busy_error

from . import emails
from .compose import facts_for_sr, load_layout, render_letter_html, resolve_composition
from .conditions import refusal
from .models import (
    IssuedLetter,
    LetterOutbox,
    LetterTemplate,
    LetterTemplateVersion,
    Paragraph,
    ParagraphVersion,
    PartKind,
    SystemBlock,
    TemplatePart,
)

log = logging.getLogger("letters")

# A claimed render not finished after this is taken to have died with its
# worker; a published task not done after this is published again.
CLAIM_TIMEOUT = timedelta(minutes=5)
RENDER_TASK = "letters.render_letter"
REPUBLISH_AFTER = timedelta(minutes=5)


def get_template(code: str) -> LetterTemplate:
    template = LetterTemplate.objects.filter(code=code).first()
    if template is None:
        raise ServiceError(f"There is no letter template {code}.")
    if not template.active:
        raise ServiceError(f"Letter {code} is switched off in admin and cannot be issued.")
    return template


def issue_letter(
    *, sr: ServiceRequest, actor: User, template_code: str, composition: dict, now: datetime
) -> IssuedLetter:
    """Issue one letter. Runs inside the caller's transaction (a transition
    or send_letter), so a refusal anywhere rolls everything back."""
    template = get_template(template_code)
    if not template.allows(sr.route, sr.state, is_open=sr.is_open):
        labels = labels_for(sr.route, sr.state, sr.client.region)
        raise ServiceError(
            f"{template.code} cannot be issued on a {sr.get_route_display()} SR that is "
            f"{labels.status} / {labels.sub_status or '–'}."
        )
    why_not = refusal(template.code, sr)
    if why_not:
        raise ServiceError(why_not)
    layout = load_layout(template)
    chosen = resolve_composition(layout, composition, sr.client.language, strict=True)
    facts = facts_for_sr(sr, template, chosen.language, actor, now)
    rendered = render_letter_html(layout, chosen, facts, strict=True)
    letter = IssuedLetter.objects.create(
        sr=sr, template=template, template_code=template.code, template_version=template.version,
        heading=rendered.heading, language=chosen.language, composition=chosen.as_dict(),
        paragraph_versions=rendered.paragraph_versions, html=rendered.html, issued_by=actor, issued_at=now,
    )
    LetterOutbox.objects.create(letter=letter, created_at=now)
    record_event(
        sr=sr, actor=actor, verb="letter_issued", now=now, letter_id=letter.pk, template_code=template.code,
        heading=rendered.heading, language=chosen.language,
    )
    # Never talk to the broker inside the transaction: after commit, and if
    # the broker is down the relay publishes it later.
    transaction.on_commit(lambda: publish_render(letter.pk))
    return letter


def send_letter(*, sr_id: int, actor: User, template_code: str, composition: dict) -> IssuedLetter:
    """Send a letter from the case page (no transition): lock the SR so the
    state check and the issue are one step, check the user may work it."""
    now = timezone.now()
    with transaction.atomic():
        # of=("self",): PostgreSQL cannot lock the nullable side (owner) of a join.
        try:
            sr = as_route(ServiceRequest.objects.select_for_update(of=("self",))
                          .select_related("client", "team", "owner").get(pk=sr_id))
        except OperationalError as exc:
            if is_busy_error(exc):
                raise RowBusy() from exc
            raise
        if not can_work(actor, sr):
            raise NotPermitted("You are not allowed to send letters on this SR.")
        return issue_letter(sr=sr, actor=actor, template_code=template_code, composition=composition, now=now)


# ---------------------------------------------------------------- outbox


def publish_render(letter_id: int) -> bool:
    """Hand the render task to the broker; record the outcome on the outbox
    row. A failure is logged, not raised: the relay will try again. The task
    is named, not imported: letters.tasks calls this module."""
    now = timezone.now()
    try:
        current_app.signature(RENDER_TASK, args=[letter_id]).apply_async(retry=False)
    except Exception as exc:  # noqa: BLE001 — any broker failure means "try later"
        log.warning("letter %s: render task not published (%s); the relay will retry", letter_id, exc)
        LetterOutbox.objects.filter(letter_id=letter_id).update(
            publish_attempts=F("publish_attempts") + 1, last_error=str(exc)[:300]
        )
        return False
    LetterOutbox.objects.filter(letter_id=letter_id).update(
        published_at=now, publish_attempts=F("publish_attempts") + 1, last_error=""
    )
    return True


def pending_outbox(now: datetime, limit: int = 500) -> list[int]:
    """Letters still to render whose task was never published, or was
    published so long ago that it must have been lost."""
    return list(
        LetterOutbox.objects.filter(done_at__isnull=True)
        .filter(Q(published_at__isnull=True) | Q(published_at__lt=now - REPUBLISH_AFTER))
        .order_by("created_at").values_list("letter_id", flat=True)[:limit]
    )


def relay_outbox() -> int:
    """Publish every pending render task and e-mail; returns how many were
    published."""
    published = emails.relay_emails()
    for letter_id in pending_outbox(timezone.now()):
        if publish_render(letter_id):
            published += 1
        else:
            break  # the broker is still down: the next run tries again
    return published


# -------------------------------------------------------------- rendering


def letter_filename(letter: IssuedLetter) -> str:
    return f"letters/{letter.issued_at:%Y/%m}/{letter.sr.reference}-{letter.template_code}-{letter.pk}.pdf"


def render_issued_letter(letter_id: int) -> bool:
    """Render and store one letter's PDF, exactly once.

    The claim is a conditional UPDATE: only one worker gets it, and a letter
    already rendered is never claimed again. The result is written with
    another conditional UPDATE on the same claim, so a worker that lost its
    claim (it was too slow and another took over) stores nothing."""
    # WeasyPrint is loaded by the worker that renders, not by every web process.
    from .rendering import render_pdf

    now = timezone.now()
    claimed = (
        IssuedLetter.objects.filter(pk=letter_id, rendered_at__isnull=True)
        .filter(Q(render_claimed_at__isnull=True) | Q(render_claimed_at__lt=now - CLAIM_TIMEOUT))
        .update(render_claimed_at=now, render_attempts=F("render_attempts") + 1)
    )
    if not claimed:
        return False
    letter = IssuedLetter.objects.select_related("sr").only(
        "pk", "html", "issued_at", "template_code", "sr__reference"
    ).get(pk=letter_id)
    pdf = render_pdf(letter.html)
    digest = hashlib.sha256(pdf.data).hexdigest()
    name = default_storage.save(letter_filename(letter), ContentFile(pdf.data))
    with transaction.atomic():
        stored = IssuedLetter.objects.filter(pk=letter_id, rendered_at__isnull=True, render_claimed_at=now).update(
            pdf=name, sha256=digest, page_count=pdf.pages, rendered_at=timezone.now()
        )
        if stored:
            LetterOutbox.objects.filter(letter_id=letter_id).update(done_at=timezone.now())
    if not stored:
        default_storage.delete(name)
        return False
    log.info("letter %s rendered: %s pages, sha256 %s", letter_id, pdf.pages, digest[:12])
    return True


# ------------------------------------------------------------- versioning


def save_paragraph(*, paragraph: Paragraph, actor: User | None, now: datetime | None = None) -> Paragraph:
    """Save an admin's edit as a new version (nothing new if nothing changed).
    Letters already issued keep their frozen HTML whatever happens here."""
    now = now or timezone.now()
    with transaction.atomic():
        # A Welsh paragraph saved now is in step with its English one as it is.
        english_version = (Paragraph.objects.filter(pk=paragraph.english_id).values_list("version", flat=True).first()
                           if paragraph.english_id else None)
        paragraph.english_version = english_version
        if paragraph.pk is not None:
            current = Paragraph.objects.select_for_update().get(pk=paragraph.pk)
            if (current.title, current.text, current.language, current.english_id) == (
                paragraph.title, paragraph.text, paragraph.language, paragraph.english_id
            ) and current.code == paragraph.code:
                # Saved unchanged: the admin checked it against the English.
                if current.english_version != english_version:
                    Paragraph.objects.filter(pk=current.pk).update(english_version=english_version)
                    current.english_version = english_version
                return current
            paragraph.version = current.version + 1
            # Its Welsh version was written against the text before this change.
            Paragraph.objects.filter(english=current, english_version__isnull=True).update(
                english_version=current.version)
        else:
            paragraph.version = 1
        paragraph.updated_at = now
        paragraph.updated_by = actor
        paragraph.save()
        ParagraphVersion.objects.create(
            paragraph=paragraph, version=paragraph.version, title=paragraph.title, text=paragraph.text,
            created_at=now, created_by=actor,
        )
    return paragraph


def template_snapshot(template: LetterTemplate) -> dict:
    """The template and its parts as plain data, for its version history."""
    parts = TemplatePart.objects.filter(template=template).select_related("paragraph").order_by("position", "id")
    return {
        "code": template.code, "heading": template.heading, "heading_cy": template.heading_cy,
        "guidance": template.guidance, "allowed_states": template.allowed_states,
        "reply_days": template.reply_days, "active": template.active,
        "parts": [
            {"position": p.position, "kind": p.kind, "paragraph": p.paragraph.code if p.paragraph else None,
             "key": p.key, "is_default": p.is_default, "heading": p.heading, "heading_cy": p.heading_cy,
             "required": p.required, "max_length": p.max_length, "hint": p.hint}
            for p in parts
        ],
    }


def record_template_version(*, template: LetterTemplate, actor: User | None, now: datetime | None = None) -> LetterTemplate:
    """After a template and its parts are saved: a new version if anything
    changed since the last one."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = LetterTemplate.objects.select_for_update().get(pk=template.pk)
        snapshot = template_snapshot(locked)
        last = locked.versions.order_by("-version").first()
        if last is not None and last.snapshot == snapshot:
            return locked
        version = (last.version if last else 0) + 1
        LetterTemplateVersion.objects.create(
            template=locked, version=version, snapshot=snapshot, created_at=now, created_by=actor
        )
        LetterTemplate.objects.filter(pk=locked.pk).update(version=version, updated_at=now, updated_by=actor)
    template.version, template.updated_at, template.updated_by = version, now, actor
    return template


# Editable template fields: what save_template writes on an existing template
# (version and updated_* belong to record_template_version).
TEMPLATE_FIELDS = ["code", "heading", "heading_cy", "guidance", "allowed_states", "reply_days", "active"]


def save_template(
    *, template: LetterTemplate, parts: list[TemplatePart], actor: User | None, now: datetime | None = None,
    check: bool = True,
) -> LetterTemplate:
    """Save a template with exactly these parts, in one transaction, as one
    edit: a new version if anything changed (the letter library import; the
    admin saves through its forms and then calls record_template_version).

    `check` holds the template to the admin's rules. Only the library
    import turns it off, to replay a template's past versions: they were
    valid where they were made, and only the current one takes effect."""
    if check:
        errors = check_allowed_states(template.allowed_states) + check_parts(parts)
        if errors:
            raise ServiceError(f"Letter template {template.code}: {' '.join(errors)}")
    now = now or timezone.now()
    with transaction.atomic():
        if template.pk is None:
            template.version = 0
            template.save()
        else:
            LetterTemplate.objects.select_for_update().get(pk=template.pk)  # one edit at a time
            template.save(update_fields=TEMPLATE_FIELDS)
        # Parts carry no history of their own (the version snapshot does),
        # and nothing else points at them: replace them all.
        TemplatePart.objects.filter(template=template).delete()
        for part in parts:
            part.pk = None
            part.template = template
        TemplatePart.objects.bulk_create(parts)
        return record_template_version(template=template, actor=actor, now=now)


def check_allowed_states(value: object) -> list[str]:
    """Why a template's allowed_states is not {"route": ["state", ...]} of
    known routes and states (admin validation and library import)."""
    if not isinstance(value, dict):
        return ['Write it as {"route": ["state", ...]}, e.g. {"review": ["in_progress"]}.']
    known = {route: set(REGISTRY[route].states) if route in REGISTRY else set() for route in RouteChoices.values}
    errors = []
    for route, states in value.items():
        if route not in known:
            errors.append(f"“{route}” is not a route. Routes: {', '.join(RouteChoices.values)}.")
            continue
        if not isinstance(states, list) or not all(isinstance(s, str) for s in states):
            errors.append(f"{route}: give a list of state names.")
            continue
        # A route whose state machine is not installed yet cannot be checked.
        unknown = [s for s in states if s != "*" and known[route] and s not in known[route]]
        if unknown:
            errors.append(f"{route}: unknown states {', '.join(unknown)}. Known: {', '.join(sorted(known[route]))}.")
    return errors


def check_parts(parts: list[TemplatePart]) -> list[str]:
    """Why a template's parts do not make a letter (admin validation)."""
    errors: list[str] = []
    # Order must be unambiguous, and (template, position) names a part in
    # fixtures and library files (TemplatePart.natural_key).
    positions = Counter(part.position for part in parts)
    for position, count in sorted(positions.items()):
        if count > 1:
            errors.append(f"{count} parts are at position {position}: give each part its own position.")
    groups: dict[str, list[TemplatePart]] = {}
    sections: set[str] = set()
    for part in parts:
        if part.kind in (PartKind.PARAGRAPH, PartKind.CHOICE) and part.paragraph_id is None:
            errors.append(f"Part {part.position}: choose the paragraph.")
        if part.kind == PartKind.CHOICE:
            if not part.key:
                errors.append(f"Part {part.position}: a choose-one option needs its group key.")
            groups.setdefault(part.key, []).append(part)
        if part.kind == PartKind.FREE_TEXT:
            if not part.key:
                errors.append(f"Part {part.position}: a free-text section needs a key.")
            elif part.key in sections:
                errors.append(f"Free-text key “{part.key}” is used twice.")
            sections.add(part.key)
            if not part.heading and not part.hint:
                errors.append(f"Part {part.position}: give the free-text section a heading or a hint.")
        if part.kind == PartKind.SYSTEM:
            if part.key not in SystemBlock.values:
                errors.append(f"Part {part.position}: system block must be one of {', '.join(SystemBlock.values)}.")
        if part.kind == PartKind.ENCLOSURE and (not part.key or not part.heading):
            errors.append(f"Part {part.position}: an enclosure needs its code (key) and title (heading).")
    for key, options in groups.items():
        defaults = sum(1 for o in options if o.is_default)
        if len(options) < 2:
            errors.append(f"Choose-one group “{key}” needs at least two options.")
        if defaults != 1:
            errors.append(f"Choose-one group “{key}” needs exactly one default option (it has {defaults}).")
    return errors
