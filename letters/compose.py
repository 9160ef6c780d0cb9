"""Turning a template, a caseworker's composition and an SR's facts into
letter HTML. Pure apart from reading the template and the SR: nothing is
written here (services.issue_letter freezes the result).

Admin-edited text reaches the page only through placeholders.to_html (our
own escaping and substitution). The layout template letters/letter.html
is developer code and receives those blocks already built.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from accounts.models import Team, User
from complaints.models import ServiceRequest
from complaints.models.core import Language
from complaints.plans.services import current_plan
from complaints.services.errors import ServiceError
from workdays import calendar

from .models import LetterTemplate, Paragraph, PartKind, SystemBlock, TemplatePart
from .placeholders import PLACEHOLDER_RE, to_html

NORTHERN_IRELAND = "northern-ireland"

WELSH_MONTHS = [
    "Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin",
    "Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr",
]

# Words the layout prints around admin text, per language.
LABELS: dict[str, dict[str, str]] = {
    Language.ENGLISH: {
        "our_reference": "Our reference", "case_number": "Your case number", "date": "Date",
        "dear": "Dear", "yours": "Yours sincerely", "enclosed": "Enclosed", "phone": "Phone",
        "actions": "The actions we will take", "due": "by",
        "contact": "If you have any questions, please call {team} on {phone}. Please quote our reference {ref}.",
    },
    Language.WELSH: {
        "our_reference": "Ein cyfeirnod", "case_number": "Rhif eich achos", "date": "Dyddiad",
        "dear": "Annwyl", "yours": "Yn gywir", "enclosed": "Amgaeedig", "phone": "Ffôn",
        "actions": "Y camau y byddwn yn eu cymryd", "due": "erbyn",
        "contact": "Os oes gennych unrhyw gwestiynau, ffoniwch {team} ar {phone}. "
                   "Dyfynnwch ein cyfeirnod {ref}.",
    },
}

# Region-dependent names: CMG/NICMS, PHSO/NI Ombudsman (DESIGN §2).
ORGANISATION = {
    False: {
        "organisation": "CMG",
        "organisation_name": {"en": "Child Maintenance Group", "cy": "Grŵp Cynhaliaeth Plant"},
        "ombudsman": {"en": "Parliamentary and Health Service Ombudsman",
                      "cy": "Ombwdsmon Seneddol a Gwasanaeth Iechyd"},
        "ombudsman_short": "PHSO",
        "ombudsman_address": "The Parliamentary and Health Service Ombudsman\nMillbank Tower\nMillbank\n"
                             "London\nSW1P 4QP",
        "ombudsman_phone": "0345 015 4033",
        "representative": {"en": "MP", "cy": "AS"},
    },
    True: {
        "organisation": "NICMS",
        "organisation_name": {"en": "Northern Ireland Child Maintenance Service",
                              "cy": "Gwasanaeth Cynhaliaeth Plant Gogledd Iwerddon"},
        "ombudsman": {"en": "Northern Ireland Public Services Ombudsman",
                      "cy": "Ombwdsmon Gwasanaethau Cyhoeddus Gogledd Iwerddon"},
        "ombudsman_short": "NI Ombudsman",
        "ombudsman_address": "Northern Ireland Public Services Ombudsman\nProgressive House\n"
                             "33 Wellington Place\nBelfast\nBT1 6HN",
        "ombudsman_phone": "0800 34 34 24",
        "representative": {"en": "MP or MLA", "cy": "AS neu AC"},
    },
}


def format_date(day: date | None, language: str) -> str:
    """'24 December 2026' / '24 Rhagfyr 2026' (UI.md: dates in prose)."""
    if day is None:
        return ""
    if language == Language.WELSH:
        return f"{day.day} {WELSH_MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {day:%B %Y}"


# ---------------------------------------------------------------- layout


@dataclass
class ChoiceGroup:
    key: str
    options: list[TemplatePart] = field(default_factory=list)
    default: str = ""  # paragraph code of the default option

    @property
    def first(self) -> TemplatePart:
        return self.options[0]

    def option(self, code: str) -> TemplatePart | None:
        return next((o for o in self.options if o.text_paragraph.code == code), None)


@dataclass
class TemplateLayout:
    """A template's parts in order, with choose-one runs grouped."""

    template: LetterTemplate
    items: list[tuple[str, object]] = field(default_factory=list)
    groups: dict[str, ChoiceGroup] = field(default_factory=dict)
    sections: dict[str, TemplatePart] = field(default_factory=dict)

    @property
    def enclosures(self) -> list[TemplatePart]:
        return [p for kind, p in self.items if kind == PartKind.ENCLOSURE]  # type: ignore[misc]


def load_layout(template: LetterTemplate) -> TemplateLayout:
    parts = list(
        TemplatePart.objects.filter(template=template).select_related("paragraph", "paragraph__welsh")
        .order_by("position", "id")
    )
    layout = TemplateLayout(template=template)
    for part in parts:
        if part.kind == PartKind.CHOICE:
            group = layout.groups.get(part.key)
            if group is None:
                group = layout.groups[part.key] = ChoiceGroup(key=part.key)
                layout.items.append((PartKind.CHOICE, group))
            group.options.append(part)
            if part.is_default and not group.default:
                group.default = part.text_paragraph.code
        else:
            if part.kind == PartKind.FREE_TEXT:
                layout.sections[part.key] = part
            layout.items.append((part.kind, part))
    for group in layout.groups.values():
        # Admin validation asks for one default; the first option is the fallback.
        group.default = group.default or group.options[0].text_paragraph.code
    return layout


# ----------------------------------------------------------- composition


@dataclass(frozen=True)
class Composition:
    language: str
    choices: dict[str, str]
    free_text: dict[str, str]

    def as_dict(self) -> dict:
        return {"language": self.language, "choices": dict(self.choices), "free_text": dict(self.free_text)}


def resolve_composition(layout: TemplateLayout, raw: dict, default_language: str, *, strict: bool = True) -> Composition:
    """Fill defaults into what the caseworker sent and check it. `strict`
    (issuing) refuses empty required sections; a preview shows them as gaps."""
    code = layout.template.code
    raw = raw or {}
    unknown_keys = set(raw) - {"language", "choices", "free_text"}
    if unknown_keys:
        raise ServiceError(f"{code}: unexpected letter fields {', '.join(sorted(unknown_keys))}.")
    language = raw.get("language") or default_language
    if language not in Language.values:
        raise ServiceError(f"{code}: the language must be English or Welsh.")
    sent_choices = raw.get("choices") or {}
    sent_text = raw.get("free_text") or {}
    if not isinstance(sent_choices, dict) or not isinstance(sent_text, dict):
        raise ServiceError(f"{code}: the letter's choices and free text were not understood.")
    for key in set(sent_choices) - set(layout.groups):
        raise ServiceError(f"{code} has no choice called “{key}”.")
    for key in set(sent_text) - set(layout.sections):
        raise ServiceError(f"{code} has no free-text section called “{key}”.")
    choices: dict[str, str] = {}
    for key, group in layout.groups.items():
        chosen = sent_choices.get(key) or group.default
        if group.option(chosen) is None:
            allowed = " or ".join(o.text_paragraph.code for o in group.options)
            raise ServiceError(f"{code}: choose {allowed} for “{group.first.heading or key}”.")
        choices[key] = chosen
    free_text: dict[str, str] = {}
    for key, part in layout.sections.items():
        text = str(sent_text.get(key) or "").replace("\r\n", "\n").strip()
        label = part.heading or key
        if strict and part.required and not text:
            raise ServiceError(f"{code}: write the “{label}” section before issuing the letter.")
        if len(text) > part.max_length:
            raise ServiceError(f"{code}: “{label}” must be {part.max_length:,} characters or fewer.")
        free_text[key] = text
    return Composition(language=language, choices=choices, free_text=free_text)


# ------------------------------------------------------------------ facts


@dataclass(frozen=True)
class LetterFacts:
    """Everything about the SR a letter may print, as plain strings."""

    values: dict[str, str]
    address_lines: list[str]
    signed_by: str
    plan_actions: list[tuple[str, str]]


def _organisation_values(region: str, language: str) -> dict[str, str]:
    table = ORGANISATION[region == NORTHERN_IRELAND]
    return {k: str(v[language] if isinstance(v, dict) else v) for k, v in table.items()}


def _reply_by(start: date, days: int | None, region: str) -> date | None:
    if not days:
        return None
    try:
        # The same rule as the client's wait clock: moved to a working day.
        return calendar.add_calendar_days(start, days, region)
    except ValueError:  # outside the calendar's horizon
        return start + timedelta(days=days)


def facts_for_sr(sr: ServiceRequest, template: LetterTemplate, language: str, actor: User, now: datetime) -> LetterFacts:
    client = sr.client
    today = timezone.localdate(now)
    plan = current_plan(sr)
    actions = list(plan.actions.order_by("position", "id")) if plan is not None else []
    plan_due = plan.actions.aggregate(d=Max("due_on"))["d"] if plan is not None else None
    caseworker = sr.owner or actor
    values = {
        "client_name": client.name,
        "client_address": "\n".join(client.address_lines),
        "reference": sr.reference,
        "case_number": client.case_number,
        "today": format_date(today, language),
        "received_date": format_date(sr.received_on, language),
        "caseworker_name": caseworker.display_name if caseworker else "",
        "team_name": sr.team.name_for(language),
        "team_phone": sr.team.phone,
        "reply_days": str(template.reply_days or ""),
        "reply_by_date": format_date(_reply_by(today, template.reply_days, client.region), language),
        "plan_due_date": format_date(plan_due, language),
        **_organisation_values(client.region, language),
    }
    return LetterFacts(
        values=values,
        address_lines=[client.name, *client.address_lines],
        signed_by=actor.display_name if actor else values["caseworker_name"],
        plan_actions=[(a.description, format_date(a.due_on, language)) for a in actions],
    )


# A team that sends the letter in an admin preview, by the route the
# template is for, when no such team has been set up.
SAMPLE_TEAMS = {
    "resolution": ("Complaints resolution team", "Tîm datrys cwynion"),
    "review": ("Complaints review team", "Tîm adolygu cwynion"),
    "ice": ("Internal ICE team", "Tîm ICE mewnol"),
    "phso": ("Internal PHSO team", "Tîm PHSO mewnol"),
}


def _sample_team(template: LetterTemplate, language: str) -> tuple[str, str]:
    """(name, phone) of a team of the route the template is for: a real one
    if there is one, so the preview reads as the letter will."""
    route = next(iter(template.allowed_states or {}), "review")
    team = Team.objects.filter(route=route).order_by("name").first()
    if team is not None:
        return team.name_for(language), team.phone or "0800 000 0000"
    english, welsh = SAMPLE_TEAMS.get(route, SAMPLE_TEAMS["review"])
    return (welsh if language == Language.WELSH else english), "0800 000 0000"


def sample_facts(template: LetterTemplate, language: str, region: str = "england-and-wales") -> LetterFacts:
    """Made-up facts for admin previews."""
    today = timezone.localdate()
    team_name, team_phone = _sample_team(template, language)
    values = {
        "client_name": "Alex Sample",
        "client_address": "1 Example Street\nSampletown\nAB1 2CD",
        "reference": "SR-SAMPLE-0001",
        "case_number": "1234567890",
        "today": format_date(today, language),
        "received_date": format_date(today - timedelta(days=10), language),
        "caseworker_name": "Sam Caseworker",
        "team_name": team_name,
        "team_phone": team_phone,
        "reply_days": str(template.reply_days or ""),
        "reply_by_date": format_date(_reply_by(today, template.reply_days, region), language),
        "plan_due_date": format_date(today + timedelta(days=28), language),
        **_organisation_values(region, language),
    }
    return LetterFacts(
        values=values,
        address_lines=["Alex Sample", "1 Example Street", "Sampletown", "AB1 2CD"],
        signed_by="Sam Caseworker",
        plan_actions=[("Correct the effective date of the calculation", values["plan_due_date"])],
    )


# ----------------------------------------------------------------- render


@dataclass(frozen=True)
class RenderedLetter:
    html: str
    heading: str
    paragraph_versions: dict[str, int]


class _Filler:
    """Fills placeholders, noting any that have no value (e.g. a team
    with no phone number), so issuing can refuse with a clear message."""

    def __init__(self, values: dict[str, str], *, strict: bool) -> None:
        self.values = values
        self.strict = strict
        self.missing: set[str] = set()

    def html(self, text: str) -> SafeString:
        for name in PLACEHOLDER_RE.findall(text or ""):
            if name in self.values and not self.values[name]:
                self.missing.add(name)
        values = self.values if self.strict else {k: v or f"[{k}]" for k, v in self.values.items()}
        return mark_safe(to_html(text, values))  # noqa: S308 — to_html escapes everything

    def inline(self, text: str) -> SafeString:
        """A heading: one line, no <p>."""
        block = self.html(text)
        return mark_safe(block.removeprefix("<p>").removesuffix("</p>"))  # noqa: S308


def paragraph_in(part: TemplatePart, language: str, code: str) -> Paragraph:
    paragraph = part.text_paragraph
    if language == Language.WELSH:
        try:
            return paragraph.welsh
        except Paragraph.DoesNotExist:
            raise ServiceError(
                f"{code} cannot be sent in Welsh yet: paragraph {paragraph.code} has no Welsh version. "
                "Ask a letter admin to add it, or send the letter in English."
            ) from None
    return paragraph


def render_letter_html(
    layout: TemplateLayout, composition: Composition, facts: LetterFacts, *,
    strict: bool = True, stylesheet_href: str | None = None,
) -> RenderedLetter:
    """The letter's HTML. Frozen HTML has no stylesheet link: the renderer
    applies its prebuilt print CSS; browser previews link the same file."""
    template = layout.template
    language = composition.language
    fill = _Filler(facts.values, strict=strict)
    used: dict[str, int] = {}
    blocks: list[dict] = []

    def add_paragraph(part: TemplatePart, heading_part: TemplatePart) -> None:
        paragraph = paragraph_in(part, language, template.code)
        used[paragraph.code] = paragraph.version
        blocks.append({"heading": fill.inline(heading_part.heading_for(language)), "body": fill.html(paragraph.text),
                       "code": paragraph.code})

    for kind, item in layout.items:
        if kind == PartKind.PARAGRAPH:
            add_paragraph(item, item)  # type: ignore[arg-type]
        elif kind == PartKind.CHOICE:
            group: ChoiceGroup = item  # type: ignore[assignment]
            add_paragraph(group.option(composition.choices[group.key]), group.first)  # type: ignore[arg-type]
        elif kind == PartKind.FREE_TEXT:
            part: TemplatePart = item  # type: ignore[assignment]
            text = composition.free_text.get(part.key, "")
            if not text and not strict:
                text = f"[{part.heading or part.key}: still to be written]"
            if text:
                blocks.append({"heading": fill.inline(part.heading_for(language)), "body": mark_safe(to_html(text)),
                               "free_text": True})
        elif kind == PartKind.SYSTEM:
            part = item  # type: ignore[assignment]
            blocks.append(_system_block(part, language, facts, fill))
    if strict and fill.missing:
        names = ", ".join(sorted(fill.missing))
        raise ServiceError(
            f"{template.code} needs information this case does not have yet: {names}. "
            "Add it to the case (or ask an admin to add the team's details) and try again."
        )
    labels = LABELS[language]
    heading = template.heading_for(language)
    html = render_to_string("letters/letter.html", {
        "language": language,
        "heading": fill.inline(heading),
        "labels": labels,
        "values": facts.values,
        "address_lines": facts.address_lines,
        "signed_by": facts.signed_by,
        "blocks": blocks,
        "enclosures": [(p.key, p.heading_for(language)) for p in layout.enclosures],
        "stylesheet_href": stylesheet_href,
        "template_code": template.code,
    })
    return RenderedLetter(html=html, heading=heading, paragraph_versions=used)


def _system_block(part: TemplatePart, language: str, facts: LetterFacts, fill: _Filler) -> dict:
    labels = LABELS[language]
    heading = fill.inline(part.heading_for(language))
    if part.key == SystemBlock.PLAN_ACTIONS:
        return {"heading": heading or labels["actions"], "actions": facts.plan_actions, "due_label": labels["due"]}
    if part.key == SystemBlock.CONTACT:
        v = facts.values
        text = labels["contact"].format(team=v["team_name"], phone=v["team_phone"] or "[team_phone]",
                                        ref=v["reference"])
        if not v["team_phone"]:
            fill.missing.add("team_phone")
        return {"heading": heading, "body": mark_safe(to_html(text))}
    return {"heading": heading, "body": ""}
