from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from papitrack.calendars.models import CalendarDay, DueDateRule


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("date", "kind", "name", "source", "confirmed")
    list_filter = ("kind", "confirmed")
    search_fields = ("name", "source")
    date_hierarchy = "date"
    actions = ("mark_confirmed",)

    @admin.action(description="Đánh dấu đã xác nhận theo thông báo chính thức")
    def mark_confirmed(self, request: HttpRequest, queryset: QuerySet[CalendarDay]) -> None:
        queryset.update(confirmed=True)


@admin.register(DueDateRule)
class DueDateRuleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("period_kind", "level", "offset_working_days")
    list_editable = ("offset_working_days",)
    list_filter = ("period_kind", "level")
