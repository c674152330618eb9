"""Forms of the units' plan screens: opening a round, and one unit's plan with a row per task."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from papitrack.plans.models import Plan
from papitrack.tasks.models import Task
from papitrack.unitplans.models import UnitPlan, UnitPlanItem
from papitrack.unitplans.services import UnitPlanItemInput
from papitrack.web.forms_reports import (
    EVIDENCE_ACCEPT,
    VERSION_MISSING,
    date_field,
    decimal_field,
    keep_absent_fields,
    text_field,
)

ITEM_LABELS = {
    "actions": "Nội dung thực hiện",
    "target_value": "Chỉ tiêu (số)",
    "target_text": "Chỉ tiêu (diễn giải)",
    "deadline": "Thời hạn",
    "responsible_person": "Người/bộ phận phụ trách",
    "justification": "Lý do nếu thấp hơn chỉ tiêu của tỉnh",
}
ITEM_LIMITS = {"target_text": 300, "responsible_person": 200}


def item_field_name(task_key: str, name: str) -> str:
    return f"{task_key}-{name}"


class OpenRoundForm(forms.Form):
    plan = forms.ModelChoiceField(label="Kế hoạch", queryset=Plan.objects.none(), empty_label=None)
    due_date = date_field("Hạn gửi", label="Hạn gửi kế hoạch của đơn vị", required=True)

    def __init__(self, data: Any = None, *, plans: Sequence[Plan]) -> None:
        first = plans[0] if plans else None
        initial = {"plan": first, "due_date": first.unit_plan_deadline if first else None}
        super().__init__(data, initial=initial)
        self.fields["plan"].queryset = Plan.objects.filter(  # type: ignore[attr-defined]
            pk__in=[plan.pk for plan in plans]
        )
        self.fields["plan"].widget.attrs["class"] = "form-select"
        self.fields["due_date"].widget.attrs["class"] = "form-control"
        self.fields["due_date"].error_messages["required"] = "Chưa nhập hạn gửi."


class UnitPlanForm(forms.Form):
    """The unit's document and one row per assigned task; blank rows are left out."""

    version = forms.IntegerField(
        widget=forms.HiddenInput, error_messages={"required": VERSION_MISSING}
    )

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        unit_plan: UnitPlan,
        tasks: Sequence[Task],
    ) -> None:
        items = {item.task_id: item for item in unit_plan.items.all()}
        initial: dict[str, Any] = {
            "version": unit_plan.version,
            "document_number": unit_plan.document_number,
            "document_date": unit_plan.document_date,
        }
        for task in tasks:
            item = items.get(task.pk)
            if item is not None:
                initial.update(
                    {item_field_name(task.key, name): getattr(item, name) for name in ITEM_LABELS}
                )
        super().__init__(data, files, initial=initial)
        self.tasks = list(tasks)
        self.items: dict[int, UnitPlanItem] = items
        self.subjects: dict[str, str] = {}
        self.fields["document_number"] = text_field(
            "Số văn bản kế hoạch", label="Số văn bản", limit=100
        )
        self.fields["document_number"].widget.attrs["placeholder"] = "Số: 12/KH-UBND"
        self.fields["document_date"] = date_field("Ngày văn bản kế hoạch", label="Ngày văn bản")
        self.fields["document"] = forms.FileField(
            label="Tệp kế hoạch đã ký",
            required=False,
            help_text="PDF, ảnh JPG/PNG, Word DOCX hoặc Excel XLSX, tối đa 10 MB.",
            widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
        )
        for task in self.tasks:
            subject = f"Nhiệm vụ {task.printed_label}"
            for name, label in ITEM_LABELS.items():
                full = f"{subject}: {label.lower()}"
                field: forms.Field
                if name == "target_value":
                    field = decimal_field(full, label=label)
                    field.widget.attrs["data-unit-target"] = ""
                elif name == "deadline":
                    field = date_field(full, label=label)
                else:
                    rows = 2 if name in {"actions", "justification"} else 0
                    field = text_field(full, label=label, limit=ITEM_LIMITS.get(name), rows=rows)
                self.fields[item_field_name(task.key, name)] = field
                self.subjects[item_field_name(task.key, name)] = full
        for field in self.fields.values():
            if not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs.setdefault("class", "form-control form-control-sm")
        if self.is_bound:
            self.data = keep_absent_fields(self)

    def error_list(self) -> list[str]:
        lines = []
        for name, errors in self.errors.items():
            label = str(self.fields[name].label) if name in self.fields else ""
            for error in map(str, errors):
                standalone = name == "version" or error.startswith(("Nhiệm vụ", "Số", "Ngày"))
                lines.append(error if standalone else f"{label}: {error}")
        return lines

    def values_changed(self) -> bool:
        return any(name not in {"document", "version"} for name in self.changed_data)

    def typed_values(self) -> list[tuple[str, str]]:
        return [
            (self.subjects.get(name) or str(self.fields[name].label), str(self.data.get(name, "")))
            for name in self.changed_data
            if name not in {"document", "version"}
        ]

    def row(self, task: Task) -> dict[str, forms.BoundField]:
        return {name: self[item_field_name(task.key, name)] for name in ITEM_LABELS}

    def item_inputs(self) -> list[UnitPlanItemInput]:
        data = self.cleaned_data
        inputs = []
        for task in self.tasks:
            given = {name: data.get(item_field_name(task.key, name)) for name in ITEM_LABELS}
            if all(value in (None, "") for value in given.values()):
                continue
            inputs.append(
                UnitPlanItemInput(
                    task_key=task.key,
                    actions=given["actions"] or "",
                    target_value=given["target_value"],
                    target_text=given["target_text"] or "",
                    deadline=given["deadline"],
                    responsible_person=given["responsible_person"] or "",
                    justification=given["justification"] or "",
                )
            )
        return inputs
