from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from papitrack.notifications.models import Digest, JobRun, Notification, NotificationPreference


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The log of who was told what: never edited or deleted through the application."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_for_day", "recipient", "kind", "audience", "stage", "read_at")
    list_filter = ("kind", "audience", "created_for_day")
    search_fields = ("recipient__username", "message")
    raw_id_fields = ("recipient", "report", "transition", "emailed_in")


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdmin):
    list_display = ("day", "recipient", "email", "notification_count", "sent_at")
    list_filter = ("day",)
    search_fields = ("recipient__username", "email")


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    list_display = ("job", "day", "outcome", "started_at", "finished_at")
    list_filter = ("job", "outcome")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "user",
        "email_enabled",
        "first_reminder_days",
        "second_reminder_days",
        "digest_hour",
    )
    raw_id_fields = ("user",)
