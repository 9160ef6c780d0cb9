from typing import Any

"""Steps shared by the browser journeys."""


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
