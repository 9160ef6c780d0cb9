"""Shared fixtures: named users per role, their teams, and a real browser."""

import os
import shutil
from collections.abc import Iterator
from decimal import Decimal
from importlib import import_module

import pytest
from django.core.cache import cache
from django.http import HttpRequest

from accounts.models import Grade
from accounts.roles import Role

from .factories import ClientFactory, TeamFactory, UserFactory
from .server_errors import ServerErrorWatch

# Playwright's sync API runs an event loop in the test thread; Django's
# ORM refuses to run beside one unless told the test knows what it does.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


# Data the migrations seed, re-seeded for transactional tests: pytest-django
# runs them after the ordinary ones, and each ends by flushing every table,
# which takes the grades, deadline rules and letter library with it (the
# role groups come back through post_migrate). serialized_rollback cannot
# help: under Playwright the test runs in another greenlet whose connection
# lacks the serialized copy. Every seed function is idempotent.
_MIGRATION_SEEDS = (
    ("accounts.migrations.0002_roles_and_grades", "forwards"),
    ("sla.migrations.0002_seed_deadline_rules", "seed"),
    ("letters.migrations.0002_seed_letters", "seed"),
    ("phso.migrations.0003_phso_deadline_rules", "seed"),
)


def reseed_migration_data() -> None:
    from django.apps import apps

    from accounts.models import Grade
    from letters.models import LetterTemplate
    from sla.models import DeadlineRule

    present = (Grade.objects.exists(), DeadlineRule.objects.exists(), LetterTemplate.objects.exists(),
               DeadlineRule.objects.filter(code="phso.chase").exists())
    for (module, function), exists in zip(_MIGRATION_SEEDS, present, strict=True):
        if not exists:
            getattr(import_module(module), function)(apps, None)
    # The ICE failed-gateway letter: its seed adds it only when it is missing.
    import_module("ice.migrations.0003_fig_acknowledgement_letter").seed(apps, None)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Nothing kept in the cache from another test: SQLite reuses the ids of
    rows a test rolled back, so a figure kept for "user 3" would be another
    test's user's."""
    cache.clear()


@pytest.fixture(autouse=True)
def _no_server_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    """No request in any test may end in a server error (DESIGN §9: bad input
    gets a clear message, never a 500): a 5xx response or an unhandled
    exception in any view, through the test client or the live server of a
    browser test, fails the test. A test that means to exercise the error
    page opts out with @pytest.mark.allow_server_error."""
    if request.node.get_closest_marker("allow_server_error"):
        yield
        return
    with ServerErrorWatch() as watch:
        yield
    if watch.failures:
        pytest.fail(f"Server error during the test: {watch.summary}", pytrace=False)


@pytest.fixture(autouse=True)
def _migration_data_for_transactional_tests(request: HttpRequest):
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server"))
    if transactional:
        request.getfixturevalue("transactional_db")
        reseed_migration_data()


@pytest.fixture
def resolution_team(db):
    return TeamFactory(name="Complaints resolution team", route="resolution", phone="0800 171 2345")


@pytest.fixture
def review_team(db):
    return TeamFactory(name="Complaints review team", route="review", phone="0800 171 2346")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Internal ICE team", route="ice")


@pytest.fixture
def heo(db) -> Grade:
    return Grade.objects.get(code="HEO")


@pytest.fixture
def caseworker(resolution_team, review_team):
    return UserFactory(username="cara", first_name="Cara", last_name="Caseworker",
                       roles=[Role.CASEWORKER], teams=[resolution_team, review_team])


@pytest.fixture
def other_caseworker(resolution_team, review_team):
    return UserFactory(username="colin", first_name="Colin", last_name="Caseworker",
                       roles=[Role.CASEWORKER], teams=[resolution_team, review_team])


@pytest.fixture
def team_leader(resolution_team, review_team, heo):
    user = UserFactory(username="tom", first_name="Tom", last_name="Leader",
                       roles=[Role.TEAM_LEADER], teams=[resolution_team, review_team])
    user.grade = heo
    user.save(update_fields=["grade"])
    return user


@pytest.fixture
def senior_leader(resolution_team, review_team):
    user = UserFactory(username="sita", first_name="Sita", last_name="Senior",
                       roles=[Role.TEAM_LEADER], teams=[resolution_team, review_team])
    user.grade = Grade.objects.get(code="G7")
    user.save(update_fields=["grade"])
    return user


@pytest.fixture
def manager(resolution_team, review_team):
    return UserFactory(username="mona", first_name="Mona", last_name="Manager",
                       roles=[Role.MANAGER], teams=[resolution_team, review_team])


@pytest.fixture
def outsider(other_team):
    """A caseworker of another team: must not learn that our SRs exist."""
    return UserFactory(username="oscar", first_name="Oscar", last_name="Outsider",
                       roles=[Role.CASEWORKER], teams=[other_team])


@pytest.fixture
def client_person(db):
    return ClientFactory(name="Jane Smith", case_number="1234567890")


@pytest.fixture
def grade_limit():
    def set_limit(user, amount: str) -> None:
        user.grade.approval_limit = Decimal(amount)
        user.grade.save(update_fields=["approval_limit"])
    return set_limit


# --- a real browser -------------------------------------------------------

@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Browser tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def _browser(_playwright):
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--no-first-run"],
    )
    yield browser
    browser.close()


@pytest.fixture
def page(_browser, live_server):
    context = _browser.new_context(base_url=live_server.url, accept_downloads=True)
    context.set_default_timeout(15_000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def sign_in(page):
    """Sign in through the real sign-in page."""
    def do(user, password: str = "correct-horse-battery") -> None:
        page.goto("/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("button:has-text('Sign in')")
        page.wait_for_selector("[data-testid=signed-in-user]")
    return do
