from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from papitrack.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: audit rows cannot be edited or deleted through the application."""

    list_display = ("at", "actor", "action", "object_type", "object_label", "unit")
    list_filter = ("action", "object_type")
    search_fields = ("object_label", "comment")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
