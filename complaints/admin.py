"""Admin: clients are editable; SRs, notes and the audit trail are read-only
here (state changes only through transitions), but admins may grant access
to a confidential SR through guardian's object permissions page."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from guardian.admin import GuardedModelAdmin

from .models import CaseEvent, Client, Note, ServiceRequest


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["name", "case_number", "region", "language", "postcode"]
    list_filter = ["region", "language"]
    search_fields = ["name", "case_number", "postcode"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ServiceRequest)
# guardian's stubs and django-stubs declare change_form_template differently.
class ServiceRequestAdmin(GuardedModelAdmin, ReadOnlyAdmin):  # type: ignore[misc]
    list_display = ["reference", "route", "state", "team", "owner", "received_on", "confidential", "closed_at"]
    list_filter = ["route", "team", "confidential", "dg_caselist"]
    search_fields = ["reference", "client__name", "client__case_number"]
    list_select_related = ["team", "owner"]
    raw_id_fields = ["client", "owner", "parent", "updated_by"]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ["sr", "verb", "actor", "from_state", "to_state", "created_at"]
    list_filter = ["verb"]
    search_fields = ["sr__reference"]
    list_select_related = ["sr", "actor"]


@admin.register(Note)
class NoteAdmin(ReadOnlyAdmin):
    list_display = ["sr", "author", "created_at"]
    search_fields = ["sr__reference"]
    list_select_related = ["sr", "author"]
