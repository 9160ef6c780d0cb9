"""What only an ICE SR has (seed 000): ICE's reference, the gateway
criteria and the decision taken on them, the third-party account, and
ICE's outcome for the client. One row per ICE SR, written by the route's
Record steps (RouteSpec.details)."""

from django.db import models

from complaints.models import ServiceRequest


class IceOutcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"


class GatewayProposal(models.TextChoices):
    PASS = "pass", "Pass"
    FAIL = "fail", "Fail"


class IceDetails(models.Model):
    sr = models.OneToOneField(ServiceRequest, on_delete=models.CASCADE, related_name="ice_details")
    ice_reference = models.CharField("ICE's reference", max_length=40, blank=True)
    # The gateway criteria (seed 000 step 1).
    final_response_sr = models.ForeignKey(
        ServiceRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The Review (or chief executive) SR whose final response the client complained to ICE about",
    )
    final_response_on = models.DateField("final response sent on", null=True, blank=True)
    contacted_ice_on = models.DateField("client contacted ICE on", null=True, blank=True)
    mp_clearance_on = models.DateField("MP's clearance letter dated", null=True, blank=True)
    referred_by_phso = models.BooleanField("referred to ICE by PHSO", default=False)
    client_gave_copy = models.BooleanField("client gave ICE a copy of the response", default=False)
    gateway_proposal = models.CharField(max_length=4, choices=GatewayProposal.choices, blank=True)
    gateway_override_reason = models.TextField(blank=True)
    # "ICE" once the gateway is passed: what allows CMSL5844.
    third_party_account = models.CharField("3rd Party Account", max_length=20, blank=True)
    fig_received_on = models.DateField("FIG received on", null=True, blank=True)
    ice_outcome = models.CharField("ICE's outcome for the client", max_length=20, choices=IceOutcome.choices,
                                   blank=True)

    class Meta:
        verbose_name = "ICE details"
        verbose_name_plural = "ICE details"

    def __str__(self) -> str:
        return f"ICE details of {self.sr_id}"
