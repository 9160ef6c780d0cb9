"""The ICE gateway criteria (seed 000 step 1, DESIGN §4): what the app
proposes from what the caseworker recorded. Pure: no database, so the
six-month arithmetic is tested on its own.

- Autopass: ICE takes the case whatever the dates when PHSO referred it,
  or when the client gave ICE a copy of the final response.
- Otherwise the client needs a final response (review team or chief
  executive) on the same issue and must have contacted ICE within six
  calendar months of it (clipped to the month end: 31 Aug + 6 months is
  28/29 Feb), or an MP's clearance letter within six months.
"""

from dataclasses import dataclass
from datetime import date

from workdays.calendar import add_months
from workdays.text import fmt_day

WINDOW_MONTHS = 6


@dataclass(frozen=True)
class GatewayCheck:
    passes: bool
    # One sentence per criterion, in the caseworker's words.
    findings: tuple[str, ...]
    autopass: bool = False

    @property
    def proposal(self) -> str:
        return "pass" if self.passes else "fail"

    @property
    def summary(self) -> str:
        return " ".join(self.findings)


def six_months_after(day: date) -> date:
    return add_months(day, WINDOW_MONTHS)


def within_six_months(start: date, contacted: date) -> bool:
    return start <= contacted <= six_months_after(start)


def check_gateway(
    *, final_response_on: date | None, contacted_ice_on: date | None, mp_clearance_on: date | None,
    referred_by_phso: bool, client_gave_copy: bool,
) -> GatewayCheck:
    findings: list[str] = []
    if referred_by_phso:
        findings.append("Autopass: the complaint was referred to ICE by the Ombudsman.")
    if client_gave_copy:
        findings.append("Autopass: the client gave ICE a copy of the final response.")
    if findings:
        return GatewayCheck(passes=True, findings=tuple(findings), autopass=True)
    passes = False
    if final_response_on is None and mp_clearance_on is None:
        findings.append("No final response or MP's clearance letter is recorded: the complaint has not been through "
                        "the complaints process.")
    if final_response_on is not None:
        limit = six_months_after(final_response_on)
        if contacted_ice_on is None:
            findings.append("The date the client contacted ICE is not recorded.")
        elif within_six_months(final_response_on, contacted_ice_on):
            passes = True
            findings.append(f"Six months met: the client contacted ICE on {fmt_day(contacted_ice_on)}, within six "
                            f"months of the final response (by {fmt_day(limit)}).")
        else:
            findings.append(f"Six months not met: the client contacted ICE on {fmt_day(contacted_ice_on)}; six "
                            f"months from the final response ended {fmt_day(limit)}.")
    if mp_clearance_on is not None and contacted_ice_on is not None:
        limit = six_months_after(mp_clearance_on)
        if within_six_months(mp_clearance_on, contacted_ice_on):
            passes = True
            findings.append(f"MP's clearance letter within six months (by {fmt_day(limit)}).")
        else:
            findings.append(f"MP's clearance letter more than six months before ICE was contacted (six months "
                            f"ended {fmt_day(limit)}).")
    return GatewayCheck(passes=passes, findings=tuple(findings))
