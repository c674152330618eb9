"""QuickSelect writes exactly the HTML of Django's select templates."""

from __future__ import annotations

import pytest
from django import forms
from django.utils.safestring import mark_safe

from papitrack.web.widgets import QuickSelect

CHOICES = [
    ("", "Tất cả"),
    ("a&b", 'Huyện <Duy> "Xuyên"'),
    (mark_safe("safe<"), mark_safe("<i>đã an toàn</i>")),
    (3, "Ba"),
    ("Nhóm", [("g1", "một"), ("g2", "hai")]),
]


@pytest.mark.parametrize("value", ["", "a&b", 3, "g2", None, "absent"])
@pytest.mark.parametrize(
    "attrs",
    [
        None,
        {
            "id": "id_unit",
            "required": True,
            "disabled": False,
            "data-raw": '<"x">',
            "data-safe": mark_safe("<y>"),
        },
    ],
)
def test_quick_select_renders_as_django_does(value, attrs):
    django_select = forms.Select(choices=CHOICES, attrs={"class": "form-select"})
    quick_select = QuickSelect(choices=CHOICES, attrs={"class": "form-select"})

    assert quick_select.render("unit", value, attrs) == django_select.render("unit", value, attrs)


def test_report_filter_uses_it():
    from papitrack.web.forms_reports import ReportFilterForm

    form = ReportFilterForm(periods=[], tasks=[], units=[], dimensions=[])

    assert {type(field.widget) for field in form.fields.values()} == {QuickSelect}
