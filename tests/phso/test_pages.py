"""PHSO pages: the case page and every step's form in every state, NI
wording on pages, letters and e-mails, the DG caselist following the
transitions and extensions, the dashboard's PHSO row, and the clocks
across each nation's bank holidays."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from complaints.services.transitions import available_transitions
from letters.models import OutgoingEmail
from letters.services import issue_letter
from sla.models import DeadlineClock
from sla.services import extend_clock

from .helpers import LONDON, MON_2_NOV_2026, go, new_phso, reload, to_pti, to_with_phso, today
from .test_matrix import MATRIX, ROLES, make_sr

pytestmark = pytest.mark.django_db


# --- every page of every state ------------------------------------------------------


@pytest.mark.parametrize(("state", "situation"), list(MATRIX), ids=[f"{s}-{v}" for s, v in MATRIX])
def test_case_page_and_every_offered_form_render(state, situation, client, pat, colleague, tina, gina, hugh, mona_p,
                                                 oscar, phso_team, jane):
    users = {"owner": pat, "colleague": colleague, "tl": tina, "senior": gina, "hcr": hugh, "manager": mona_p,
             "outsider": oscar}
    with time_machine.travel(MON_2_NOV_2026, tick=False):
        sr = make_sr(state, situation, team=phso_team, client=jane, users=users)
        for role in ROLES:
            if role == "outsider":
                continue
            client.force_login(users[role])
            page = client.get(reverse("case-detail", args=[sr.reference]))
            assert page.status_code == 200, role
            assert sr.status in page.content.decode()
            for t in available_transitions(reload(sr), users[role]):
                form = client.get(reverse("sr-transition", args=[sr.reference, t.name]))
                assert form.status_code == 200, (role, t.name)
                assert t.custom["label"] in form.content.decode()


# --- Northern Ireland ---------------------------------------------------------------


def test_ni_client_pages_say_ni_ombudsman_and_mla(travel, client, pat, phso_team, ni_client):
    sr = new_phso(actor=pat, team=phso_team, client=ni_client)
    client.force_login(pat)
    form = client.get(reverse("sr-transition", args=[sr.reference, "information_sent"])).content.decode()
    assert "MP or MLA" in form
    response = client.post(reverse("sr-transition", args=[sr.reference, "information_sent"]), {
        "version": sr.version, "parliamentary_contact": "A. Member MLA", "referred_by_member": "on", "note": ""},
        follow=True)
    html = response.content.decode()
    assert "With NI Ombudsman" in html and "Case information sent to the NI Ombudsman" in html
    assert "With PHSO" not in html
    # The route is named the NI Ombudsman in the identity bar and summary
    # (the team keeps its own name).
    bar = html.split('class="moj-identity-bar__title">')[1].split("</span>")[0]
    assert "NI Ombudsman" in bar and "PHSO" not in bar
    # Every step's form and help speak of the NI Ombudsman, never PHSO.
    for name in ("not_taken_on", "pti_received"):
        form = client.get(reverse("sr-transition", args=[sr.reference, name])).content.decode()
        assert "PHSO" not in form.split("<main")[1].split("</main>")[0], name
    sr = go(reload(sr), pat, "pti_received", received_on=today(), addressee="", root_cause="", details="x",
            parliamentary_contact="A. Member MLA", earlier=[])
    html = client.get(reverse("sr-transition", args=[sr.reference, "convene_pti_panel"])).content.decode()
    assert "the NI Ombudsman proposal" in html and "PHSO" not in html.split("<main")[1].split("</main>")[0]


def test_lists_name_the_route_the_ni_ombudsman_for_a_northern_ireland_client(travel, client, pat, phso_team,
                                                                            ni_client):
    new_phso(actor=pat, team=phso_team, client=ni_client)
    client.force_login(pat)
    rows = client.get(reverse("my-work")).content.decode().split("<tbody", 1)[1]
    assert "NI Ombudsman" in rows and "PHSO" not in rows
    rows = client.get(reverse("search"), {"q": ni_client.case_number}).content.decode().split("<tbody", 1)[1]
    assert "NI Ombudsman" in rows and "PHSO" not in rows


def test_ni_client_emails_go_to_the_ni_ombudsman_and_say_nicms(travel, pat, phso_team, ni_client, jane):
    ni = to_with_phso(new_phso(actor=pat, team=phso_team, client=ni_client), pat)
    gb = to_with_phso(new_phso(actor=pat, team=phso_team, client=jane), pat)
    [ni_mail] = OutgoingEmail.objects.filter(sr=ni)
    [gb_mail] = OutgoingEmail.objects.filter(sr=gb)
    assert ni_mail.mailbox == "ni_ombudsman" and "nipso" in ni_mail.to_address
    assert "NICMS" in ni_mail.body and "CMG" not in ni_mail.body
    assert gb_mail.mailbox == "phso" and "CMG, internal complaints team" in gb_mail.body


def test_ni_client_systemic_recommendations_email_names_the_ni_ombudsman(travel, pat, hugh, phso_team, ni_client):
    from .helpers import to_fdl

    sr = go(to_fdl(new_phso(actor=pat, team=phso_team, client=ni_client), pat, hugh), pat, "fdl_systemic_only",
            compared=True, systemic_recommendations="Review the guidance.")
    last = OutgoingEmail.objects.filter(sr=sr).order_by("id").last()
    assert last.subject.startswith("Systemic recommendations from the NI Ombudsman")
    sent_to_ombudsman = OutgoingEmail.objects.filter(sr=sr).exclude(mailbox="client_government_relations")
    assert {e.mailbox for e in sent_to_ombudsman} == {"ni_ombudsman"}


def test_ni_client_letter_names_the_ni_organisation(travel, pat, phso_team, ni_client):
    sr = to_with_phso(new_phso(actor=pat, team=phso_team, client=ni_client), pat)
    letter = issue_letter(sr=sr, actor=pat, template_code="CMSL5844", now=MON_2_NOV_2026,
                          composition={"free_text": {"letter_text": "Your complaint is with the NI Ombudsman."}})
    assert "Northern Ireland Child Maintenance Service" in letter.html
    assert "Child Maintenance Group" not in letter.html


# --- DG caselist and dashboard ---------------------------------------------------------


def test_dg_caselist_follows_transitions_and_extensions(travel, client, pat, tina, hugh, phso_team, jane):
    sr = to_with_phso(new_phso(actor=pat, team=phso_team, client=jane), pat)
    client.force_login(tina)
    assert sr.reference not in client.get(reverse("sla:dg-caselist")).content.decode()
    sr = go(sr, pat, "pti_received", received_on=today(), addressee="", root_cause="", details="x",
            parliamentary_contact="A. Member MP", earlier=[])
    html = client.get(reverse("sla:dg-caselist")).content.decode()
    assert sr.reference in html and "5 Nov 2026" in html  # the panel deadline comes first
    # Through the mediation to the SOC: PHSO's target date is the deadline.
    from .helpers import panel

    sr = panel(sr, pat)
    sr = go(sr, pat, "submit_pti_response", pti_response="x")
    sr = go(sr, hugh, "sign_off_pti", note="")
    sr = go(sr, pat, "soc_received", received_on=today(), target_date=date(2027, 2, 1), note="")
    extend_clock(sr=sr, rule_code="phso.target_date", actor=tina, now=MON_2_NOV_2026, extended_to=date(2027, 3, 1),
                 reason="The Ombudsman extended the investigation")
    response = client.get(reverse("sla:dg-caselist"), {"export": "csv"})
    text = b"".join(response.streaming_content).decode()
    row = next(line for line in text.splitlines() if sr.reference in line)
    assert "1 Mar 2027" in row and "Response To Summary" in row
    page = client.get(reverse("case-detail", args=[sr.reference])).content.decode()
    assert "The Ombudsman extended the investigation" in page
    sr = go(sr, pat, "withdraw", note="Withdrawn.")
    assert sr.reference not in client.get(reverse("sla:dg-caselist")).content.decode()


def test_extension_page_for_the_target_date(travel, client, pat, tina, hugh, phso_team, jane):
    from .helpers import to_with_phso_pti

    sr = to_with_phso_pti(new_phso(actor=pat, team=phso_team, client=jane), pat, hugh)
    sr = go(sr, pat, "soc_received", received_on=today(), target_date=date(2027, 2, 1), note="")
    clock = DeadlineClock.objects.get(sr=sr, rule__code="phso.target_date")
    client.force_login(tina)
    response = client.post(reverse("sla:extend-clock", args=[clock.pk]), {
        "extended_to_day": "1", "extended_to_month": "3", "extended_to_year": "2027", "reason": "Agreed with PHSO"})
    assert response.status_code == 302
    clock.refresh_from_db()
    assert clock.due_on == date(2027, 3, 1) and clock.extension_reason == "Agreed with PHSO"


def test_dashboard_has_a_phso_row(travel, client, pat, tina, phso_team, jane):
    to_pti(new_phso(actor=pat, team=phso_team, client=jane), pat)
    client.force_login(tina)
    html = client.get(reverse("sla:dashboard")).content.decode()
    assert "PHSO" in html


# --- the panel's 3-day and the response's 10-day clocks, each nation -------------------


@pytest.mark.parametrize(("region", "received", "panel_due", "response_due"), [
    # Thu 24 Dec 2026: Christmas Day and Boxing Day's substitute (Mon 28 Dec), then New Year's Day.
    ("england-and-wales", date(2026, 12, 24), date(2026, 12, 31), date(2027, 1, 12)),
    # Fri 27 Nov 2026: St Andrew's Day (Mon 30 Nov) in Scotland only.
    ("scotland", date(2026, 11, 27), date(2026, 12, 3), date(2026, 12, 14)),
    # Mon 15 Mar 2027: St Patrick's Day (Wed 17 Mar), then Good Friday and Easter Monday.
    ("northern-ireland", date(2027, 3, 15), date(2027, 3, 19), date(2027, 4, 1)),
])
def test_pti_clocks_across_a_bank_holiday_in_each_nation(pat, phso_team, region, received, panel_due, response_due):
    from tests.factories import ClientFactory

    person = ClientFactory(name="Sam Lee", case_number="5555566666", region=region)
    with time_machine.travel(received + timedelta(days=1), tick=False):
        sr = to_with_phso(new_phso(actor=pat, team=phso_team, client=person), pat)
        sr = go(sr, pat, "pti_received", received_on=received, addressee="", root_cause="", details="x",
                parliamentary_contact="", earlier=[])
    clocks = {c.rule.code: c for c in DeadlineClock.objects.filter(sr=sr).select_related("rule")}
    assert clocks["phso.assessment_panel"].due_on == panel_due
    assert clocks["phso.pti_response"].due_on == response_due
    assert clocks["phso.pti_response"].region == region


def test_draft_report_clock_across_christmas(pat, hugh, phso_team, jane):
    from .helpers import to_report

    with time_machine.travel(MON_2_NOV_2026, tick=False) as traveller:
        sr = new_phso(actor=pat, team=phso_team, client=jane)
        traveller.move_to(MON_2_NOV_2026.replace(day=24, month=12, tzinfo=LONDON))
        sr = to_report(sr, pat, hugh)
    assert DeadlineClock.objects.get(sr=sr, rule__code="phso.draft_report").due_on == date(2027, 1, 12)


HOSTILE = ["", " ", "\x00", "' OR 1=1 --", "<script>alert(1)</script>", "9" * 40, "-1", "1e999", "31", "٣",
           "NaN", "{{ 7*7 }}", "x" * 6000]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_to_every_phso_form_gets_a_message_and_changes_nothing(value, client, pat, colleague, tina, gina,
                                                                            hugh, mona_p, oscar, phso_team, jane):
    users = {"owner": pat, "colleague": colleague, "tl": tina, "senior": gina, "hcr": hugh, "manager": mona_p,
             "outsider": oscar}
    with time_machine.travel(MON_2_NOV_2026, tick=False):
        for (state, situation) in MATRIX:
            if situation != "typical" or state == "closed":
                continue
            sr = make_sr(state, situation, team=phso_team, client=jane, users=users)
            for role in ("owner", "tl", "hcr"):
                client.force_login(users[role])
                for t in available_transitions(reload(sr), users[role]):
                    if t.name in ("withdraw", "reallocate"):
                        continue
                    form = {k: value for k in ("note", "comments", "received_on_day", "received_on_month",
                                               "received_on_year", "target_date_day", "reply_due_on_day",
                                               "panel_on_day", "panel_members", "panel_briefing", "fdl_amount",
                                               "route", "team", "clock", "earlier", "grade", "form_reference",
                                               "owner", "amount", "question", "parliamentary_contact",
                                               "pti_response", "report_response", "fdl_anomalies",
                                               "systemic_recommendations", "mediation_outcome", "details")}
                    form["version"] = reload(sr).version
                    before = reload(sr).version
                    response = client.post(reverse("sr-transition", args=[sr.reference, t.name]), form)
                    # 409: an earlier step in the loop took the SR on (valid optional input).
                    assert response.status_code in (200, 302, 400, 409), (t.name, response.status_code)
                    if response.status_code != 302:
                        assert reload(sr).version == before, t.name


def test_approvals_page_lists_responses_waiting_for_sign_off(travel, client, pat, tina, hugh, phso_team, jane):
    from .helpers import panel

    sr = panel(go(to_with_phso(new_phso(actor=pat, team=phso_team, client=jane), pat), pat, "pti_received",
                  received_on=today(), addressee="", root_cause="", details="x", parliamentary_contact="",
                  earlier=[]), pat)
    sr = go(sr, pat, "submit_pti_response", pti_response="Draft.")
    client.force_login(hugh)
    html = client.get(reverse("approvals")).content.decode()
    assert "Responses waiting for your sign-off" in html and sr.reference in html and "Pat Caseworker" in html
    assert "Response To PTI" in html
    nav = client.get(reverse("my-work")).content.decode()
    assert "Approvals" in nav
    client.force_login(tina)
    html = client.get(reverse("approvals")).content.decode()
    assert "Responses waiting for your sign-off" not in html and sr.reference not in html


def test_a_response_the_hcr_drafted_is_not_listed_for_them(travel, client, pat, hugh, phso_team, jane):
    from complaints.models import ServiceRequest
    from complaints.plans.selectors import sign_offs_waiting_for

    from .helpers import panel

    sr = panel(go(to_with_phso(new_phso(actor=pat, team=phso_team, client=jane), pat), pat, "pti_received",
                  received_on=today(), addressee="", root_cause="", details="x", parliamentary_contact="",
                  earlier=[]), pat)
    ServiceRequest.objects.filter(pk=sr.pk).update(owner=hugh)
    go(reload(sr), hugh, "submit_pti_response", pti_response="Hugh's draft.")
    assert not sign_offs_waiting_for(hugh).exists()
    client.force_login(hugh)
    assert sr.reference not in client.get(reverse("approvals")).content.decode()
