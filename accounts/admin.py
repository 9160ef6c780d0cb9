from typing import Any, cast

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Grade, Membership, Team, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["team"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "grade", "is_active", "is_staff"]
    list_filter = ["groups", "grade", "is_active", "memberships__team"]
    # Rights come from roles only (accounts.backends): no per-user permissions.
    fieldsets = cast(Any, (
        *((name, {**opts, "fields": [f for f in opts["fields"] if f != "user_permissions"]})
          for name, opts in BaseUserAdmin.fieldsets or ()),
        ("Casework", {"fields": ["grade"]}),
    ))


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "name_cy", "route", "region", "phone"]
    list_filter = ["route", "region"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Grade)
class GradeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "rank", "approval_limit"]
    list_editable = ["approval_limit"]
    ordering = ["rank"]
