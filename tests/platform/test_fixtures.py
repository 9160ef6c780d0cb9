"""fixtures/: the demo's reference data and the letter library as loaddata
fixtures with natural keys. They load into an empty database, dumpdata
with natural keys writes what loaddata reads back, the copies of what the
migrations make stay equal to it, and seed_demo loads them without ever
overwriting what a database already has."""

import io
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command

from accounts.models import Grade, Membership, Team, User
from accounts.roles import sync_role_permissions
from casework.management.commands.seed_demo import PASSWORD, load_demo_fixtures
from complaints.models import Client
from letters import services
from letters.compose import load_layout, render_letter_html, resolve_composition, sample_facts
from letters.library import export_library
from letters.models import LetterTemplate, LetterTemplateVersion, Paragraph, ParagraphVersion, TemplatePart
from sla.models import DeadlineRule

FIXTURES = settings.BASE_DIR / "fixtures"
# In the order loaddata needs them when given one at a time.
ALL_FIXTURES = ["grades.json", "deadline_rules.json", "letter_library.json", "demo_users.json", "demo_clients.json"]
MODELS = [Grade, DeadlineRule, Team, User, Membership, Client, Paragraph, ParagraphVersion, LetterTemplate,
          TemplatePart, LetterTemplateVersion]
LABELS = [model._meta.label_lower for model in MODELS]


def fixture(name: str) -> list[dict]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def flush() -> None:
    """An empty database, as migrate leaves it: every table truncated, then
    the role groups back. (flush's own post_migrate would also remake every
    permission, the slow part, which nothing here needs; pytest-django's
    flush after the test does it.)"""
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    assert not any(model.objects.exists() for model in MODELS)
    sync_role_permissions()


def dump(*labels: str) -> list[dict]:
    out = io.StringIO()
    call_command("dumpdata", *labels, natural_foreign=True, natural_primary=True, stdout=out)
    return json.loads(out.getvalue())


def without(records: list[dict], *names: str) -> list[dict]:
    return [{**r, "fields": {k: v for k, v in r["fields"].items() if k not in names}} for r in records]


def sort(records: list[dict]) -> list[dict]:
    return sorted(records, key=lambda r: json.dumps(r, sort_keys=True))


# ------------------------------------------------ fixtures equal the migrations


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "label"), [("grades.json", "accounts.grade"),
                                             ("deadline_rules.json", "sla.deadlinerule")])
def test_reference_fixtures_hold_what_the_migrations_make(name, label):
    assert sort(dump(label)) == sort(fixture(name)), (
        f"fixtures/{name} differs from what the migrations make. On a freshly migrated database run: "
        f"python manage.py dumpdata {label} --natural-foreign --natural-primary --indent 2 -o fixtures/{name}"
    )


@pytest.mark.django_db
def test_the_letter_library_fixture_holds_what_the_migrations_make():
    stream = io.StringIO()
    export_library(stream)
    migrated = without(json.loads(stream.getvalue()), "updated_at", "created_at")
    assert migrated == without(fixture("letter_library.json"), "updated_at", "created_at"), (
        "fixtures/letter_library.json differs from the library the migrations make. On a freshly migrated "
        "database run: python manage.py export_letter_library --output fixtures/letter_library.json"
    )


# ------------------------------------------------------ into an empty database


def test_fixtures_hold_no_password():
    users = [r["fields"] for r in fixture("demo_users.json") if r["model"] == "accounts.user"]
    assert users and all(u["password"] == "!" and u["last_login"] is None for u in users)


# One test, because emptying a database (flush) is the slow part: seed_demo
# loading every fixture into an empty database, loaddata of them all again,
# and a dumpdata with natural keys loaded back into an empty database.
@pytest.mark.django_db(transaction=True)
def test_the_fixtures_load_into_an_empty_database_and_natural_key_dumps_load_back(tmp_path):
    flush()
    teams, users, clients = load_demo_fixtures()

    def rows_in_files(model: type) -> int:
        return sum(1 for name in ALL_FIXTURES for r in fixture(name) if r["model"] == model._meta.label_lower)

    for model in MODELS:
        assert model.objects.count() == rows_in_files(model) > 0, model.__name__
    assert set(teams) == {"resolution", "review", "ice", "phso"}
    assert [c.case_number for c in clients] == [f"10{i:08d}" for i in range(8)]
    cara = users["cara"]
    assert cara.check_password(PASSWORD), "seed_demo gives the demo users the demo password"
    assert list(cara.groups.values_list("name", flat=True)) == ["Caseworker"]
    assert cara.grade.code == "EO" and [t.name for t in cara.teams.all()] == ["Complaints resolution team"]
    assert set(users["tess"].teams.values_list("route", flat=True)) == {"ice", "phso", "review"}
    assert users["admin"].is_superuser and users["lena"].is_staff
    assert Client.objects.get(case_number="1000000001").language == "cy"
    assert Grade.objects.get(code="HEO").approval_limit == Decimal("2500.00")
    assert DeadlineRule.objects.get(code="ice.resolution_reply").alternative_length == 15
    assert Paragraph.objects.get(code="TM_09172_W").english.code == "TM_09172"
    # The loaded library makes letters, in both languages.
    template = LetterTemplate.objects.get(code="CMSL5807")
    for language in ("en", "cy"):
        layout = load_layout(template)
        html = render_letter_html(layout, resolve_composition(layout, {}, language, strict=False),
                                  sample_facts(template, language), strict=False).html
        assert Paragraph.objects.get(code="TM_09172" if language == "en" else "TM_09172_W").text[:40] in html

    # All of them in one loaddata, over the same rows: natural keys match them, nothing doubles.
    call_command("loaddata", *(str(FIXTURES / name) for name in ALL_FIXTURES), verbosity=0)
    for model in MODELS:
        assert model.objects.count() == rows_in_files(model), model.__name__

    # A dump with natural keys, history and a user reference included, into an empty database.
    edited = Paragraph.objects.get(code="TM_09173")
    edited.text = "A second version, so the dump carries history."
    services.save_paragraph(paragraph=edited, actor=users["lena"])
    before = dump(*LABELS)
    path = tmp_path / "dump.json"
    path.write_text(json.dumps(before), encoding="utf-8")
    flush()
    call_command("loaddata", str(path), verbosity=0)
    assert sort(dump(*LABELS)) == sort(before)
    assert Paragraph.objects.get(code="TM_09173").versions.get(version=2).created_by.username == "lena"


# ----------------------------------------------------------------- seed_demo


@pytest.mark.django_db
def test_seed_demo_never_overwrites_what_the_database_already_has():
    """An admin's edits to grades and letters stand: reference fixtures are
    loaded only into empty tables (a reloaded library would rewind versions)."""
    Grade.objects.filter(code="EO").update(approval_limit=Decimal("750.00"))
    edited = Paragraph.objects.get(code="TM_09172")
    edited.text = "Edited by a letter admin."
    services.save_paragraph(paragraph=edited, actor=None)

    load_demo_fixtures()
    load_demo_fixtures()  # seed_demo run again

    assert Grade.objects.get(code="EO").approval_limit == Decimal("750.00")
    paragraph = Paragraph.objects.get(code="TM_09172")
    assert (paragraph.version, paragraph.text) == (2, "Edited by a letter admin.")
    assert User.objects.filter(username="cara").count() == 1 and Membership.objects.filter(user__username="cara").count() == 1
