"""CMSL5844 on an ICE SR only once its 3rd Party Account is ICE (seed 000
step 5: passing the gateway sets it, and that is what allows the letter)."""

from complaints.models import Route, ServiceRequest
from letters.conditions import letter_condition

from .models import IceDetails


@letter_condition("CMSL5844", Route.ICE)
def third_party_account_is_ice(sr: ServiceRequest) -> str:
    if IceDetails.objects.filter(sr_id=sr.pk, third_party_account="ICE").exists():
        return ""
    return "CMSL5844 can be sent only once the gateway is passed and the 3rd Party Account is ICE."
