from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from papitrack.accounts.models import LoginAttempt, TotpDevice, User
from papitrack.accounts.services import reset_two_factor


@admin.register(User)
class PapitrackUserAdmin(UserAdmin):  # type: ignore[type-arg]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Đơn vị", {"fields": ("unit", "full_name", "job_title")}),
    )
    list_display = ("username", "full_name", "unit", "is_staff")
    list_select_related = ("unit",)


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: who tried to sign in, from where, and how it ended (also in the audit)."""

    list_display = ("at", "username", "address", "outcome", "channel")
    list_filter = ("outcome", "channel")
    search_fields = ("username", "address")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TotpDevice)
class TotpDeviceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """An administrator removes the authenticator of a user who lost it; the user then sets
    up a new one at the next sign-in. The secret is never shown."""

    list_display = ("user", "enabled_at")
    search_fields = ("user__username",)
    exclude = ("secret", "last_used_step")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: TotpDevice) -> None:
        assert isinstance(request.user, User)  # noqa: S101 - the admin requires a staff user
        reset_two_factor(actor=request.user, device=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[TotpDevice]) -> None:
        for device in queryset.select_related("user__unit"):
            self.delete_model(request, device)
