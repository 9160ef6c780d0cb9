from django import template

from complaints.permissions import can_work

register = template.Library()


@register.filter
def can_send_letters(user, sr) -> bool:  # type: ignore[no-untyped-def]
    """The same rule the Send a letter page enforces (complaints.permissions)."""
    return bool(user and user.is_authenticated and can_work(user, sr))
