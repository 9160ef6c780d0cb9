"""Steps shared by the browser journeys."""

from datetime import date
from typing import Any


def choose_action(page: Any, label: str) -> None:
    """Open a step from the case page's Actions (MoJ button menu). Waits for
    the page's JavaScript first: the menu hides its items when it starts, so
    a click that races it finds the item gone."""
    page.wait_for_selector("body[data-js-ready]", state="attached")
    toggle = page.locator(".moj-button-menu__toggle-button")
    if toggle.count():  # a menu of one button has no toggle
        toggle.click()
    page.click(f"a.moj-button-menu__item:has-text('{label}')")


def open_tab(page: Any, panel: str) -> None:
    """Show a tab of the case page (GOV.UK tabs), once its JavaScript has
    run: tabs set up later would hide the panel again."""
    page.wait_for_selector("body[data-js-ready]", state="attached")
    page.click(f"a.govuk-tabs__tab[href='#{panel}']")


def act(page: Any, label: str) -> None:
    """Open a step from the Actions menu and wait for its form."""
    choose_action(page, label)
    page.wait_for_selector("h1.govuk-heading-l")


def submit(page: Any, label: str) -> None:
    page.click(f"form button.govuk-button:has-text('{label}')")
    page.wait_for_selector(".govuk-notification-banner--success")


def fill_date(page: Any, name: str, day: date, within: str = "") -> None:
    """A GOV.UK date input: day, month and year boxes."""
    for part, value in (("day", day.day), ("month", day.month), ("year", day.year)):
        page.fill(f"{within} input[name={name}_{part}]".strip(), str(value))


def sign_out(page: Any) -> None:
    page.click("button:has-text('Sign out')")
    page.wait_for_url("**/accounts/login/**")


def add_plan_action(page: Any, *, reason: str, description: str, kind: str, due: date,
                    amount: str | None = None) -> None:
    """Add an action to the plan on the case page's Plan tab."""
    open_tab(page, "plan")
    page.select_option("#action_reason", label=reason)
    page.fill("#action_description", description)
    page.check(f"#plan input[name=kind][value={kind}]")
    fill_date(page, "due_on", due, within="#plan")
    if amount:
        page.fill("#action_amount", amount)
    page.click("button:has-text('Add action')")
    page.wait_for_selector(".govuk-notification-banner--success")
