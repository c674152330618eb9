"""Forms of the web screens: GET filters, each option list built from the data shown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from papitrack.indices.models import Dimension
from papitrack.tasks.enums import TimelineKind
from papitrack.tasks.queries import AssigneeKind, AssigneeOption

ANY_CHOICE = ("", "Tất cả")
SEARCH_MAX_LENGTH = 200


def _grouped_choices(options: Sequence[AssigneeOption]) -> list[Any]:
    """Options as select optgroups: units, then levels, then groups."""
    choices: list[Any] = [ANY_CHOICE]
    for kind, label in AssigneeKind.choices:
        members = [(option.value, option.label) for option in options if option.kind == kind]
        if members:
            choices.append((label, members))
    return choices


def _style(form: forms.Form) -> None:
    """Give every field Bootstrap's small control classes."""
    for field in form.fields.values():
        css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
        field.widget.attrs["class"] = f"{css} {css}-sm"


class TaskFilterForm(forms.Form):
    dimension = forms.ChoiceField(label="Chỉ số nội dung", required=False)
    lead = forms.ChoiceField(label="Đơn vị chủ trì", required=False)
    implementer = forms.ChoiceField(label="Đơn vị thực hiện", required=False)
    timeline = forms.ChoiceField(
        label="Thời gian thực hiện",
        required=False,
        choices=[ANY_CHOICE, *TimelineKind.choices],
    )
    q = forms.CharField(
        label="Tìm kiếm",
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.SearchInput(attrs={"placeholder": "Ví dụ: quan tri, hộ nghèo"}),
        help_text="Không phân biệt dấu và chữ hoa: «quan tri» tìm được «quản trị».",
    )

    def __init__(
        self,
        *args: Any,
        dimensions: Sequence[Dimension],
        leads: Sequence[AssigneeOption],
        implementers: Sequence[AssigneeOption],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dimension"].choices = [  # type: ignore[attr-defined]
            ANY_CHOICE,
            *((dimension.code, dimension.label) for dimension in dimensions),
        ]
        self.fields["lead"].choices = _grouped_choices(leads)  # type: ignore[attr-defined]
        self.fields["implementer"].choices = _grouped_choices(implementers)  # type: ignore[attr-defined]
        _style(self)


class ScoreTableForm(forms.Form):
    year = forms.TypedChoiceField(label="Năm", coerce=int, required=False)
    dimension = forms.ChoiceField(label="Chỉ số", required=False)

    def __init__(
        self, *args: Any, years: Sequence[int], dimensions: Sequence[Dimension], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            (str(year), str(year)) for year in reversed(years)
        ]
        self.fields["dimension"].choices = [  # type: ignore[attr-defined]
            (dimension.code, dimension.label) for dimension in dimensions
        ]
        _style(self)
