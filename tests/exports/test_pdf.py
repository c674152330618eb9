"""DOCX → PDF with the real LibreOffice (installed by the test command), text checked with
pdftotext: Vietnamese letters must come out whole, and the Times-metric font embedded.

Each conversion costs one to a few seconds, so there are only two.
"""

from __future__ import annotations

import subprocess
import tempfile
import unicodedata
from pathlib import Path

import pytest

from papitrack.exports.pdf import PdfConversionError, docx_to_pdf

pytestmark = pytest.mark.django_db


def _pdf_tool(tool: str, pdf: bytes, *arguments: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        completed = subprocess.run(  # noqa: S603 - fixed poppler tools
            [f"/usr/bin/{tool}", *arguments, str(path), "-"]
            if tool == "pdftotext"
            else [f"/usr/bin/{tool}", *arguments, str(path)],
            capture_output=True,
            check=True,
            timeout=60,
        )
    return completed.stdout.decode("utf-8")


def test_consolidated_report_converts_with_vietnamese_intact(six_month_report):
    pdf = docx_to_pdf(six_month_report.docx)
    text = unicodedata.normalize("NFC", _pdf_tool("pdftotext", pdf, "-layout"))
    fonts = _pdf_tool("pdffonts", pdf)

    assert pdf.startswith(b"%PDF-")
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ NỘI VỤ",
        "BÁO CÁO",
        "6 tháng cuối năm 2020",
        "Nơi nhận:",
        "KT. GIÁM ĐỐC",
        "Kiểm soát tham nhũng trong khu vực công",
        "Quản trị điện tử",
        "Phụ lục",
        "Thủ tục hành chính công",
    ):
        assert expected in text, expected
    # Letters that the old Liberation 1.07 lacked: they must be real glyphs, not boxes.
    assert "\ufffd" not in text
    assert "LiberationSerif" in fonts
    assert "LiberationSerif-Bold" in fonts


def test_unit_plan_template_converts(db):
    from papitrack.exports.documents.unit_data import unit_plan_template_data
    from papitrack.exports.documents.unit_documents import UnitPlanTemplateExporter
    from papitrack.orgunits.models import OrgUnit
    from papitrack.plans.models import Plan

    data = unit_plan_template_data(
        plan=Plan.objects.get(code="QNA-4055-2020"),
        unit=OrgUnit.objects.select_related("parent").get(code="20605"),
        signature=None,
        recipients=("UBND huyện Duy Xuyên (b/c)", "Lưu: VT"),
    )
    text = unicodedata.normalize(
        "NFC", _pdf_tool("pdftotext", docx_to_pdf(UnitPlanTemplateExporter().render(data)))
    )

    assert "ỦY BAN NHÂN DÂN" in text
    assert "XÃ DUY PHÚ" in text
    assert "KẾ HOẠCH" in text
    assert "TM. ỦY BAN NHÂN DÂN" in text
    assert "NHIỆM VỤ CỤ THỂ CỦA ĐƠN VỊ" in text


def test_missing_libreoffice_is_a_clear_error(monkeypatch):
    from papitrack.exports import pdf

    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)

    with pytest.raises(PdfConversionError, match="libreoffice-writer-nogui"):
        docx_to_pdf(b"PK")


def test_a_conversion_that_runs_too_long_is_stopped():
    with pytest.raises(PdfConversionError, match="quá 0 giây và đã bị dừng"):
        docx_to_pdf(b"PK", timeout=0)
