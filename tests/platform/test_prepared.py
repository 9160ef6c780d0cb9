"""Statements compiled once (prepared): the same rows as the
queryset built each time, whatever the parameters; refused where a
parameter would be frozen into the SQL; and the session store that uses one
still refuses an expired session."""

from datetime import date, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints.models import Note, ServiceRequest
from config.sessions import SessionStore
from prepared import NotPreparable, prepared
from tests.factories import NoteFactory, ServiceRequestFactory, TeamFactory

pytestmark = pytest.mark.django_db

builds: list[tuple] = []


@prepared
def _srs_of_team(team_id: int, reference: str) -> QuerySet[ServiceRequest]:
    builds.append((team_id, reference))
    return (ServiceRequest.objects.filter(team_id=team_id).exclude(reference=reference)
            .select_related("client", "team").order_by("reference"))


@prepared
def _references(team_id: int, *, newest_first: bool) -> QuerySet[ServiceRequest]:
    order = "-reference" if newest_first else "reference"
    return ServiceRequest.objects.filter(team_id=team_id).order_by(order).values_list("reference", flat=True)


def test_rows_as_the_queryset_built_each_time_for_every_parameter() -> None:
    team_a, team_b = TeamFactory(), TeamFactory()
    a = [ServiceRequestFactory(team=team_a) for _ in range(3)]
    b = [ServiceRequestFactory(team=team_b) for _ in range(2)]
    builds.clear()
    for team, srs in ((team_a, a), (team_b, b), (team_a, a)):
        for skipped in srs:
            rows = list(_srs_of_team(team.pk, skipped.reference))
            expected = [sr for sr in srs if sr != skipped]
            assert rows == expected
            # The related rows come with them, as select_related builds them.
            with CaptureQueriesContext(connection) as queries:
                assert [(sr.client.name, sr.team.name) for sr in rows] == [
                    (sr.client.name, sr.team.name) for sr in expected]
            assert len(queries) == 0
    assert len(builds) == 1, "built once per connection, then only run"


def test_a_keyword_shapes_its_own_statement() -> None:
    team = TeamFactory()
    refs = sorted(ServiceRequestFactory(team=team).reference for _ in range(3))
    assert list(_references(team.pk, newest_first=False)) == refs
    assert list(_references(team.pk, newest_first=True)) == refs[::-1]
    assert list(_references(TeamFactory().pk, newest_first=True)) == []


def test_a_union_of_values_and_sql_for_a_larger_statement() -> None:
    sr = ServiceRequestFactory()
    NoteFactory(sr=sr, text="first")
    NoteFactory(sr=sr, text="second")
    NoteFactory(text="another SR's")

    @prepared
    def texts(sr_id: int) -> QuerySet:
        notes = Note.objects.filter(sr_id=sr_id).order_by().values_list("text")
        return notes.union(Note.objects.filter(sr_id=sr_id, text="first").order_by().values_list("text"), all=True)

    assert sorted(t for (t,) in texts(sr.pk)) == ["first", "first", "second"]
    sql, params = texts.sql_with_params(sr.pk + 1000)
    assert params.count(sr.pk + 1000) == 2 and sr.pk not in params
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS t", params)
        assert cursor.fetchone()[0] == 0


def test_refused_where_a_parameter_would_be_frozen() -> None:
    @prepared
    def ignores_its_parameter(team_id: int) -> QuerySet[ServiceRequest]:
        return ServiceRequest.objects.filter(team_id=1)

    @prepared
    def changes_it(reference: str) -> QuerySet[ServiceRequest]:
        return ServiceRequest.objects.filter(reference__startswith=reference)

    @prepared
    def takes_a_moment(moment: object) -> QuerySet[ServiceRequest]:
        return ServiceRequest.objects.filter(created_at__lt=moment)

    with pytest.raises(NotPreparable, match="does not reach the SQL"):
        list(ignores_its_parameter(5))
    with pytest.raises(NotPreparable):
        list(changes_it("SR-"))
    with pytest.raises(NotPreparable, match="only ints, strs and dates"):
        list(takes_a_moment(timezone.now()))


def test_a_date_reaches_the_sql_on_either_database() -> None:
    """PostgreSQL is given a date, SQLite its ISO text: the same slot either way."""
    early = ServiceRequestFactory(received_on=date(2026, 11, 2))
    late = ServiceRequestFactory(received_on=date(2026, 11, 20))

    @prepared
    def received_between(start: date, end: date) -> QuerySet[ServiceRequest]:
        return ServiceRequest.objects.filter(received_on__gte=start, received_on__lte=end).order_by("received_on")

    assert list(received_between(date(2026, 11, 1), date(2026, 11, 30))) == [early, late]
    assert list(received_between(date(2026, 11, 3), date(2026, 11, 30))) == [late]
    assert list(received_between(date(2026, 11, 2), date(2026, 11, 2))) == [early]
    assert list(received_between(date(2026, 12, 1), date(2026, 12, 31))) == []


def test_the_session_store_still_refuses_an_expired_session() -> None:
    store = SessionStore()
    store["kept"] = "yes"
    store.create()
    assert SessionStore(store.session_key).load() == {"kept": "yes"}
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None
    assert SessionStore("no-such-key-" + "x" * 20).load() == {}


def test_a_remembered_address_is_djangos_for_the_same_prefix():
    from django.urls import reverse as django_reverse
    from django.urls import set_script_prefix

    from prepared.urls import reverse

    assert reverse("my-work") == django_reverse("my-work")
    assert reverse("case-detail", "SR-1") == django_reverse("case-detail", args=["SR-1"])
    assert reverse("case-detail", reference="SR-2") == django_reverse("case-detail", kwargs={"reference": "SR-2"})
    set_script_prefix("/casework/")
    try:
        # Served under another prefix, the same name is another address.
        assert reverse("my-work") == django_reverse("my-work") == "/casework/my-work/"
    finally:
        set_script_prefix("/")
    assert reverse("my-work") == "/my-work/"


def test_a_remembered_static_address_is_djangos_for_the_same_static_url(settings):
    from django.templatetags.static import static as django_static

    from prepared.urls import static

    assert static("css/app.css") == django_static("css/app.css") == "/static/css/app.css"
    settings.STATIC_URL = "/assets/"  # another static URL is another address, not the one remembered
    assert static("css/app.css") == django_static("css/app.css") == "/assets/css/app.css"
