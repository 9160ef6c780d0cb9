"""The letter library as a file, so letter content drafted in one
environment (test) can be promoted to another (production) and back.

The file is Django's JSON serialization of the five library models with
natural keys — paragraph and template codes, part positions and version
numbers, never database ids — so the same file is a `loaddata` fixture
for a database with no library (fixtures/letter_library.json is one).
Into a database that has a library it is *imported*, never loaded:
loaddata overwrites rows in place, which would rewind a paragraph's
version counter under versions that issued letters point to.

How an import treats each paragraph and template (import_library):
- one this database lacks is added with its history, replayed version by
  version through the services an admin save uses, so its versions keep
  the numbers and dates they have where they were written;
- one it has whose current content differs gets one new version here
  (the next number here, which need not match the file's);
- one whose content is the same, and one the file lacks, is left alone;
  nothing is deleted and no existing version is ever rewritten: issued
  letters record the paragraph versions they used and freeze their HTML.
Who saved a version does not travel (the people differ between
environments); versions an import makes are recorded as made by the user
named with --by. The whole file is checked before anything is written and
written in one transaction, so a bad file changes nothing.
"""

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction

from accounts.models import User
from complaints.models.core import Language
from complaints.services.errors import ServiceError

from . import services
from .models import LetterTemplate, LetterTemplateVersion, Paragraph, ParagraphVersion, TemplatePart
from .placeholders import validate_text

MODELS: list[type[models.Model]] = [Paragraph, ParagraphVersion, LetterTemplate, TemplatePart, LetterTemplateVersion]
LABELS = {model._meta.label_lower: model for model in MODELS}
# Who saved what is local to each environment: left out of the file.
USER_FIELDS = {"updated_by", "created_by"}
EXPORTED_FIELDS = sorted(
    {f.name for model in MODELS for f in model._meta.local_fields if not f.primary_key} - USER_FIELDS
)
# Fields a record must have; the rest take the model's default.
REQUIRED = {
    "letters.paragraph": ["code", "language", "title", "text", "version"],
    "letters.paragraphversion": ["paragraph", "version", "title", "text", "created_at"],
    "letters.lettertemplate": ["code", "heading", "version"],
    "letters.templatepart": ["template", "position", "kind"],
    "letters.lettertemplateversion": ["template", "version", "snapshot", "created_at"],
}
PART_FIELDS = ["position", "kind", "paragraph", "key", "is_default", "heading", "heading_cy", "required",
               "max_length", "hint"]
MAX_PROBLEMS = 20


class LibraryFileError(Exception):
    """The file is not a letter library this database can take; nothing
    was changed. `problems` are sentences for the admin running it."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


# ------------------------------------------------------------------ export


@dataclass(frozen=True)
class ExportSummary:
    paragraphs: int
    paragraph_versions: int
    templates: int
    template_versions: int

    def __str__(self) -> str:
        return (f"{self.paragraphs} paragraphs ({self.paragraph_versions} versions) and {self.templates} "
                f"templates ({self.template_versions} versions)")


def export_library(stream: IO[str]) -> ExportSummary:
    """Write the whole library to `stream`: English paragraphs before the
    Welsh ones that translate them, then versions, templates, parts and
    template versions, each sorted by its natural key, so two exports of
    the same library are the same bytes whatever the database."""
    # Sorted here, not by the database: collations differ (PostgreSQL's
    # locale order skips the underscores SQLite compares).
    paragraphs = sorted(Paragraph.objects.select_related("english"),
                        key=lambda p: (p.language != Language.ENGLISH, p.code))
    paragraph_versions = sorted(ParagraphVersion.objects.select_related("paragraph"),
                                key=lambda v: (v.paragraph.code, v.version))
    templates = sorted(LetterTemplate.objects.all(), key=lambda t: t.code)
    parts = sorted(TemplatePart.objects.select_related("template", "paragraph"),
                   key=lambda p: (p.template.code, p.position, p.pk))
    template_versions = sorted(LetterTemplateVersion.objects.select_related("template"),
                               key=lambda v: (v.template.code, v.version))
    # PostgreSQL's jsonb keeps its own key order, SQLite the saved one.
    for template in templates:
        template.allowed_states = _sorted_keys(template.allowed_states)
    for template_version in template_versions:
        template_version.snapshot = _sorted_keys(template_version.snapshot)
    serializers.serialize(
        "json", [*paragraphs, *paragraph_versions, *templates, *parts, *template_versions], stream=stream,
        indent=2, use_natural_foreign_keys=True, use_natural_primary_keys=True,
        fields=EXPORTED_FIELDS,
    )
    return ExportSummary(len(paragraphs), len(paragraph_versions), len(templates), len(template_versions))


def _sorted_keys(value: Any) -> Any:
    return json.loads(json.dumps(value, sort_keys=True))


# ----------------------------------------------------------------- reading


@dataclass
class VersionRecord:
    version: int
    created_at: datetime
    title: str = ""
    text: str = ""
    snapshot: dict = field(default_factory=dict)


@dataclass
class ParagraphRecord:
    code: str
    language: str
    english: str | None
    title: str
    text: str
    version: int
    versions: list[VersionRecord] = field(default_factory=list)
    # The English version a Welsh paragraph was last checked against.
    english_version: int | None = None


@dataclass
class TemplateRecord:
    values: dict[str, Any]  # the TEMPLATE_FIELDS
    version: int
    parts: list[dict[str, Any]] = field(default_factory=list)  # PART_FIELDS, paragraph as a code
    versions: list[VersionRecord] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.values["code"]

    def snapshot(self) -> dict:
        """In the form services.template_snapshot gives, to compare."""
        return {**self.values, "parts": sorted(self.parts, key=lambda p: p["position"])}


@dataclass
class Library:
    paragraphs: dict[str, ParagraphRecord] = field(default_factory=dict)
    templates: dict[str, TemplateRecord] = field(default_factory=dict)


class _Problems(list[str]):
    def add(self, message: str) -> None:
        self.append(message)

    def raise_if_any(self) -> None:
        if self:
            shown = self[:MAX_PROBLEMS]
            if len(self) > MAX_PROBLEMS:
                shown.append(f"… and {len(self) - MAX_PROBLEMS} more problems.")
            raise LibraryFileError(shown)


def _clean(model: type[models.Model], name: str, value: Any) -> Any:
    """A field's value converted and checked as the model would; raises
    ValidationError with Django's own wording."""
    model_field = model._meta.get_field(name)
    assert isinstance(model_field, models.Field)
    if model_field.null and value is None:
        return None
    return model_field.clean(value, None)


def _natural_ref(value: Any) -> str | None:
    """A foreign key written as a natural key: ["CODE"] (or null)."""
    if value is None:
        return None
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str) and value[0]:
        return value[0]
    raise ValidationError("it must name the record by its code, as [\"CODE\"] — this file refers to it by a "
                          "database id or in a form this command does not read")


def _read_record(index: int, raw: Any, problems: _Problems) -> tuple[str, dict[str, Any]] | None:
    where = f"Record {index}"
    if not isinstance(raw, dict) or not isinstance(raw.get("model"), str) or not isinstance(raw.get("fields"), dict):
        problems.add(f"{where} is not a {{\"model\": …, \"fields\": {{…}}}} record.")
        return None
    label = raw["model"].lower()
    model = LABELS.get(label)
    if model is None:
        problems.add(f"{where} is a {raw['model']} record; a letter library file holds only paragraphs, "
                     "templates, their parts and their versions.")
        return None
    values: dict[str, Any] = {}
    for name in REQUIRED[label]:
        if name not in raw["fields"]:
            problems.add(f"{where} ({model._meta.verbose_name}) has no “{name}”.")
    for name, value in raw["fields"].items():
        try:
            model_field = model._meta.get_field(name)
            if not isinstance(model_field, models.Field) or not model_field.concrete or model_field.primary_key:
                raise FieldDoesNotExist(name)
        except FieldDoesNotExist:
            problems.add(f"{where} ({model._meta.verbose_name}) has a field “{name}” the library does not have.")
            continue
        if name in USER_FIELDS:
            continue
        try:
            if model_field.is_relation:
                values[name] = _natural_ref(value)
            else:
                values[name] = _clean(model, name, value)
        except ValidationError as exc:
            problems.add(f"{where} ({model._meta.verbose_name}), “{name}”: {' '.join(exc.messages)}")
    return label, values


def _field_default(model: type[models.Model], name: str) -> Any:
    model_field = model._meta.get_field(name)
    assert isinstance(model_field, models.Field)
    return None if model_field.is_relation else model_field.get_default()


def _read_snapshot(snapshot: Any, where: str, problems: _Problems) -> dict[str, Any]:
    """A past version's snapshot, checked and completed with defaults (a
    snapshot from an older release may lack newer fields)."""
    if not isinstance(snapshot, dict):
        problems.add(f"{where}: its snapshot is not a record.")
        return {}
    values: dict[str, Any] = {}
    for name in services.TEMPLATE_FIELDS:
        try:
            values[name] = _clean(LetterTemplate, name, snapshot.get(name, _field_default(LetterTemplate, name)))
        except ValidationError as exc:
            problems.add(f"{where}, “{name}”: {' '.join(exc.messages)}")
    values["parts"] = _snapshot_parts(snapshot.get("parts"), where, problems)
    return values


def _snapshot_parts(parts: Any, where: str, problems: _Problems) -> list[dict[str, Any]]:
    if not isinstance(parts, list):
        problems.add(f"{where}: its snapshot has no list of parts.")
        return []
    cleaned = []
    for part in parts:
        if not isinstance(part, dict):
            problems.add(f"{where}: a part of its snapshot is not a record.")
            continue
        values: dict[str, Any] = {}
        for name in PART_FIELDS:
            value = part.get(name, _field_default(TemplatePart, name))
            try:
                if name == "paragraph":
                    if value is not None and not isinstance(value, str):
                        raise ValidationError("give the paragraph's code")
                    values[name] = value
                else:
                    values[name] = _clean(TemplatePart, name, value)
            except ValidationError as exc:
                problems.add(f"{where}, part “{name}”: {' '.join(exc.messages)}")
        cleaned.append(values)
    return cleaned


def read_library(text: str) -> Library:
    """Parse and check a library file (without looking at the database)."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LibraryFileError([f"The file is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."]) \
            from None
    if not isinstance(raw, list):
        raise LibraryFileError(["The file is not a letter library: it should be a list of records, as "
                                "export_letter_library writes."])
    problems = _Problems()
    records: dict[str, list[dict[str, Any]]] = {label: [] for label in LABELS}
    for index, item in enumerate(raw, start=1):
        read = _read_record(index, item, problems)
        if read is not None:
            records[read[0]].append(read[1])
    problems.raise_if_any()

    library = Library()
    for values in records["letters.paragraph"]:
        record = ParagraphRecord(code=values["code"], language=values["language"], english=values.get("english"),
                                 title=values["title"], text=values["text"], version=values["version"],
                                 english_version=values.get("english_version"))
        if record.code in library.paragraphs:
            problems.add(f"Paragraph {record.code} is in the file twice.")
        library.paragraphs[record.code] = record
    for values in records["letters.paragraphversion"]:
        owner = library.paragraphs.get(values["paragraph"])
        if owner is None:
            problems.add(f"Version {values['version']} of paragraph {values['paragraph']} is in the file, but the "
                         "paragraph is not.")
            continue
        owner.versions.append(VersionRecord(version=values["version"], created_at=values["created_at"],
                                            title=values["title"], text=values["text"]))
    for values in records["letters.lettertemplate"]:
        template = TemplateRecord(
            values={name: values.get(name, _field_default(LetterTemplate, name)) for name in services.TEMPLATE_FIELDS},
            version=values["version"],
        )
        if template.code in library.templates:
            problems.add(f"Letter template {template.code} is in the file twice.")
        library.templates[template.code] = template
    for values in records["letters.templatepart"]:
        owner_t = library.templates.get(values["template"])
        if owner_t is None:
            problems.add(f"A part of letter template {values['template']} is in the file, but the template is not.")
            continue
        owner_t.parts.append({name: values.get(name, _field_default(TemplatePart, name)) for name in PART_FIELDS})
    for values in records["letters.lettertemplateversion"]:
        owner_t = library.templates.get(values["template"])
        where = f"Version {values['version']} of letter template {values['template']}"
        if owner_t is None:
            problems.add(f"{where} is in the file, but the template is not.")
            continue
        owner_t.versions.append(VersionRecord(version=values["version"], created_at=values["created_at"],
                                              snapshot=_read_snapshot(values["snapshot"], where, problems)))
    problems.raise_if_any()

    for paragraph in library.paragraphs.values():
        _check_paragraph(paragraph, library, problems)
    for template in library.templates.values():
        _check_template(template, problems)
    problems.raise_if_any()
    return library


def _check_history(kind: str, code: str, current: int, versions: list[VersionRecord], problems: _Problems) -> None:
    versions.sort(key=lambda v: v.version)
    numbers = [v.version for v in versions]
    if not numbers:
        problems.add(f"{kind} {code} comes without its versions.")
    elif numbers != list(range(1, len(numbers) + 1)) or numbers[-1] != current:
        problems.add(f"{kind} {code} is at version {current}, but the file has its versions "
                     f"{', '.join(map(str, numbers))}: they should run from 1 to {current}.")


def _check_paragraph(paragraph: ParagraphRecord, library: Library, problems: _Problems) -> None:
    where = f"Paragraph {paragraph.code}"
    _check_history("Paragraph", paragraph.code, paragraph.version, paragraph.versions, problems)
    if paragraph.versions and (paragraph.versions[-1].title, paragraph.versions[-1].text) != (
            paragraph.title, paragraph.text):
        problems.add(f"{where}: its latest version in the file is not its current text.")
    for name in ("title", "text"):
        for message in validate_text(getattr(paragraph, name)):
            problems.add(f"{where}, {name}: {message}")
    if paragraph.english is not None and paragraph.language != Language.WELSH:
        problems.add(f"{where} is English, so it cannot translate another paragraph.")


def _check_template(template: TemplateRecord, problems: _Problems) -> None:
    where = f"Letter template {template.code}"
    _check_history("Letter template", template.code, template.version, template.versions, problems)
    for name in ("heading", "heading_cy"):
        for message in validate_text(template.values[name] or ""):
            problems.add(f"{where}, {name}: {message}")
    for part in template.parts:
        for name in ("heading", "heading_cy", "hint"):
            for message in validate_text(part[name] or ""):
                problems.add(f"{where}, part at position {part['position']}, {name}: {message}")


# ---------------------------------------------------------------- importing


@dataclass
class Change:
    code: str
    old_version: int | None  # None: added
    new_version: int
    versions: int = 1  # added: how many versions came with it


@dataclass
class ImportReport:
    dry_run: bool = False
    paragraphs: list[Change] = field(default_factory=list)
    templates: list[Change] = field(default_factory=list)
    unchanged_paragraphs: int = 0
    unchanged_templates: int = 0
    paragraphs_only_here: list[str] = field(default_factory=list)
    templates_only_here: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(self.paragraphs or self.templates)

    def lines(self) -> list[str]:
        out: list[str] = []
        for title, changes, unchanged in (("Paragraphs", self.paragraphs, self.unchanged_paragraphs),
                                          ("Letter templates", self.templates, self.unchanged_templates)):
            added = [c for c in changes if c.old_version is None]
            changed = [c for c in changes if c.old_version is not None]
            out.append(f"{title}: {len(added)} added, {len(changed)} changed, {unchanged} unchanged.")
            for c in added:
                out.append(f"  added    {c.code} (version {c.new_version}"
                           f"{f', with {c.versions} versions of history' if c.versions > 1 else ''})")
            for c in changed:
                out.append(f"  changed  {c.code}: version {c.old_version} → {c.new_version}")
        for title, codes in (("paragraphs", self.paragraphs_only_here), ("letter templates",
                                                                          self.templates_only_here)):
            if codes:
                out.append(f"Left as they are (here, not in the file): {title} {', '.join(codes)}.")
        if self.dry_run:
            out.append("Dry run: nothing was saved.")
        elif not self.changed_anything:
            out.append("Nothing to change: this library already matches the file.")
        return out


def import_library(library: Library, *, actor: User | None, dry_run: bool = False) -> ImportReport:
    """Bring this database's library up to the file's (see the module's
    docstring for the rules). All or nothing: LibraryFileError leaves the
    database as it was; a dry run does everything and rolls it back."""
    report = ImportReport(dry_run=dry_run)
    try:
        with transaction.atomic():
            _check_against_database(library)
            _import_paragraphs(library, actor, report)
            _import_templates(library, actor, report)
            report.paragraphs_only_here = list(Paragraph.objects.exclude(code__in=library.paragraphs)
                                               .order_by("code").values_list("code", flat=True))
            report.templates_only_here = list(LetterTemplate.objects.exclude(code__in=library.templates)
                                              .order_by("code").values_list("code", flat=True))
            if dry_run:
                transaction.set_rollback(True)
    except ServiceError as exc:
        raise LibraryFileError([exc.message]) from None
    except IntegrityError as exc:
        # _check_against_database should have caught it; still a message, not a trace.
        raise LibraryFileError([f"The file's library conflicts with this database's ({exc})."]) from None
    return report


def _check_against_database(library: Library) -> None:
    """What only the database can tell: paragraphs a file refers to but
    does not carry, languages, and one Welsh paragraph per English one."""
    problems = _Problems()
    here = {p.code: p for p in Paragraph.objects.select_related("english")}

    def language_of(code: str) -> str | None:
        if code in library.paragraphs:
            return library.paragraphs[code].language
        return here[code].language if code in here else None

    for code, record in library.paragraphs.items():
        existing = here.get(code)
        if existing is not None and existing.language != record.language:
            problems.add(f"Paragraph {code} is {existing.get_language_display()} here and "
                         f"{Language(record.language).label} in the file: a paragraph's language cannot change.")
        if record.english is not None and language_of(record.english) != Language.ENGLISH:
            problems.add(f"Paragraph {code} translates {record.english}, which is neither an English paragraph "
                         "in the file nor one here.")
    translations: dict[str, str] = {p.code: p.english.code for p in here.values() if p.english is not None}
    translations.update({code: r.english for code, r in library.paragraphs.items() if r.english is not None})
    translations = {code: english for code, english in translations.items()
                    if code not in library.paragraphs or library.paragraphs[code].english is not None}
    for english, count in Counter(translations.values()).items():
        if count > 1:
            welsh = sorted(code for code, e in translations.items() if e == english)
            problems.add(f"Paragraph {english} would have {count} Welsh versions ({', '.join(welsh)}); it can "
                         "have one.")
    for template in library.templates.values():
        referenced = [(f"part at position {p['position']}", p["paragraph"]) for p in template.parts]
        referenced += [(f"version {v.version}", p.get("paragraph")) for v in template.versions
                       for p in v.snapshot.get("parts", []) if isinstance(p, dict)]
        for where, code in referenced:
            if code is None:
                continue
            language = language_of(code)
            if language is None:
                problems.add(f"Letter template {template.code}, {where}: paragraph {code} is neither in the "
                             "file nor here.")
            elif language != Language.ENGLISH and where.startswith("part"):
                problems.add(f"Letter template {template.code}, {where}: paragraph {code} is Welsh; a template "
                             "names the English paragraph and uses its Welsh version for Welsh letters.")
    problems.raise_if_any()


def _import_paragraphs(library: Library, actor: User | None, report: ImportReport) -> None:
    here = {p.code: p for p in Paragraph.objects.select_related("english")}
    # English first: a Welsh paragraph needs the one it translates.
    ordered = sorted(library.paragraphs.values(), key=lambda p: (p.language != Language.ENGLISH, p.code))
    for record in ordered:
        english = None
        if record.english is not None:
            english = here.get(record.english) or Paragraph.objects.get(code=record.english)
        existing = here.get(record.code)
        if existing is None:
            paragraph = Paragraph(code=record.code, language=record.language, english=english)
            for past in record.versions:
                paragraph.title, paragraph.text = past.title, past.text
                # Past versions keep their dates; who wrote them stays where they were written.
                paragraph = services.save_paragraph(paragraph=paragraph, actor=None, now=past.created_at)
            if record.english_version is not None and paragraph.english_version != record.english_version:
                # Out of step in the file (its English changed since): it stays out of step here.
                Paragraph.objects.filter(pk=paragraph.pk).update(english_version=record.english_version)
                paragraph.english_version = record.english_version
            here[record.code] = paragraph
            report.paragraphs.append(Change(record.code, None, paragraph.version, len(record.versions)))
            continue
        if (existing.title, existing.text, existing.english_id) == (record.title, record.text,
                                                                    english.pk if english else None):
            report.unchanged_paragraphs += 1
            continue
        old_version = existing.version
        existing.title, existing.text, existing.english = record.title, record.text, english
        saved = services.save_paragraph(paragraph=existing, actor=actor)
        here[record.code] = saved
        report.paragraphs.append(Change(record.code, old_version, saved.version))


def _parts(specs: Iterable[dict[str, Any]], paragraphs: dict[str, Paragraph]) -> list[TemplatePart]:
    parts = []
    for spec in sorted(specs, key=lambda p: p["position"]):
        values = dict(spec)
        code = values.pop("paragraph")
        parts.append(TemplatePart(paragraph=paragraphs[code] if code else None, **values))
    return parts


def _apply(template: LetterTemplate, values: dict[str, Any]) -> None:
    for name in services.TEMPLATE_FIELDS:
        setattr(template, name, values[name])


def _import_templates(library: Library, actor: User | None, report: ImportReport) -> None:
    paragraphs = {p.code: p for p in Paragraph.objects.all()}
    here = {t.code: t for t in LetterTemplate.objects.all()}
    for code in sorted(library.templates):
        record = library.templates[code]
        existing = here.get(code)
        if existing is None:
            template = LetterTemplate(code=code)
            for past in record.versions[:-1]:
                _apply(template, {**past.snapshot, "code": code})
                template = services.save_template(
                    template=template, parts=_parts(past.snapshot["parts"], paragraphs), actor=None,
                    now=past.created_at, check=False,
                )
            # The current content last, held to today's rules.
            _apply(template, record.values)
            template = services.save_template(template=template, parts=_parts(record.parts, paragraphs),
                                              actor=None, now=record.versions[-1].created_at)
            report.templates.append(Change(code, None, template.version, len(record.versions)))
            continue
        if services.template_snapshot(existing) == record.snapshot():
            report.unchanged_templates += 1
            continue
        old_version = existing.version
        _apply(existing, record.values)
        saved = services.save_template(template=existing, parts=_parts(record.parts, paragraphs), actor=actor)
        report.templates.append(Change(code, old_version, saved.version))
