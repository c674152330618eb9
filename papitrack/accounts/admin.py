from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from papitrack.accounts.models import User


@admin.register(User)
class PapitrackUserAdmin(UserAdmin):  # type: ignore[type-arg]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Đơn vị", {"fields": ("unit", "full_name", "job_title")}),
    )
    list_display = ("username", "full_name", "unit", "is_staff")
    list_select_related = ("unit",)
