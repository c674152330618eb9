"""The notification preferences form."""

from __future__ import annotations

from typing import Any

from django import forms

from papitrack.notifications.models import NotificationPreference


class NotificationPreferenceForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = NotificationPreference
        fields = ("email_enabled", "first_reminder_days", "second_reminder_days", "digest_hour")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select"
            else:
                field.widget.attrs.update({"class": "form-control", "min": "0", "max": "20"})
            field.widget.attrs["aria-describedby"] = f"id_{name}_help"
