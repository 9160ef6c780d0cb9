from django import template

from accounts.models import User
from complaints.models import ServiceRequest
from complaints.permissions import can_work

register = template.Library()


@register.filter
def can_send_letters(user: User, sr: ServiceRequest) -> bool:
    """The same rule the Send a letter page enforces (complaints.permissions)."""
    return bool(user and user.is_authenticated and can_work(user, sr))
