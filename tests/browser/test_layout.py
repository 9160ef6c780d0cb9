"""Every main page fits the window from 320 to 1280 px wide without the
page scrolling sideways; a wide table scrolls inside its own container
(GOV.UK's advice). At 1280 px the Team queue ran 108 px past the edge; at
390 px it was 1083 px wide and a case page 577 px."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import User
from complaints.plans.services import current_plan
from sla.models import TaskKind
from tests.platform.helpers import allocate, new_sr
from tests.review.helpers import add_plan, closed_resolution_sr, go, new_review
from tests.sla.factories import TaskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (320, 390, 1280)


def _overflow(page: Any) -> int:
    """How far the page reaches past the window, in CSS pixels."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def _culprits(page: Any) -> str:
    """The outermost elements that reach past the window, to say what to fix."""
    return page.evaluate("""() => {
        const width = window.innerWidth, out = [];
        const scrolls = el => { for (let p = el.parentElement; p; p = p.parentElement) {
            if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return true; } return false; };
        for (const el of document.body.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            if (r.right > width + 0.5 && !scrolls(el)
                && !(el.parentElement && el.parentElement.getBoundingClientRect().right > width + 0.5)) {
                out.push(el.tagName.toLowerCase() + '.' + (el.className || '').toString().split(' ').slice(0, 2).join('.')
                         + ' ' + Math.round(r.right - width) + 'px');
            }
        }
        return out.slice(0, 4).join(', ');
    }""")


def _sign_in(page: Any, user: User) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "correct-horse-battery")
    page.click("button:has-text('Sign in')")
    page.wait_for_selector("[data-testid=signed-in-user]")


def test_main_pages_fit_320_to_1280_px(page, caseworker, team_leader, resolution_team, review_team, client_person):
    long_name = "Alexandria Montgomery-Fitzwilliam-Hetherington"
    client_person.name = long_name
    client_person.save(update_fields=["name"])
    sr = allocate(new_sr(actor=caseworker, team=resolution_team, client=client_person), tl=team_leader,
                  owner=caseworker)
    for _ in range(3):
        new_sr(actor=caseworker, team=resolution_team, client=client_person, dg_caselist=True)
    TaskFactory(sr=sr, assignee=team_leader, kind=TaskKind.OVERDUE_TL,
                title="Overdue 2 working days or more: Response to the complaint")
    earlier = closed_resolution_sr(team=resolution_team, client=client_person,
                                   closed_on=timezone.localdate() - timedelta(days=40))
    review = go(go(new_review(actor=caseworker, team=review_team, client=client_person, related=earlier),
                   team_leader, "allocate", owner=caseworker), caseworker, "start_plan")
    add_plan(review, caseworker, redress="150.00")
    action = current_plan(review).actions.first()
    go(review, caseworker, "submit_for_approval")

    pages = {
        team_leader: ["/my-work/", "/team-queue/", f"/sr/{sr.reference}/", f"/sr/{review.reference}/",
                      f"/sr/{sr.reference}/do/reallocate/", "/sr/new/", f"/search/?q={long_name[:9]}",
                      "/deadlines/dashboard/", "/deadlines/list/?bucket=open", "/deadlines/dg-caselist/",
                      "/approvals/", f"/sr/{review.reference}/do/reject_plan/"],
        caseworker: [f"/sr/{sr.reference}/do/start_plan/", f"/letters/sr/{sr.reference}/send/",
                     f"/letters/sr/{sr.reference}/send/?template=RES-ACK",
                     f"/sr/{review.reference}/plan/actions/{action.pk}/progress/"],
    }
    too_wide = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.context.clear_cookies()
        page.goto("/accounts/login/")
        if _overflow(page) > 0:
            too_wide.append((width, "/accounts/login/", _culprits(page)))
        for user, urls in pages.items():
            page.context.clear_cookies()
            _sign_in(page, user)
            for url in urls:
                page.goto(url)
                page.wait_for_selector("body[data-js-ready]", state="attached")
                if _overflow(page) > 0:
                    too_wide.append((width, url, _culprits(page)))
    assert too_wide == [], "\n".join(f"at {w} px {url}: {what}" for w, url, what in too_wide)
