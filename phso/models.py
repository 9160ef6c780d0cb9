"""What only a PHSO / NI Ombudsman SR records: the assessment panels, the
responses the Head of Complaints Review signs off, the mediation outcome
and the final decision letter. Written by the route's Record steps
(RouteSpec.details); everything else lives on the ServiceRequest."""

from django.db import models

from complaints.models import ServiceRequest


class PhsoDetails(models.Model):
    sr = models.OneToOneField(ServiceRequest, on_delete=models.CASCADE, related_name="phso_details")

    # Proposal to investigate: the assessment panel and the response.
    panel_members = models.TextField("assessment panel members", blank=True)
    panel_on = models.DateField("assessment panel date", null=True, blank=True)
    panel_briefing = models.TextField("briefing for the panel", blank=True)
    pti_response = models.TextField("response to the proposal to investigate", blank=True)
    mediation_outcome = models.TextField(blank=True)

    # Draft report: the panel that checked it and the response.
    report_panel_members = models.TextField("draft report panel members", blank=True)
    report_panel_on = models.DateField("draft report panel date", null=True, blank=True)
    report_response = models.TextField("response to the draft report", blank=True)

    # Final decision letter (which branch it took is the step on the timeline).
    fdl_received_on = models.DateField("final decision letter received", null=True, blank=True)
    fdl_amount = models.DecimalField("redress the final decision letter sets", max_digits=10, decimal_places=2,
                                     null=True, blank=True)
    fdl_anomalies = models.TextField("differences from the draft report and our response", blank=True)
    systemic_recommendations = models.TextField(blank=True)

    class Meta:
        verbose_name = "PHSO details"
        verbose_name_plural = "PHSO details"

    def __str__(self) -> str:
        return f"PHSO details of {self.sr_id}"
