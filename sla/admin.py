from typing import Any, cast

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User

from .closures import delete_closure_day, save_closure_day
from .models import ClosureDay, DeadlineClock, DeadlineRule, Task


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "route", "length_text", "unit", "is_wait"]
    list_filter = ["route", "unit", "is_wait"]
    search_fields = ["code", "name"]
    readonly_fields = ["code"]
    fieldsets = [(None, {
        "fields": ["code", "name", "route", "starts_when", "length", "alternative_length", "unit", "met_when",
                   "is_wait"],
        "description": "Changes apply to deadlines started from now on. Deadlines already running keep "
                       "the due date they started with.",
    })]

    def get_readonly_fields(self, request: HttpRequest, obj: DeadlineRule | None = None) -> list[str]:
        # Routes start clocks by code, so a new rule needs its code; an
        # existing one keeps it.
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: DeadlineRule | None = None) -> bool:
        return False


@admin.register(ClosureDay)
class ClosureDayAdmin(admin.ModelAdmin):
    """Saving or deleting a closure moves the running clocks it touches; the
    service writes each move on the SR's timeline."""

    list_display = ["date", "name", "region"]
    list_filter = ["region"]
    date_hierarchy = "date"
    fields = ["region", "date", "name"]

    def save_model(self, request: HttpRequest, obj: ClosureDay, form: Any, change: bool) -> None:
        moved = save_closure_day(closure=obj, actor=cast(User, request.user), now=timezone.now())
        self._report(request, moved)

    def delete_model(self, request: HttpRequest, obj: ClosureDay) -> None:
        moved = delete_closure_day(closure=obj, actor=cast(User, request.user), now=timezone.now())
        self._report(request, moved)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ClosureDay]) -> None:
        moved = sum((delete_closure_day(closure=c, actor=cast(User, request.user), now=timezone.now())) for c in queryset)
        self._report(request, moved)

    def _report(self, request: HttpRequest, moved: int) -> None:
        if moved:
            messages.info(request, f"{moved} running deadline{'s' if moved != 1 else ''} moved; "
                                   "each move is on the SR's timeline.")


@admin.register(DeadlineClock)
class DeadlineClockAdmin(admin.ModelAdmin):
    """Read-only: clocks change through services (transitions, extensions,
    closures) so every change reaches the SR's timeline."""

    list_display = ["sr", "rule", "team", "region", "started_on", "due_on", "met_on", "cancelled_at"]
    list_filter = ["rule", "route", "region"]
    search_fields = ["sr__reference"]
    list_select_related = ["sr", "rule", "team"]
    show_full_result_count = False  # a million rows: no COUNT(*) on every page

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: DeadlineClock | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: DeadlineClock | None = None) -> bool:
        return False


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "sr", "assignee", "team", "due_on", "created_at", "done_at"]
    list_filter = ["kind", ("done_at", admin.EmptyFieldListFilter)]
    search_fields = ["sr__reference", "key", "title"]
    list_select_related = ["sr", "assignee", "team"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Task | None = None) -> bool:
        return False
