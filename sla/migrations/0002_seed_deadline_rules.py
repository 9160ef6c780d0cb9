"""Seeds every row of the DESIGN §4 rule table. Admins edit rules later;
a clock keeps the length and unit it started with, so edits never move
running clocks."""

from django.db import migrations

# (code, route, name, starts when, length, alternative length, unit, met when, is_wait)
RULES = [
    ("resolution.response", "resolution", "Response to the complaint",
     "Complaint referred to the resolution team", 15, None, "working_days", "Outcome given to client", False),
    ("review.acknowledge", "review", "Acknowledge the review (CMSL5829)",
     "SR allocated and the client could not be reached by phone", 2, None, "working_days",
     "CMSL5829 issued", False),
    ("review.client_reply", "review", "Client reply to CMSL5800 or CMSL5801",
     "CMSL5800 or CMSL5801 issued", 7, None, "calendar_days",
     "Client replies, or the wait expires and the caseworker acts", True),
    ("review.closure_reply", "review", "Client reply to CMSL5805",
     "CMSL5805 issued", 14, None, "calendar_days",
     "Client replies, or the wait expires and the caseworker acts", True),
    ("ice.gateway", "ice", "ICE gateway check",
     "ICE notification received", 3, None, "working_days", "Gateway decision recorded", False),
    ("ice.fig_resolution", "resolution/review", "Resolve the complaint after a failed ICE gateway",
     "FIG received (resolution or review SR raised from a FIG)", 8, None, "weeks",
     "Complaint resolved and ICE notified (else ICE may autopass)", False),
    ("ice.resolution_reply", "ice", "Reply to the ICE resolution plan",
     "Resolution plan received", 10, 15, "working_days", "Reply sent (15 days if a chronology was requested)",
     False),
    ("ice.adhoc", "ice/phso", "Answer an ad-hoc question",
     "Ad-hoc question received", None, None, "set_by_other", "Answered", False),
    ("ice.record_of_evidence", "ice", "Send the record of evidence",
     "ROE requested", 25, None, "working_days", "ROE sent", False),
    ("ice.draft_report", "ice", "Respond to the ICE draft report",
     "Draft report received", 10, None, "working_days", "Response sent", False),
    ("ice.recommendations", "ice", "Implement ICE recommendations",
     "Closure letter, settlement referral or final report received", 8, None, "weeks",
     "All actions done and ICE notified", False),
    ("phso.pti_response", "phso", "Respond to the proposal to investigate",
     "PTI received", 10, None, "working_days", "Signed-off response sent", False),
    ("phso.assessment_panel", "phso", "Convene the assessment panel",
     "PTI received", 3, None, "working_days", "Panel convened", False),
    ("phso.draft_report", "phso", "Respond to the PHSO draft report",
     "Draft report received", 10, None, "working_days", "Signed-off response sent", False),
    ("phso.recommendations", "phso", "Implement PHSO recommendations",
     "Recommendations letter or FDL with case-specific changes received", 4, None, "weeks",
     "Evidence of completed actions sent", False),
    ("provider.final_response", "provider", "Provider final response",
     "Complaint received by a provider", 8, None, "weeks",
     "Final response issued (else the client may go to ICE)", False),
    ("provider.contribution", "provider", "Return a contribution to a reply",
     "Contribution requested by a jobcentre or ICE", 5, None, "working_days", "Contribution returned", False),
]


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("sla", "DeadlineRule")
    for code, route, name, starts, length, alternative, unit, met, is_wait in RULES:
        # update_or_create: re-running never duplicates, and never touches clocks.
        DeadlineRule.objects.update_or_create(
            code=code,
            defaults=dict(route=route, name=name, starts_when=starts, length=length,
                          alternative_length=alternative, unit=unit, met_when=met, is_wait=is_wait),
        )


def unseed(apps, schema_editor):
    DeadlineRule = apps.get_model("sla", "DeadlineRule")
    DeadlineRule.objects.filter(code__in=[r[0] for r in RULES], clocks__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
