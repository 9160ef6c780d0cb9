"""Forms for composing a letter. The form only collects; the service
(issue_letter → compose.resolve_composition) is the authority on what a
valid composition is, so the same rules hold for transitions and API use."""

from dataclasses import dataclass
from typing import Any, cast

from django import forms

from complaints.fields import GovukForm
from complaints.models import ServiceRequest
from complaints.models.core import Language

from .compose import ChoiceGroup, TemplateLayout, load_layout
from .models import LetterTemplate, PartKind, TemplatePart
from .placeholders import PLACEHOLDER_RE
from .services import get_template


@dataclass(frozen=True)
class FormItem:
    """One thing the composition partial shows, in the template's order."""

    kind: str  # "choice" | "free_text"
    field: forms.BoundField
    heading: str
    hint: str
    max_length: int = 0
    options: tuple[tuple[str, str, str], ...] = ()  # (paragraph code, title, text) for choices


class LetterCompositionForm(GovukForm):
    """Language, one field per choose-one group (`choice_<key>`) and per
    free-text section (`text_<key>`). `.composition()` gives the dict
    issue_letter takes."""

    language = forms.ChoiceField(
        label="Language of the letter", choices=Language.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose English or Welsh"},
    )

    def __init__(self, data: Any = None, *, template_code: str, sr: ServiceRequest, prefix: str = "letter") -> None:
        super().__init__(data, prefix=prefix)
        self.sr = sr
        self.template: LetterTemplate = get_template(template_code)
        self.layout: TemplateLayout = load_layout(self.template)
        self.fields["language"].initial = sr.client.language
        for kind, item in self.layout.items:
            if kind == PartKind.CHOICE:
                group: ChoiceGroup = item  # type: ignore[assignment]
                self.fields[f"choice_{group.key}"] = forms.ChoiceField(
                    label=group.first.heading or "Which paragraph should the letter use?",
                    choices=[(o.text_paragraph.code, f"{o.text_paragraph.code} – {o.text_paragraph.title}") for o in group.options],
                    initial=group.default, widget=forms.RadioSelect,
                    error_messages={"required": "Choose one of the paragraphs"},
                )
            elif kind == PartKind.FREE_TEXT:
                part: TemplatePart = item  # type: ignore[assignment]
                label = part.heading or "Letter text"
                self.fields[f"text_{part.key}"] = forms.CharField(
                    label=label, required=part.required, max_length=part.max_length, strip=True,
                    widget=forms.Textarea(attrs={"rows": 6}),
                    error_messages={
                        "required": f"Write the “{label}” section of the letter",
                        "max_length": f"“{label}” must be {part.max_length:,} characters or fewer",
                    },
                )

    @property
    def letter_template(self) -> LetterTemplate:
        return self.template

    @property
    def items(self) -> list[FormItem]:
        """Choice groups and free-text sections, in letter order."""
        out: list[FormItem] = []
        for kind, item in self.layout.items:
            if kind == PartKind.CHOICE:
                group: ChoiceGroup = item  # type: ignore[assignment]
                options = tuple(
                    (o.text_paragraph.code, o.text_paragraph.title, PLACEHOLDER_RE.sub(r"[\1]", o.text_paragraph.text))
                    for o in group.options
                )
                out.append(FormItem("choice", self[f"choice_{group.key}"], group.first.heading, "", options=options))
            elif kind == PartKind.FREE_TEXT:
                part: TemplatePart = item  # type: ignore[assignment]
                out.append(FormItem("free_text", self[f"text_{part.key}"], part.heading or "Letter text", part.hint,
                                    max_length=part.max_length))
        return out

    def composition(self) -> dict:
        data = self.cleaned_data
        return {
            "language": data["language"],
            "choices": {key: data[f"choice_{key}"] for key in self.layout.groups},
            "free_text": {key: data.get(f"text_{key}", "") for key in self.layout.sections},
        }

    def preview_composition(self) -> dict:
        """What the caseworker has typed so far, valid or not (previews
        show gaps rather than refusing)."""
        raw = self.data
        prefix = (self.prefix + "-") if self.prefix else ""
        choices = {}
        for key, group in self.layout.groups.items():
            value = raw.get(f"{prefix}choice_{key}", "")
            choices[key] = value if group.option(value) else group.default
        free_text = {
            key: str(raw.get(f"{prefix}text_{key}", ""))[: part.max_length]
            for key, part in self.layout.sections.items()
        }
        language = raw.get(f"{prefix}language", "")
        return {"language": language if language in Language.values else self.sr.client.language,
                "choices": choices, "free_text": free_text}


class ChooseTemplateForm(GovukForm):
    """Step one of Send a letter: which template."""

    template = forms.ChoiceField(
        label="Which letter do you want to send?", widget=forms.RadioSelect,
        error_messages={"required": "Choose the letter to send", "invalid_choice": "Choose one of the letters listed"},
    )

    def __init__(self, data: Any = None, *, templates: list[LetterTemplate]) -> None:
        super().__init__(data)
        self.templates = templates
        cast(forms.ChoiceField, self.fields["template"]).choices = [(t.code, f"{t.code} – {t.heading}") for t in templates]

