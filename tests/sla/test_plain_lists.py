"""The deadline list and its CSV speak the words the rest of the app uses:
deadline names (not rule codes, and in order), people's names (not
usernames), route and region names (not slugs), dates as the tables write
them; "Why this date" names no rule code."""

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse

from accounts.models import Region
from sla.selectors import clocks_for_sr
from tests.factories import ClientFactory, ServiceRequestFactory

from .factories import DeadlineClockFactory

pytestmark = pytest.mark.django_db

wed_13_jan_2027 = date(2027, 1, 13)
CODE = r"[a-z]+\.[a-z_]+"


def test_the_rule_filter_lists_deadline_names_in_order(client, tom):
    client.force_login(tom)
    choices = [label for value, label in client.get(reverse("sla:clock-list")).context["filter"].form.fields[
        "rule"].choices if value]
    assert choices == sorted(choices)
    assert "Response to the complaint" in choices and "Respond to the ICE draft report" in choices
    assert not [label for label in choices if re.fullmatch(CODE, label)]


def test_the_csv_has_names_not_codes(client, freeze, team, tom, cara):
    freeze(wed_13_jan_2027)
    sr = ServiceRequestFactory(team=team, owner=cara, client=ClientFactory(region=Region.NORTHERN_IRELAND))
    DeadlineClockFactory(sr=sr, due_on=date(2027, 1, 8), started_on=date(2026, 12, 1))
    client.force_login(tom)
    response = client.get(reverse("sla:clock-list"), {"export": "csv"})
    header, row = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    record = dict(zip(header, row, strict=False))
    assert "Rule" not in header
    assert record["Owner"] == cara.display_name and record["Owner"] != cara.username
    assert record["Route"] == "Resolution" and record["Region"] == "Northern Ireland"
    assert record["Team"] == team.name
    assert record["Due"] == "8 Jan 2027" and record["Started"] == "1 Dec 2026"
    text = ",".join(row)
    assert "resolution." not in text and "northern-ireland" not in text and cara.username not in row


def test_met_week_is_written_as_a_date(client, freeze, team, tom):
    freeze(wed_13_jan_2027)
    client.force_login(tom)
    page = client.get(reverse("sla:clock-list"), {"bucket": "met_on_time", "met_week": "2026-11-30"}).content.decode()
    assert "Met in the week starting Monday 30 November 2026." in page
    assert "2026-11-30." not in page


def test_why_this_date_names_no_rule_code(freeze, team, cara):
    freeze(wed_13_jan_2027)
    sr = ServiceRequestFactory(team=team, owner=cara)
    DeadlineClockFactory(sr=sr, due_on=date(2027, 1, 8), started_on=date(2026, 12, 1))
    (row,) = clocks_for_sr(sr)
    assert "resolution.response" not in row.explanation and row.rule_name in row.explanation
