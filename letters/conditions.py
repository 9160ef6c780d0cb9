"""What a route requires of an SR, beyond its state, before a letter may be
issued on it: e.g. CMSL5844 on an ICE SR only once the 3rd Party Account is
ICE (seed 000 step 5). Route apps register a condition at start-up; the
letters app asks before listing or issuing a letter, so it imports none of
them."""

from collections.abc import Callable

from complaints.models import ServiceRequest

# sr -> "" when the letter may be issued, otherwise why not (shown to the user).
LetterCondition = Callable[[ServiceRequest], str]
_CONDITIONS: dict[tuple[str, str], list[LetterCondition]] = {}


def letter_condition(template_code: str, route: str) -> Callable[[LetterCondition], LetterCondition]:
    def register(fn: LetterCondition) -> LetterCondition:
        found = _CONDITIONS.setdefault((template_code, route), [])
        if fn not in found:
            found.append(fn)
        return fn
    return register


def refusal(template_code: str, sr: ServiceRequest) -> str:
    """Why this letter may not be issued on this SR now ("" if it may)."""
    for condition in _CONDITIONS.get((template_code, sr.route), ()):
        why = condition(sr)
        if why:
            return why
    return ""
