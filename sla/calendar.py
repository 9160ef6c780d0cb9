"""The working-day calendar's public API (DESIGN §4), kept at this path for
the code and tests that use it. It lives in `workdays.calendar`, the lowest
floor of the project, so that the SR core can count working days without
importing the deadline app."""

from workdays.calendar import *  # noqa: F403
from workdays.calendar import __all__  # noqa: F401
