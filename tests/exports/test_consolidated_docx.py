"""Golden structure of the consolidated report: opened with python-docx, never compared as bytes.

What Decree 30/2020 asks (domain.md §6.2): A4, margins 20/20/30/15 mm, Times New Roman, the
two-column header with its texts, the number left for the clerk, the italic date line, the
title, "Nơi nhận:" in bold italic 12 pt with 11 pt lines, the TM./KT. signature block, page
numbers in the top margin from page 2 on; and what the issue asks of the body: the standard
outline, KPI tables with value, target and achievement, two charts, and the plan's appendix
with its "Kết quả thực hiện" column filled from approved reports.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Pt

from papitrack.exports.documents.common import tally_text
from papitrack.monitoring.queries.dashboards import plan_status
from tests.exports.conftest import TODAY

pytestmark = pytest.mark.django_db

OUTLINE = (
    "I. KẾT QUẢ ĐẠT ĐƯỢC",
    "II. TỒN TẠI, HẠN CHẾ",
    "III. NGUYÊN NHÂN",
    "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ, GIẢI PHÁP TRONG THỜI GIAN TỚI",
    "V. KIẾN NGHỊ, ĐỀ XUẤT",
)


def _open(docx: bytes) -> Any:
    return Document(io.BytesIO(docx))


def _cell_lines(cell: Any) -> list[str]:
    return [paragraph.text for paragraph in cell.paragraphs if paragraph.text]


def _runs(cell: Any) -> list[Any]:
    return [run for paragraph in cell.paragraphs for run in paragraph.runs if run.text]


def test_page_setup_is_a4_with_decree_30_margins(six_month_report):
    document = _open(six_month_report.docx)
    first = document.sections[0]

    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)
    assert first.orientation == WD_ORIENT.PORTRAIT
    assert [
        round(margin.mm)
        for margin in (first.top_margin, first.bottom_margin, first.left_margin, first.right_margin)
    ] == [20, 20, 30, 15]


def test_page_numbers_are_centred_in_the_header_except_on_page_one(six_month_report):
    section = _open(six_month_report.docx).sections[0]
    header = section.header.paragraphs[0]
    instructions = [node.text for node in header._p.iter(qn("w:instrText"))]

    assert section.different_first_page_header_footer is True
    assert [paragraph.text for paragraph in section.first_page_header.paragraphs] in ([], [""])
    assert instructions == [" PAGE "]
    assert header.alignment == 1  # centred
    assert {run.font.size for run in header.runs} == {Pt(14)}


def test_every_text_is_times_new_roman(six_month_report):
    document = _open(six_month_report.docx)
    normal = document.styles["Normal"]
    declared = {fonts.get(qn("w:ascii")) for fonts in document.element.body.iter(qn("w:rFonts"))}

    assert (normal.font.name, normal.font.size) == ("Times New Roman", Pt(14))
    assert declared == {"Times New Roman"}
    assert all(
        style.font.name in (None, "Times New Roman")
        for style in document.styles
        if style.name.startswith("Bảng")
    )


def test_header_holds_issuer_motto_number_and_date(six_month_report):
    table = _open(six_month_report.docx).tables[0]
    top, bottom = table.rows[0].cells, table.rows[1].cells
    issuer_runs = _runs(top[0])
    national_runs = _runs(top[1])
    date_runs = _runs(bottom[1])

    assert _cell_lines(top[0]) == ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NAM", "SỞ NỘI VỤ", ""][:3]
    assert [run.bold for run in issuer_runs] == [False, False, True]
    assert _cell_lines(top[1]) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert [(run.bold, run.font.size) for run in national_runs] == [
        (True, Pt(13)),
        (True, Pt(14)),
    ]
    # papitrack never invents the official number: the clerk writes it.
    assert _cell_lines(bottom[0]) == ["Số:       /BC-SNV"]
    assert _runs(bottom[0])[0].font.size == Pt(13)
    assert date_runs[0].text == f"Quảng Nam, ngày       tháng       năm {TODAY.year}"
    assert (date_runs[0].italic, date_runs[0].font.size) == (True, Pt(14))
    # The rules under the issuing body and the motto.
    assert len(list(table._tbl.iter(qn("w:pBdr")))) == 2
    assert table._tbl.tblPr.find(qn("w:tblBorders")).find(qn("w:top")).get(qn("w:val")) == "nil"


def test_title_and_outline(six_month_report):
    texts = [paragraph.text for paragraph in _open(six_month_report.docx).paragraphs]

    assert texts[texts.index("BÁO CÁO") + 1] == (
        "Kết quả thực hiện Kế hoạch cải thiện Chỉ số hiệu quả quản trị và hành chính công cấp "
        "tỉnh (PAPI) 6 tháng cuối năm 2020"
    )
    positions = [texts.index(heading) for heading in OUTLINE]
    assert positions == sorted(positions)
    assert texts[positions[0] + 1] == "1. Công tác lãnh đạo, chỉ đạo"
    assert "Thực hiện Kế hoạch số 4055/KH-UBND ngày 20/7/2020" in " ".join(texts)
    assert any(text.endswith("./.") for text in texts)


def test_recipients_and_signature_block(six_month_report):
    document = _open(six_month_report.docx)
    closing = next(
        table for table in document.tables if table.rows[0].cells[0].text.startswith("Nơi nhận:")
    )
    left, right = closing.rows[0].cells
    label = left.paragraphs[0].runs[0]
    lines = left.paragraphs[1:]

    assert (label.text, label.bold, label.italic, label.font.size) == (
        "Nơi nhận:",
        True,
        True,
        Pt(12),
    )
    assert [line.text for line in lines] == [
        "- UBND tỉnh (b/c);",
        "- Các Sở, Ban, ngành;",
        "- Lưu: VT, CCHC.",
    ]
    assert {run.font.size for line in lines for run in line.runs} == {Pt(11)}
    signature = list(_runs(right))
    assert [run.text for run in signature] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn A"]
    assert all(run.bold for run in signature)


def test_charts_are_embedded_as_images(six_month_report):
    document = _open(six_month_report.docx)
    images = list(document.inline_shapes)
    blobs = [part.blob for part in document.part.package.parts if part.partname.endswith(".png")]

    assert len(images) == 2  # the 8-dimension radar and completeness by unit
    assert all(blob.startswith(b"\x89PNG") for blob in blobs)
    captions = [p.text for p in document.paragraphs if p.text.startswith("Hình ")]
    assert [caption.split(".")[0] for caption in captions] == ["Hình 1", "Hình 2"]


def test_dimension_tables_show_value_target_and_achievement(six_month_report):
    document = _open(six_month_report.docx)
    kpi_tables = [
        table for table in document.tables if table.rows[0].cells[0].text == "Nhiệm vụ, chỉ tiêu"
    ]
    header = [cell.text for cell in kpi_tables[0].rows[0].cells]
    rows = sum(len(table.rows) - 1 for table in kpi_tables)

    assert len(kpi_tables) == 8
    assert header == [
        "Nhiệm vụ, chỉ tiêu",
        "Mục tiêu",
        "Kết quả 6 tháng cuối năm 2020",
        "Đánh giá",
        "Theo quý",
    ]
    assert rows == sum(len(task.kpis) for task in six_month_report.data.tasks)


def test_numbers_equal_the_dashboard(six_month_report):
    data = six_month_report.data
    status = plan_status(plan=data_plan(), period_code="2020S2", today=TODAY)
    dashboard = {
        kpi.kpi.code: (tally_text(kpi.kpi.kind, kpi.tally), kpi.achievement)
        for result in status.tasks
        for kpi in result.kpis
    }
    document = {kpi.code: (kpi.value, kpi.achievement) for task in data.tasks for kpi in task.kpis}

    assert document == dashboard
    assert data.states == sum(
        (row.states for row in status.rows if status.period.contains(row.period)),
        type(data.states)(),
    )


def data_plan() -> Any:
    from papitrack.plans.models import Plan

    return Plan.objects.get(code="QNA-4055-2020")


def test_quarter_figures_come_from_approved_q3_reports(six_month_report):
    status = plan_status(plan=data_plan(), period_code="2020Q3", today=TODAY)
    quarter = {
        kpi.kpi.code: tally_text(kpi.kpi.kind, kpi.tally)
        for result in status.tasks
        if result.assessed
        for kpi in result.kpis
    }
    in_document = {
        kpi.code: figure.value
        for task in six_month_report.data.tasks
        for kpi in task.kpis
        for figure in kpi.quarters
        if figure.label == "Quý III/2020" and figure.value
    }

    assert in_document == quarter
    assert any(value != "Chưa có số liệu" for value in in_document.values())


def test_appendix_is_the_plan_table_with_results_filled(six_month_report):
    document = _open(six_month_report.docx)
    appendix_section = document.sections[-1]
    table = document.tables[-1]
    header = [cell.text for cell in table.rows[0].cells]
    rows = {row.cells[0].text: row.cells[-1].text for row in table.rows[1:]}
    texts = [paragraph.text for paragraph in document.paragraphs]

    assert appendix_section.orientation == WD_ORIENT.LANDSCAPE
    assert appendix_section.different_first_page_header_footer is False
    assert header == [
        "STT",
        "Nhiệm vụ trọng tâm",
        "Chỉ tiêu",
        "Đơn vị chủ trì theo dõi",
        "Đơn vị thực hiện",
        "Thời gian thực hiện",
        "Kết quả thực hiện",
    ]
    assert len(six_month_report.data.tasks) == 39
    assert {task.label for task in six_month_report.data.tasks} <= set(rows)
    assert "Phụ lục" in texts
    assert "(Kèm theo Báo cáo số       /BC-SNV" in " ".join(texts)
    # II.2 (Duy Xuyên's communes) has approved Q3 answers: the cell says so.
    assert "Quý III/2020: " in rows["II.2"]
    assert "Báo cáo: " in rows["II.2"]


def test_annual_report_covers_the_year(annual_report):
    document = _open(annual_report.docx)
    texts = [paragraph.text for paragraph in document.paragraphs]

    assert annual_report.data.period_code == "2020"
    assert texts[texts.index("BÁO CÁO") + 1].endswith("(PAPI) năm 2020")
    assert annual_report.data.quarter_labels == ("Quý III/2020", "Quý IV/2020")
    assert "KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CỤ THỂ NĂM 2020" in texts


def test_shortcomings_name_late_units(six_month_report):
    data = six_month_report.data
    texts = " ".join(paragraph.text for paragraph in _open(six_month_report.docx).paragraphs)
    late = data.late_units

    assert late, "the demo cycle leaves reports overdue"
    assert late[0].states.overdue >= late[-1].states.overdue
    assert f"3. Có {len(late)} cơ quan, đơn vị gửi báo cáo trễ hạn" in texts


def test_report_counts_are_written_with_the_thousands_dot(six_month_report):
    states = six_month_report.data.states
    texts = " ".join(paragraph.text for paragraph in _open(six_month_report.docx).paragraphs)
    expected = f"{states.expected:,}".replace(",", ".")

    assert states.expected >= 1000, "the province owes thousands of reports in a half-year"
    assert f"phải gửi {expected} báo cáo định kỳ" in texts
    assert f"/{expected} (" in texts
