"""Forms of the reporting screens: list filters, a report's entry form, review comments.

The entry form is built from the report's task: one group of fields per KPI, chosen by the
KPI's kind, plus one yes/no row per child unit where a district answers for its communes.
Field names carry the KPI code ("D2-T6-K1-numerator") so one POST holds the whole report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict

from papitrack.indices.models import Dimension
from papitrack.lib.numbers import AmbiguousDecimalError, DecimalParseError, parse_typed_decimal
from papitrack.orgunits.models import OrgUnit
from papitrack.reports.enums import MilestoneStatus, ReportStatus
from papitrack.reports.models import ChildAnswer, Evidence, KpiValue, Report, ReportingPeriod
from papitrack.reports.services import ChildAnswerInput, KpiValueInput, ReportEdit
from papitrack.tasks.enums import KpiKind
from papitrack.tasks.models import Kpi, Task
from papitrack.web.forms import ANY_CHOICE
from papitrack.web.widgets import QuickSelect

DECIMAL_INVALID = "{subject}: «{text}» không phải là số (ví dụ 12,5 hoặc 1250)."
DECIMAL_AMBIGUOUS = (
    "{subject}: «{text}» không rõ là số nguyên có dấu chấm phân cách hàng nghìn hay số thập "
    "phân; hãy viết không có dấu chấm (1250) hoặc dùng dấu phẩy thập phân (1,25)."
)
DATE_INVALID = "{subject}: ngày không hợp lệ (ví dụ 30/11/2020)."
TOO_LONG = "{subject}: tối đa {limit} ký tự."
VERSION_MISSING = "Thiếu phiên bản của báo cáo; hãy tải lại trang rồi nhập lại."

YES, NO = "yes", "no"
ANSWER_CHOICES = [(YES, "Đã thực hiện"), (NO, "Chưa thực hiện")]
CHILD_ANSWER_CHOICES = [(YES, "Có"), (NO, "Không"), ("", "Chưa báo cáo")]
ANSWER_VALUES: dict[str, bool | None] = {YES: True, NO: False, "": None}

# Which value fields each KPI kind asks for (domain.md §3.2); "note" goes with every kind.
FIELDS_BY_KIND: dict[str, tuple[str, ...]] = {
    KpiKind.RATIO: ("numerator", "denominator"),
    KpiKind.SHARE_OF_UNITS: ("answer", "reason"),
    KpiKind.COUNT: ("count",),
    KpiKind.MILESTONE: ("milestone_status", "completed_on", "document_number", "document_date"),
    KpiKind.VAGUE: ("milestone_status", "completed_on", "document_number", "document_date"),
    KpiKind.EXTERNAL: ("numerator", "denominator", "milestone_status"),
}
FIELD_LABELS = {
    "numerator": "Tử số",
    "denominator": "Mẫu số",
    "count": "Số lần",
    "answer": "Kết quả",
    "reason": "Lý do (nếu chưa thực hiện)",
    "milestone_status": "Tình trạng",
    "completed_on": "Ngày hoàn thành",
    "document_number": "Số văn bản",
    "document_date": "Ngày văn bản",
    "note": "Ghi chú",
}
NARRATIVE_LABELS = {
    "results": "Kết quả đạt được",
    "shortcomings": "Tồn tại, hạn chế",
    "causes": "Nguyên nhân",
    "proposals": "Kiến nghị, đề xuất",
}
SIGNER_LABEL = "Người chịu trách nhiệm (ký thay mặt đơn vị)"
EVIDENCE_ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,application/pdf,image/jpeg,image/png"


def decimal_text(value: Decimal) -> str:
    """12.50 -> "12,5": the way a Vietnamese user types it back, without thousands dots.

    A thousands dot would be read back as a decimal point ("1.250" is 1,25), so none is added.
    """
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


class DecimalInput(forms.TextInput):
    """A text box for numbers typed with a decimal comma; phones show their number pad."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal):
            return decimal_text(value)
        return super().format_value(value)


class VietnameseDecimalField(forms.Field):
    """Accepts "12,5", "12.5" and "1.250,5", refuses "1.250" (lib.numbers.parse_typed_decimal);
    empty is None."""

    widget = DecimalInput

    def __init__(self, **kwargs: Any) -> None:
        messages = {
            "invalid": "«%(text)s» không phải là số (ví dụ 12,5).",
            "ambiguous": "«%(text)s»: hãy viết 1250 hoặc 1,25.",
            **kwargs.pop("error_messages", {}),
        }
        super().__init__(error_messages=messages, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, Decimal):
            return value
        text = str(value or "").strip()
        if not text:
            return None
        # "1.250" is refused, not read as 1,25 (lib.numbers.parse_typed_decimal).
        try:
            return parse_typed_decimal(text)
        except AmbiguousDecimalError as error:
            raise ValidationError(
                self.error_messages["ambiguous"], code="ambiguous", params={"text": text[:40]}
            ) from error
        except DecimalParseError as error:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"text": text[:40]}
            ) from error


class IsoDateInput(forms.DateInput):
    """The browser's date picker; it always sends yyyy-mm-dd."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(subject: str, *, label: str, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=IsoDateInput(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": DATE_INVALID.format(subject=subject)},
    )


def decimal_field(subject: str, *, label: str) -> VietnameseDecimalField:
    return VietnameseDecimalField(
        label=label,
        required=False,
        error_messages={
            "invalid": DECIMAL_INVALID.format(subject=subject, text="%(text)s"),
            "ambiguous": DECIMAL_AMBIGUOUS.format(subject=subject, text="%(text)s"),
        },
    )


def text_field(
    subject: str, *, label: str, limit: int | None = None, rows: int = 0
) -> forms.CharField:
    widget: forms.Widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit,
        widget=widget,
        error_messages={"max_length": TOO_LONG.format(subject=subject, limit=limit)},
    )


def _style(field: forms.Field) -> None:
    widget = field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.HiddenInput):
        return
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        widget.attrs.setdefault("class", "form-control form-control-sm")
        return
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    widget.attrs.setdefault("class", css)


def keep_absent_fields(form: forms.BaseForm) -> Any:
    """The form's data with every field the POST left out set to its stored value.

    A browser posts every text box, so a missing name means the page did not show the field
    (an older page, a script posting only some fields): keep what is stored rather than
    clearing it. The version, files and "remove" ticks are never filled in.
    """
    data: QueryDict | dict[str, Any] = (
        form.data.copy() if isinstance(form.data, QueryDict) else dict(form.data)
    )
    for name, field in form.fields.items():
        if name in data or name == "version":
            continue
        if isinstance(field, forms.FileField | forms.MultipleChoiceField):
            continue
        initial = form.get_initial_for_field(field, name)
        if initial is None:
            data[name] = ""
        elif isinstance(field, forms.ChoiceField):
            data[name] = str(initial)
        else:
            data[name] = field.widget.format_value(initial) or ""
    return data


@dataclass(frozen=True)
class KpiLayout:
    """One KPI of the report as the form lays it out: the child units it is answered for."""

    kpi: Kpi
    children: Sequence[OrgUnit]

    @property
    def value_fields(self) -> tuple[str, ...]:
        return (*FIELDS_BY_KIND.get(self.kpi.kind, ()), "note")


@dataclass(frozen=True)
class EvidenceUpload:
    kpi_code: str
    file: UploadedFile | None
    link: str
    description: str


def field_name(kpi_code: str, name: str) -> str:
    return f"{kpi_code}-{name}"


def child_field_name(kpi_code: str, child_code: str, name: str) -> str:
    return f"{kpi_code}-{child_code}-{name}"


def _answer_text(answer: bool | None) -> str:
    return "" if answer is None else (YES if answer else NO)


class ReportForm(forms.Form):
    """Everything the reporting unit enters on one report, in one POST."""

    version = forms.IntegerField(
        widget=forms.HiddenInput, error_messages={"required": VERSION_MISSING}
    )

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        report: Report,
        layout: Sequence[KpiLayout],
        evidence: Sequence[Evidence],
    ) -> None:
        values = {value.kpi_id: value for value in report.values.all()}
        answers = {
            (answer.kpi_id, answer.child_id): answer for answer in report.child_answers.all()
        }
        initial: dict[str, Any] = {"version": report.version}
        for name in NARRATIVE_LABELS:
            initial[name] = getattr(report, name)
        initial["signer_name"] = report.signer_name
        super().__init__(data, files, initial=initial)
        self.report = report
        self.layout = list(layout)
        self.existing_values: dict[int, KpiValue] = values
        self.existing_answers: dict[tuple[int, int], ChildAnswer] = answers
        # Field name -> what the field is about, in words ("Chỉ tiêu D2-T6-K1: tử số").
        self.subjects: dict[str, str] = {}
        for name, label in NARRATIVE_LABELS.items():
            self.fields[name] = text_field(label, label=label, rows=3)
            self.subjects[name] = label
        self.fields["signer_name"] = text_field(SIGNER_LABEL, label=SIGNER_LABEL, limit=200)
        self.subjects["signer_name"] = SIGNER_LABEL
        for entry in self.layout:
            self._add_kpi_fields(entry, values.get(entry.kpi.pk), answers)
        removable = [(str(item.pk), str(item)) for item in evidence]
        self.fields["remove_evidence"] = forms.MultipleChoiceField(
            label="Gỡ minh chứng",
            required=False,
            choices=removable,
            widget=forms.CheckboxSelectMultiple,
        )
        for field in self.fields.values():
            _style(field)
        if self.is_bound:
            self.data = keep_absent_fields(self)

    def _add_kpi_fields(
        self,
        entry: KpiLayout,
        value: KpiValue | None,
        answers: dict[tuple[int, int], ChildAnswer],
    ) -> None:
        kpi = entry.kpi
        subject = f"Chỉ tiêu {kpi.code}"
        if entry.children:
            for child in entry.children:
                current = answers.get((kpi.pk, child.pk))
                child_subject = f"{subject} ({child.display_name})"
                answer = forms.ChoiceField(
                    label=child.display_name,
                    required=False,
                    choices=CHILD_ANSWER_CHOICES,
                    widget=forms.RadioSelect(attrs={"class": "btn-check"}),
                )
                reason = text_field(child_subject, label="Lý do")
                reason.widget.attrs.update(
                    {
                        "class": "form-control form-control-sm",
                        "placeholder": "Lý do (bắt buộc nếu «Không»)",
                        "aria-label": f"Lý do của {child.display_name}",
                    }
                )
                name = child_field_name(kpi.code, child.code, "answer")
                self.fields[name] = answer
                self.subjects[name] = f"{child_subject}: kết quả"
                self.fields[child_field_name(kpi.code, child.code, "reason")] = reason
                self.subjects[child_field_name(kpi.code, child.code, "reason")] = (
                    f"{child_subject}: lý do"
                )
                if current is not None:
                    self.initial[name] = _answer_text(current.answer)
                    self.initial[child_field_name(kpi.code, child.code, "reason")] = current.reason
                else:
                    self.initial[name] = ""
            names: tuple[str, ...] = ("note",)
        else:
            names = entry.value_fields
        for name in names:
            self.fields[field_name(kpi.code, name)] = self._value_field(subject, name)
            self.subjects[field_name(kpi.code, name)] = f"{subject}: {FIELD_LABELS[name].lower()}"
            if value is not None:
                current_value = getattr(value, name)
                if name == "answer":
                    current_value = _answer_text(current_value)
                self.initial[field_name(kpi.code, name)] = current_value
        self.fields[field_name(kpi.code, "file")] = forms.FileField(
            label="Tệp minh chứng",
            required=False,
            help_text="PDF, ảnh JPG/PNG, Word DOCX hoặc Excel XLSX, tối đa 10 MB.",
            widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
        )
        self.fields[field_name(kpi.code, "link")] = text_field(
            f"{subject}: đường dẫn minh chứng", label="hoặc đường dẫn", limit=200
        )
        self.fields[field_name(kpi.code, "description")] = text_field(
            f"{subject}: mô tả minh chứng", label="Mô tả minh chứng", limit=300
        )
        self.fields[field_name(kpi.code, "link")].widget.attrs["placeholder"] = "https://…"

    @staticmethod
    def _value_field(subject: str, name: str) -> forms.Field:
        label = FIELD_LABELS[name]
        field_subject = f"{subject}: {label.lower()}"
        if name in {"numerator", "denominator"}:
            number = decimal_field(field_subject, label=label)
            number.widget.attrs["data-ratio-part"] = name
            return number
        if name == "count":
            return decimal_field(field_subject, label=label)
        if name in {"completed_on", "document_date"}:
            return date_field(field_subject, label=label)
        if name == "answer":
            return forms.ChoiceField(
                label=label,
                required=False,
                choices=ANSWER_CHOICES,
                widget=forms.RadioSelect(attrs={"class": "btn-check"}),
            )
        if name == "milestone_status":
            return forms.ChoiceField(
                label=label,
                required=False,
                choices=[("", "— Chọn tình trạng —"), *MilestoneStatus.choices],
            )
        if name == "document_number":
            field = text_field(field_subject, label=label, limit=100)
            field.widget.attrs["placeholder"] = "Số: 12/BC-UBND"
            return field
        return text_field(field_subject, label=label, rows=2)

    def error_list(self) -> list[str]:
        """Every field error as one line that names its KPI and field."""
        lines = [str(error) for error in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name == "__all__":
                continue
            subject = self.subjects.get(name) or str(self.fields[name].label or "")
            for error in map(str, errors):
                standalone = name == "version" or error.startswith("Chỉ tiêu")
                lines.append(error if standalone else f"{subject}: {error}")
        return lines

    def _evidence_names(self) -> set[str]:
        return {
            field_name(entry.kpi.code, name)
            for entry in self.layout
            for name in ("file", "link", "description")
        } | {"remove_evidence", "version"}

    def values_changed(self) -> bool:
        """Whether any value or text differs from the stored report (evidence aside)."""
        evidence_names = self._evidence_names()
        return any(name not in evidence_names for name in self.changed_data)

    def typed_values(self) -> list[tuple[str, str]]:
        """What the user typed that differs from the stored report (shown after a conflict)."""
        evidence_names = self._evidence_names()
        typed = []
        for name in self.changed_data:
            if name in evidence_names:
                continue
            raw = str(self.data.get(name, ""))
            field = self.fields[name]
            if isinstance(field, forms.ChoiceField):
                raw = str(dict(field.choices).get(raw, raw))  # type: ignore[arg-type]
            typed.append((self.subjects.get(name, name), raw))
        return typed

    def edit(self) -> ReportEdit:
        data = self.cleaned_data
        values: list[KpiValueInput] = []
        children: list[ChildAnswerInput] = []
        for entry in self.layout:
            kpi = entry.kpi
            for child in entry.children:
                answer = ANSWER_VALUES.get(
                    data.get(child_field_name(kpi.code, child.code, "answer")) or ""
                )
                reason = data.get(child_field_name(kpi.code, child.code, "reason")) or ""
                existing = (kpi.pk, child.pk) in self.existing_answers
                if existing or answer is not None or reason.strip():
                    children.append(
                        ChildAnswerInput(
                            kpi_code=kpi.code, child_code=child.code, answer=answer, reason=reason
                        )
                    )
            names = ("note",) if entry.children else entry.value_fields
            given = {name: data.get(field_name(kpi.code, name)) for name in names}
            has_content = any(value not in (None, "") for value in given.values())
            if has_content or kpi.pk in self.existing_values:
                values.append(_value_input(kpi.code, given))
        narrative = {name: data.get(name) or "" for name in NARRATIVE_LABELS}
        narrative["signer_name"] = data.get("signer_name") or ""
        return ReportEdit(values=values, child_answers=children, narrative=narrative)

    def uploads(self) -> list[EvidenceUpload]:
        data = self.cleaned_data
        uploads = []
        for entry in self.layout:
            code = entry.kpi.code
            file = data.get(field_name(code, "file"))
            link = (data.get(field_name(code, "link")) or "").strip()
            if file is not None or link:
                uploads.append(
                    EvidenceUpload(
                        kpi_code=code,
                        file=file,
                        link=link,
                        description=data.get(field_name(code, "description")) or "",
                    )
                )
        return uploads

    def removals(self) -> list[int]:
        return [int(value) for value in self.cleaned_data.get("remove_evidence") or []]


def _value_input(kpi_code: str, given: dict[str, Any]) -> KpiValueInput:
    """The service's input from one KPI's cleaned fields; fields the kind lacks are blank."""
    return KpiValueInput(
        kpi_code=kpi_code,
        numerator=given.get("numerator"),
        denominator=given.get("denominator"),
        count=given.get("count"),
        answer=ANSWER_VALUES.get(given.get("answer") or ""),
        reason=given.get("reason") or "",
        milestone_status=given.get("milestone_status") or "",
        completed_on=given.get("completed_on"),
        document_number=given.get("document_number") or "",
        document_date=given.get("document_date"),
        note=given.get("note") or "",
    )


class ReviewForm(forms.Form):
    """The reviewer's move: return (comment required by the service) or approve."""

    version = forms.IntegerField(
        widget=forms.HiddenInput, error_messages={"required": VERSION_MISSING}
    )
    comment = forms.CharField(
        label="Ý kiến",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text="Bắt buộc khi trả lại: nêu rõ cần bổ sung, sửa những gì.",
    )


class ReopenForm(forms.Form):
    version = forms.IntegerField(
        widget=forms.HiddenInput, error_messages={"required": VERSION_MISSING}
    )
    reason = forms.CharField(
        label="Lý do mở lại",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        help_text="Báo cáo được trả về đơn vị; báo cáo tổng hợp của đơn vị cấp trên cũng mất "
        "phê duyệt.",
    )


class ReportFilterForm(forms.Form):
    """GET filters of the report list; options come from what the user may see."""

    # QuickSelect: the unit list runs to hundreds of options on every visit of the list.
    period = forms.ChoiceField(label="Kỳ báo cáo", required=False, widget=QuickSelect)
    task = forms.ChoiceField(label="Nhiệm vụ", required=False, widget=QuickSelect)
    unit = forms.ChoiceField(label="Đơn vị", required=False, widget=QuickSelect)
    status = forms.ChoiceField(
        label="Trạng thái",
        required=False,
        choices=[ANY_CHOICE, *ReportStatus.choices],
        widget=QuickSelect,
    )
    dimension = forms.ChoiceField(label="Chỉ số nội dung", required=False, widget=QuickSelect)

    def __init__(
        self,
        *args: Any,
        periods: Sequence[ReportingPeriod],
        tasks: Sequence[Task],
        units: Sequence[OrgUnit],
        dimensions: Sequence[Dimension],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [  # type: ignore[attr-defined]
            ANY_CHOICE,
            *((period.code, period.label) for period in periods),
        ]
        self.fields["task"].choices = [  # type: ignore[attr-defined]
            ANY_CHOICE,
            *((task.key, f"{task.printed_label} · {task.title[:60]}") for task in tasks),
        ]
        self.fields["unit"].choices = [  # type: ignore[attr-defined]
            ANY_CHOICE,
            *((unit.code, unit.display_name) for unit in units),
        ]
        self.fields["dimension"].choices = [  # type: ignore[attr-defined]
            ANY_CHOICE,
            *((dimension.code, dimension.label) for dimension in dimensions),
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"
