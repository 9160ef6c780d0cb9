"""Moving the letter library between environments: export_letter_library
and import_letter_library (letters/library.py).

The round trip: export, empty the library, import, and every letter
renders to the same bytes. Import into a database that has the library
adds what is new, makes a new version of what changed, leaves the rest,
never rewrites a version an issued letter used, and refuses a bad file
with a clear message, changing nothing."""

import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from letters import services
from letters.compose import facts_for_sr, load_layout, render_letter_html, resolve_composition
from letters.library import export_library, import_library, read_library
from letters.models import (
    IssuedLetter,
    LetterTemplate,
    LetterTemplateVersion,
    Paragraph,
    ParagraphVersion,
    TemplatePart,
)
from letters.rendering import render_pdf
from tests.factories import ClientFactory

from .factories import free_text_for, issue, sr_for

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
TUE_1_DEC_2026 = datetime(2026, 12, 1, 10, tzinfo=LONDON)


def exported() -> str:
    stream = io.StringIO()
    export_library(stream)
    return stream.getvalue()


def records(text: str) -> list[dict]:
    return json.loads(text)


def write(tmp_path, data: list[dict] | str, name: str = "letters.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def run_import(path: str, *args: str) -> str:
    out = io.StringIO()
    call_command("import_letter_library", path, *args, stdout=out)
    return out.getvalue()


def library_rows() -> dict[str, int]:
    return {model.__name__: model.objects.count()
            for model in (Paragraph, ParagraphVersion, LetterTemplate, TemplatePart, LetterTemplateVersion)}


def empty_the_library() -> None:
    """What a database without a library looks like (no letters issued)."""
    LetterTemplateVersion.objects.all().delete()
    TemplatePart.objects.all().delete()
    LetterTemplate.objects.all().delete()
    ParagraphVersion.objects.all().delete()
    Paragraph.objects.exclude(english=None).delete()  # Welsh first: they protect their English paragraph
    Paragraph.objects.all().delete()


def render_every_letter(sr_by_code, caseworker) -> dict[tuple[str, str], tuple[str, dict]]:
    """Each template's HTML, in English and Welsh, for fixed SRs."""
    html = {}
    for code, sr in sr_by_code.items():
        template = LetterTemplate.objects.get(code=code)
        layout = load_layout(template)
        for language in ("en", "cy"):
            chosen = resolve_composition(layout, {"language": language, "free_text": free_text_for(template)},
                                         language)
            rendered = render_letter_html(layout, chosen, facts_for_sr(sr, template, language, caseworker,
                                                                       TUE_1_DEC_2026))
            html[code, language] = (rendered.html, rendered.paragraph_versions)
    return html


def edit_paragraph(code: str, text: str) -> Paragraph:
    paragraph = Paragraph.objects.get(code=code)
    paragraph.text = text
    return services.save_paragraph(paragraph=paragraph, actor=None)


# ------------------------------------------------------------ round trip


@time_machine.travel(TUE_1_DEC_2026, tick=False)
def test_round_trip_into_an_empty_library_renders_every_letter_byte_identically(review_team, caseworker):
    # History worth carrying: a paragraph at version 2, a template at version 2.
    edit_paragraph("TM_09172", "We understand this is not the answer you hoped for. We handled your complaint "
                               "in line with child support law.")
    template = LetterTemplate.objects.get(code="CMSL5800")
    template.heading = "An update on your complaint"
    services.save_template(template=template, parts=list(template.parts.order_by("position")), actor=caseworker)
    sr_by_code = {t.code: sr_for(t, team=review_team, owner=caseworker, client=ClientFactory(name="Bethan Price"))
                  for t in LetterTemplate.objects.all()}
    before = render_every_letter(sr_by_code, caseworker)
    pdf_before = render_pdf(before["CMSL5807", "cy"][0]).data
    text = exported()
    rows = library_rows()

    empty_the_library()
    assert not Paragraph.objects.exists() and not LetterTemplate.objects.exists()
    report = import_library(read_library(text), actor=None)

    assert library_rows() == rows
    assert [c.old_version for c in report.paragraphs] == [None] * rows["Paragraph"]
    after = render_every_letter(sr_by_code, caseworker)
    assert after == before, "same HTML and the same paragraph versions recorded"
    assert render_pdf(after["CMSL5807", "cy"][0]).data == pdf_before
    # History came too, with its numbers and dates: the library exports to the same bytes.
    assert Paragraph.objects.get(code="TM_09172").version == 2
    assert [v.version for v in Paragraph.objects.get(code="TM_09172").versions.order_by("version")] == [1, 2]
    assert LetterTemplate.objects.get(code="CMSL5800").version == 2
    assert exported() == text


def test_the_export_is_a_loaddata_fixture_for_an_empty_library(tmp_path):
    text = exported()
    empty_the_library()
    call_command("loaddata", write(tmp_path, text), verbosity=0)
    assert exported() == text


def test_export_command_writes_the_file_and_says_what_it_holds(tmp_path):
    path = tmp_path / "letters.json"
    out = io.StringIO()
    call_command("export_letter_library", "--output", str(path), stdout=out)
    assert path.read_text(encoding="utf-8") == exported()
    paragraphs = Paragraph.objects.count()
    assert f"Exported {paragraphs} paragraphs ({paragraphs} versions) and " in out.getvalue()
    assert not (tmp_path / "letters.json.partial").exists()


def test_export_leaves_out_who_saved_each_version(caseworker):
    """People differ between environments; a file naming them would not load where they do not exist."""
    edit = Paragraph.objects.get(code="TM_09173")
    edit.text = "We followed our complaints process in full."
    services.save_paragraph(paragraph=edit, actor=caseworker)
    text = exported()
    assert caseworker.username not in text
    assert all("updated_by" not in r["fields"] and "created_by" not in r["fields"] for r in records(text))


# ------------------------------------------------------------ importing


def test_importing_the_same_library_twice_changes_nothing(tmp_path):
    path = write(tmp_path, exported())
    rows = library_rows()
    versions = dict(Paragraph.objects.values_list("code", "version"))

    out = run_import(path)

    assert "Paragraphs: 0 added, 0 changed" in out and "Nothing to change" in out
    assert library_rows() == rows
    assert dict(Paragraph.objects.values_list("code", "version")) == versions
    assert run_import(path) == out


def changed_file(text: str, code: str, new_text: str) -> list[dict]:
    """The library as another environment has it after an admin edited one
    paragraph there: its text, its version and a new version record."""
    data = records(text)
    paragraph = next(r for r in data if r["model"] == "letters.paragraph" and r["fields"]["code"] == code)
    paragraph["fields"]["text"] = new_text
    paragraph["fields"]["version"] += 1
    last = max((r for r in data if r["model"] == "letters.paragraphversion" and r["fields"]["paragraph"] == [code]),
               key=lambda r: r["fields"]["version"])
    data.append({"model": "letters.paragraphversion",
                 "fields": {**last["fields"], "version": paragraph["fields"]["version"], "text": new_text,
                            "created_at": "2026-11-30T09:15:00Z"}})
    return data


@time_machine.travel(TUE_1_DEC_2026, tick=False)
def test_a_changed_paragraph_becomes_a_new_version_and_issued_letters_keep_theirs(tmp_path, review_team, caseworker,
                                                                                 team_leader):
    template = LetterTemplate.objects.get(code="CMSL5807")
    sr = sr_for(template, team=review_team, owner=caseworker)
    sent = issue(sr=sr, actor=caseworker, code="CMSL5807",
                 composition={"choices": {"outcome": "TM_09172"}, "free_text": free_text_for(template)})
    assert sent.paragraph_versions["TM_09172"] == 1
    old_text = Paragraph.objects.get(code="TM_09172").text
    new_text = "We know this is not the outcome you wanted. We dealt with your complaint under child support law."
    path = write(tmp_path, changed_file(exported(), "TM_09172", new_text))
    versions = ParagraphVersion.objects.count()

    out = run_import(path, "--by", team_leader.username)

    assert "Paragraphs: 0 added, 1 changed" in out and "changed  TM_09172: version 1 → 2" in out
    paragraph = Paragraph.objects.get(code="TM_09172")
    assert (paragraph.version, paragraph.text, paragraph.updated_by) == (2, new_text, team_leader)
    assert ParagraphVersion.objects.count() == versions + 1
    assert paragraph.versions.get(version=1).text == old_text, "the version the letter used is untouched"
    kept = IssuedLetter.objects.get(pk=sent.pk)
    assert (kept.html, kept.paragraph_versions) == (sent.html, sent.paragraph_versions)
    assert "handled in line with the regulations" in kept.html
    # Letters from now on say the new words and record the new version.
    later = issue(sr=sr_for(template, team=review_team, owner=caseworker), actor=caseworker, code="CMSL5807",
                  composition={"choices": {"outcome": "TM_09172"}, "free_text": free_text_for(template)})
    assert later.paragraph_versions["TM_09172"] == 2 and "dealt with your complaint under child support" in later.html


def test_a_paragraph_changed_on_both_sides_gets_the_next_version_here(tmp_path):
    """Here TM_09173 is already at version 3; the file's is at 2 with other
    words: nothing here is rewritten, the file's words become version 4."""
    edit_paragraph("TM_09173", "Second wording here.")
    edit_paragraph("TM_09173", "Third wording here.")
    empty = exported()
    data = records(empty)
    for r in data:  # the other environment: version 1, then its own edit as version 2
        if r["model"] == "letters.paragraph" and r["fields"]["code"] == "TM_09173":
            r["fields"].update(text="Wording from the test environment.", version=2)
        if r["model"] == "letters.paragraphversion" and r["fields"]["paragraph"] == ["TM_09173"]:
            if r["fields"]["version"] == 2:
                r["fields"]["text"] = "Wording from the test environment."
    data = [r for r in data if not (r["model"] == "letters.paragraphversion"
                                    and r["fields"]["paragraph"] == ["TM_09173"] and r["fields"]["version"] == 3)]
    out = run_import(write(tmp_path, data))
    assert "changed  TM_09173: version 3 → 4" in out
    texts = dict(Paragraph.objects.get(code="TM_09173").versions.values_list("version", "text"))
    assert texts[2] == "Second wording here." and texts[3] == "Third wording here."
    assert texts[4] == "Wording from the test environment."


def test_new_paragraphs_and_templates_are_added_and_changed_templates_get_a_new_version(tmp_path, caseworker):
    data = records(exported())
    # A new English paragraph with its Welsh variant, at version 2 where it was written.
    for code, language, english, text in (("CW_NEW_E", "en", None, "Our new wording."),
                                          ("CW_NEW_W", "cy", ["CW_NEW_E"], "Ein geiriad newydd.")):
        data.append({"model": "letters.paragraph", "fields": {
            "code": code, "language": language, "english": english, "title": "New wording", "text": text,
            "version": 2, "updated_at": "2026-11-20T10:00:00Z"}})
        for version, words in ((1, "Draft."), (2, text)):
            data.append({"model": "letters.paragraphversion", "fields": {
                "paragraph": [code], "version": version, "title": "New wording", "text": words,
                "created_at": f"2026-11-{18 + version}T10:00:00Z"}})
    # CMSL5806 gains the new paragraph at the end; its version moves on in the file.
    template = next(r for r in data if r["model"] == "letters.lettertemplate" and r["fields"]["code"] == "CMSL5806")
    template["fields"]["version"] = 2
    data.append({"model": "letters.templatepart", "fields": {
        "template": ["CMSL5806"], "position": 990, "kind": "paragraph", "paragraph": ["CW_NEW_E"], "key": "",
        "is_default": False, "heading": "", "heading_cy": "", "required": True, "max_length": 3000, "hint": ""}})
    first = next(r for r in data if r["model"] == "letters.lettertemplateversion"
                 and r["fields"]["template"] == ["CMSL5806"])
    data.append({"model": "letters.lettertemplateversion", "fields": {
        **first["fields"], "version": 2, "created_at": "2026-11-21T10:00:00Z"}})
    before = LetterTemplate.objects.get(code="CMSL5806").version

    out = run_import(write(tmp_path, data), "--by", caseworker.username)

    assert "Paragraphs: 2 added, 0 changed" in out
    assert "added    CW_NEW_E (version 2, with 2 versions of history)" in out
    assert f"changed  CMSL5806: version {before} → {before + 1}" in out
    welsh = Paragraph.objects.get(code="CW_NEW_W")
    assert (welsh.english.code, welsh.version, welsh.text) == ("CW_NEW_E", 2, "Ein geiriad newydd.")
    assert list(welsh.versions.order_by("version").values_list("version", "text", "created_by")) == [
        (1, "Draft.", None), (2, "Ein geiriad newydd.", None)]
    cmsl5806 = LetterTemplate.objects.get(code="CMSL5806")
    assert cmsl5806.parts.order_by("position").last().paragraph.code == "CW_NEW_E"
    assert cmsl5806.versions.get(version=before + 1).created_by == caseworker
    assert cmsl5806.versions.get(version=before + 1).snapshot["parts"][-1]["paragraph"] == "CW_NEW_E"


def test_what_only_this_database_has_is_left_alone_and_reported(tmp_path):
    path = write(tmp_path, exported())
    services.save_paragraph(paragraph=Paragraph(code="CW_LOCAL_E", language="en", title="Local", text="Local."),
                            actor=None)
    out = run_import(path)
    assert "Left as they are (here, not in the file): paragraphs CW_LOCAL_E." in out
    assert Paragraph.objects.get(code="CW_LOCAL_E").text == "Local."


def test_a_dry_run_reports_the_changes_and_saves_nothing(tmp_path):
    path = write(tmp_path, changed_file(exported(), "TM_09172", "Other words."))
    rows = library_rows()
    out = run_import(path, "--dry-run")
    assert "changed  TM_09172: version 1 → 2" in out and "Dry run: nothing was saved." in out
    assert library_rows() == rows
    assert Paragraph.objects.get(code="TM_09172").version == 1


# ------------------------------------------------------------ bad files


def _paragraph(data: list[dict], code: str) -> dict:
    return next(r for r in data if r["model"] == "letters.paragraph" and r["fields"]["code"] == code)["fields"]


def _parts(data: list[dict], code: str) -> list[dict]:
    return [r["fields"] for r in data if r["model"] == "letters.templatepart" and r["fields"]["template"] == [code]]


def not_json(data):
    return '[{"model": "letters.paragraph", '


def not_a_list(data):
    return {"paragraphs": []}


def an_issued_letter(data):
    return [*data, {"model": "letters.issuedletter", "pk": 1, "fields": {"html": "<p>"}}]


def a_field_missing(data):
    del _paragraph(data, "TM_09172")["text"]
    return data


def an_unknown_field(data):
    _paragraph(data, "TM_09172")["colour"] = "blue"
    return data


def a_code_too_long(data):
    _paragraph(data, "TM_09172")["title"] = "x" * 201
    return data


def a_reference_by_database_id(data):
    _parts(data, "CMSL5807")[0]["paragraph"] = 17
    return data


def a_version_missing(data):
    _paragraph(data, "TM_09172")["version"] = 3
    return data


def template_code_in_a_paragraph(data):
    _paragraph(data, "TM_09172")["text"] = "Dear {{ client.user.password }}, {% load static %}"
    return data


def a_paragraph_nobody_has(data):
    _parts(data, "CMSL5807")[0]["paragraph"] = ["TM_99999"]
    return data


def a_welsh_paragraph_in_a_template(data):
    _parts(data, "CMSL5807")[0]["paragraph"] = ["TM_09172_W"]
    return data


def a_language_change(data):
    _paragraph(data, "TM_09172_W")["language"] = "en"
    _paragraph(data, "TM_09172_W")["english"] = None
    return data


def two_welsh_versions_of_one_paragraph(data):
    _paragraph(data, "TM_09173_W")["english"] = ["TM_09172"]
    return data


def two_parts_at_one_position(data):
    parts = _parts(data, "CMSL5807")
    parts[1]["position"] = parts[0]["position"]
    return data


def an_unknown_state(data):
    next(r for r in data if r["model"] == "letters.lettertemplate"
         and r["fields"]["code"] == "CMSL5807")["fields"]["allowed_states"] = {"review": ["on_holiday"]}
    return data


@pytest.mark.parametrize(("spoil", "message"), [
    (not_json, "The file is not JSON"),
    (not_a_list, "should be a list of records"),
    (an_issued_letter, "holds only paragraphs, templates"),
    (a_field_missing, "has no “text”"),
    (an_unknown_field, "a field “colour” the library does not have"),
    (a_code_too_long, "at most 200 characters"),
    (a_reference_by_database_id, "by a database id"),
    (a_version_missing, "should run from 1 to 3"),
    (template_code_in_a_paragraph, "TM_09172, text"),
    (a_paragraph_nobody_has, "paragraph TM_99999 is neither in the file nor here"),
    (a_welsh_paragraph_in_a_template, "paragraph TM_09172_W is Welsh"),
    (a_language_change, "a paragraph's language cannot change"),
    (two_welsh_versions_of_one_paragraph, "TM_09172 would have 2 Welsh versions (TM_09172_W, TM_09173_W)"),
    (two_parts_at_one_position, "give each part its own position"),
    (an_unknown_state, "unknown states on_holiday"),
])
def test_a_bad_file_gets_a_clear_message_and_changes_nothing(tmp_path, spoil, message):
    # A good change rides along, so "nothing" is tested, not just "nothing bad".
    data = changed_file(exported(), "TM_09173", "This change must not be saved.")
    path = write(tmp_path, spoil(data))
    before = exported()

    with pytest.raises(CommandError) as raised:
        run_import(path)

    text = str(raised.value)
    assert "was not imported; nothing was changed" in text and message in text, text
    assert "Traceback" not in text
    assert exported() == before


def test_an_unreadable_file_gets_a_clear_message(tmp_path):
    with pytest.raises(CommandError, match="Cannot read .*missing.json: No such file"):
        run_import(str(tmp_path / "missing.json"))
    path = tmp_path / "latin1.json"
    path.write_bytes("[{\"model\": \"Gwasanaeth â\"}]".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8 text"):
        run_import(str(path))


def test_an_unknown_importer_is_refused_before_anything_is_read(tmp_path):
    with pytest.raises(CommandError, match="no active user “nobody”"):
        run_import(write(tmp_path, exported()), "--by", "nobody")
