"""Forms of the documents screens: drafting a document, uploading a spreadsheet, DHIS2."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from papitrack.web.forms_reports import date_field

DEFAULT_CONSOLIDATED_SIGNATURE = "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
DEFAULT_CONSOLIDATED_RECIPIENTS = (
    "UBND tỉnh (b/c);\nBan Chỉ đạo cải cách hành chính tỉnh (b/c);\nCác Sở, Ban, ngành;\n"
    "UBND các huyện, thị xã, thành phố;\nLưu: VT, CCHC."
)
DEFAULT_UNIT_RECIPIENTS = "Sở Nội vụ (b/c);\nLưu: VT."
PERIOD_REQUIRED = "Chưa chọn kỳ báo cáo."
UNIT_REQUIRED = "Chưa nhập mã đơn vị."
FILE_REQUIRED = "Chưa chọn tệp."
TOO_MANY_LINES = "Tối đa {limit} dòng."
MAX_LINES = 30


def _lines(text: str, *, limit: int = MAX_LINES) -> list[str]:
    lines = [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]
    if len(lines) > limit:
        raise forms.ValidationError(TOO_MANY_LINES.format(limit=limit))
    return lines


class _Styled(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class DocumentForm(_Styled):
    """What every drafted document asks: the date (optional), who signs, who receives it."""

    issued_on = date_field("Ngày ban hành", label="Ngày ban hành (để trống để văn thư ghi khi ký)")
    authority_lines = forms.CharField(
        label="Thẩm quyền ký và chức vụ (mỗi dòng một dòng của khối chữ ký)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=300,
        help_text="Ví dụ: KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC; TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH.",
    )
    signer_name = forms.CharField(label="Người ký", required=False, max_length=120)
    recipients = forms.CharField(
        label="Nơi nhận (mỗi dòng một nơi; dòng cuối «Lưu: VT, …»)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
    )
    with_pdf = forms.BooleanField(label="Tạo cả tệp PDF", required=False, initial=True)

    def clean_authority_lines(self) -> list[str]:
        return _lines(self.cleaned_data.get("authority_lines", ""), limit=5)

    def clean_recipients(self) -> list[str]:
        return _lines(self.cleaned_data.get("recipients", ""))


class PeriodDocumentForm(DocumentForm):
    period = forms.ChoiceField(
        label="Kỳ báo cáo", choices=(), error_messages={"required": PERIOD_REQUIRED}
    )
    field_order: tuple[str, ...] = ("period",)

    def __init__(self, *args: Any, periods: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = list(periods)  # type: ignore[attr-defined]


class UnitDocumentForm(DocumentForm):
    unit = forms.CharField(
        label="Mã đơn vị", max_length=40, error_messages={"required": UNIT_REQUIRED}
    )
    field_order: tuple[str, ...] = ("unit",)


class UnitReportForm(PeriodDocumentForm):
    unit = forms.CharField(
        label="Mã đơn vị", max_length=40, error_messages={"required": UNIT_REQUIRED}
    )
    field_order = ("unit", "period")


class SpreadsheetUploadForm(_Styled):
    file = forms.FileField(
        label="Tệp Excel đã điền (.xlsx, tối đa 5 MB)",
        error_messages={"required": FILE_REQUIRED},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class Dhis2ImportForm(_Styled):
    file = forms.FileField(
        label="Tệp DHIS2 (dataValueSets JSON hoặc ADX XML)",
        error_messages={"required": FILE_REQUIRED},
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.xml"}),
    )
    mapping = forms.FileField(
        label="Tệp ánh xạ (YAML; để trống: tệp ánh xạ của hệ thống)", required=False
    )
    dry_run = forms.BooleanField(
        label="Chỉ chạy thử (kiểm tra, không ghi)", required=False, initial=True
    )
