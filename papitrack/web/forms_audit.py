"""The audit screen's GET filters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from papitrack.web.forms import ANY_CHOICE
from papitrack.web.forms_reports import date_field


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label="Người thực hiện (tên đăng nhập)", required=False, max_length=150)
    action = forms.ChoiceField(label="Hành động", required=False)
    object_type = forms.ChoiceField(label="Loại đối tượng", required=False)
    unit = forms.CharField(label="Mã đơn vị", required=False, max_length=40)
    since = date_field("Từ ngày", label="Từ ngày")
    until = date_field("Đến ngày", label="Đến ngày")

    def __init__(
        self,
        *args: Any,
        actions: Sequence[tuple[str, str]],
        object_types: Sequence[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [ANY_CHOICE, *actions]  # type: ignore[attr-defined]
        self.fields["object_type"].choices = [  # type: ignore[attr-defined]
            ANY_CHOICE,
            *object_types,
        ]
        self.fields["actor"].widget.attrs["placeholder"] = "ví dụ: demo-commune"
        self.fields["unit"].widget.attrs["placeholder"] = "ví dụ: 20605"
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs["class"] = f"{css} {css}-sm"
