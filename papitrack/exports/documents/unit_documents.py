"""A unit's report for a period and the template of its implementation plan, as DOCX.

Both use the Decree 30 frame of officialdoc.py with the unit as issuing body. The plan
template follows plan 4055's outline (I. purposes and requirements, II. targets, III. tasks
and solutions, IV. specific tasks in an annex table, V. organisation), pre-filled with the
unit's assigned tasks and whatever its saved plan already says; dotted lines are for the
unit to complete.
"""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from papitrack.exports import officialdoc as doc
from papitrack.exports.documents.common import count_text, share_text, short_date
from papitrack.exports.documents.consolidated import DOCX_CONTENT_TYPE
from papitrack.exports.documents.unit_data import (
    NarrativeLine,
    UnitPlanTemplateData,
    UnitReportData,
)
from papitrack.monitoring.enums import Achievement

SMALL = Pt(11)
AND_CHILDREN = " và các đơn vị trực thuộc"
TO_FILL = "…………………………………………………………………………………………"


def _narratives(document: DocumentObject, lines: tuple[NarrativeLine, ...], empty: str) -> None:
    if not lines:
        doc.add_body(document, empty)
        return
    for line in lines:
        doc.add_body(document, f"- Nhiệm vụ {line.task_label}: {line.text}")


class UnitReportExporter:
    """Render UnitReportData as DOCX bytes."""

    verbose_name = "Báo cáo của đơn vị (Word)"
    file_extension = "docx"
    content_type = DOCX_CONTENT_TYPE

    def render(self, data: UnitReportData) -> bytes:
        document = doc.new_document(
            title=f"Báo cáo {data.summary}", subject=f"{data.unit_name} · {data.period_code}"
        )
        doc.add_letterhead(document, data.letterhead)
        doc.add_title(document, document_type="Báo cáo", summary=data.summary)
        title = data.plan_title[:1].lower() + data.plan_title[1:]
        doc.add_body(
            document,
            f"Thực hiện Kế hoạch số {data.plan_number} ngày {short_date(data.plan_date)} của "
            f"Ủy ban nhân dân tỉnh {data.province_name} về {title}, {data.unit_name} báo cáo "
            f"kết quả thực hiện các nhiệm vụ được giao {data.period_words} như sau:",
        )
        doc.add_heading(document, "I. KẾT QUẢ ĐẠT ĐƯỢC")
        states = data.states
        doc.add_heading(document, "1. Tình hình thực hiện chế độ báo cáo")
        doc.add_body(
            document,
            f"Trong {data.period_words}, đơn vị{AND_CHILDREN if data.children else ''} "
            f"phải gửi {count_text(states.expected)} báo cáo; đã gửi "
            f"{share_text(states.received, states.expected)} "
            f"({count_text(states.done_on_time)} đúng hạn, "
            f"{count_text(states.done_late)} trễ hạn); "
            f"{count_text(states.overdue)} báo cáo quá hạn chưa gửi.",
        )
        if data.children:
            doc.add_data_table(
                document,
                [
                    doc.Column("Đơn vị trực thuộc", Cm(6.5)),
                    doc.Column("Phải gửi", Cm(2.0), WD_ALIGN_PARAGRAPH.CENTER),
                    doc.Column("Đúng hạn", Cm(2.0), WD_ALIGN_PARAGRAPH.CENTER),
                    doc.Column("Trễ hạn", Cm(2.0), WD_ALIGN_PARAGRAPH.CENTER),
                    doc.Column("Quá hạn chưa gửi", Cm(4.0), WD_ALIGN_PARAGRAPH.CENTER),
                ],
                [
                    (
                        child.name,
                        str(child.states.expected),
                        str(child.states.done_on_time),
                        str(child.states.done_late),
                        str(child.states.overdue),
                    )
                    for child in data.children
                ],
                size=SMALL,
            )
        doc.add_heading(document, "2. Kết quả thực hiện các nhiệm vụ được giao")
        rows = [
            (
                f"{task.label}. {kpi.measure}",
                kpi.target,
                kpi.value,
                kpi.achievement_label,
                task.state_label or "—",
            )
            for task in data.tasks
            for kpi in task.kpis
        ]
        if rows:
            doc.add_data_table(
                document,
                [
                    doc.Column("Nhiệm vụ, chỉ tiêu", Cm(5.6)),
                    doc.Column("Mục tiêu", Cm(2.0), WD_ALIGN_PARAGRAPH.CENTER),
                    doc.Column("Kết quả", Cm(3.6)),
                    doc.Column("Đánh giá", Cm(2.2), WD_ALIGN_PARAGRAPH.CENTER),
                    doc.Column("Tình trạng", Cm(3.1)),
                ],
                rows,
                size=SMALL,
            )
        else:
            doc.add_body(document, "Đơn vị không có nhiệm vụ phải báo cáo trong kỳ.")
        _narratives(document, data.results, "Đơn vị chưa nêu kết quả cụ thể trong báo cáo.")
        doc.add_heading(document, "II. TỒN TẠI, HẠN CHẾ")
        missed = [
            (task, kpi)
            for task in data.tasks
            for kpi in task.kpis
            if kpi.achievement == Achievement.NOT_MET
        ]
        for task, kpi in missed:
            doc.add_body(
                document, f"- Nhiệm vụ {task.label}: đạt {kpi.value}, mục tiêu {kpi.target}."
            )
        overdue = [task for task in data.tasks if task.states.overdue]
        if overdue:
            doc.add_body(
                document,
                "- Còn báo cáo quá hạn chưa gửi ở các nhiệm vụ: "
                + ", ".join(f"{task.label} ({task.states.overdue})" for task in overdue)
                + ".",
            )
        if data.shortcomings or not (missed or overdue):
            _narratives(document, data.shortcomings, "Không có tồn tại, hạn chế đáng kể.")
        doc.add_heading(document, "III. NGUYÊN NHÂN")
        _narratives(document, data.causes, "Đơn vị chưa nêu nguyên nhân.")
        doc.add_heading(document, "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ TRONG THỜI GIAN TỚI")
        doc.add_body(
            document,
            f"- Tiếp tục thực hiện các nhiệm vụ được giao tại Kế hoạch số {data.plan_number}; "
            f"khắc phục các chỉ tiêu chưa đạt và gửi đầy đủ, đúng hạn các báo cáo còn lại.",
        )
        doc.add_body(document, f"- {TO_FILL}")
        doc.add_heading(document, "V. KIẾN NGHỊ, ĐỀ XUẤT")
        _narratives(document, data.proposals, "Không có.")
        doc.add_body(
            document,
            f"Trên đây là báo cáo kết quả thực hiện {data.period_words} của {data.unit_name}./.",
        )
        doc.add_closing(document, recipients=data.recipients, signature=data.signature)
        return doc.to_bytes(document)


class UnitPlanTemplateExporter:
    """Render UnitPlanTemplateData as a DOCX plan (Kế hoạch) to complete and sign."""

    verbose_name = "Mẫu kế hoạch thực hiện của đơn vị (Word)"
    file_extension = "docx"
    content_type = DOCX_CONTENT_TYPE

    def render(self, data: UnitPlanTemplateData) -> bytes:
        document = doc.new_document(
            title=f"Kế hoạch {data.summary}", subject=f"{data.issuer.name} · {data.plan_number}"
        )
        doc.add_letterhead(document, data.letterhead)
        doc.add_title(document, document_type="Kế hoạch", summary=data.summary)
        doc.add_body(
            document,
            f"Căn cứ Kế hoạch số {data.plan_number} ngày {short_date(data.plan_date)} của Ủy ban "
            f"nhân dân tỉnh {data.province_name} về {data.plan_title[:1].lower()}"
            f"{data.plan_title[1:]}; {data.issuer.name} xây dựng Kế hoạch thực hiện như sau:",
        )
        doc.add_heading(document, "I. MỤC ĐÍCH, YÊU CẦU")
        doc.add_heading(document, "1. Mục đích")
        doc.add_bullets(document, data.purposes or (TO_FILL,))
        doc.add_heading(document, "2. Yêu cầu")
        doc.add_bullets(document, data.requirements or (TO_FILL,))
        doc.add_heading(document, "II. CHỈ TIÊU")
        if not data.tasks:
            doc.add_body(
                document, "Đơn vị không được giao nhiệm vụ cụ thể trong Kế hoạch của tỉnh."
            )
        for task in data.tasks:
            doc.add_body(
                document,
                f"- Nhiệm vụ {task.label}: chỉ tiêu của tỉnh {task.province_target}; chỉ tiêu "
                f"của đơn vị: {task.unit_target or '……………'}.",
            )
        doc.add_heading(document, "III. NHIỆM VỤ, GIẢI PHÁP")
        doc.add_body(
            document,
            "(Đơn vị nêu các giải pháp cụ thể để cải thiện từng chỉ số nội dung liên quan đến "
            "nhiệm vụ được giao.)",
            italic=True,
        )
        doc.add_body(document, f"1. {TO_FILL}")
        doc.add_body(document, f"2. {TO_FILL}")
        doc.add_heading(document, "IV. NHIỆM VỤ CỤ THỂ")
        doc.add_body(
            document,
            f"Có {len(data.tasks)} nhiệm vụ được giao; nội dung thực hiện, chỉ tiêu, thời hạn và "
            f"người phụ trách từng nhiệm vụ tại Phụ lục kèm theo.",
        )
        doc.add_heading(document, "V. TỔ CHỨC THỰC HIỆN")
        doc.add_body(
            document,
            f"1. Giao {TO_FILL} chủ trì, phối hợp với các bộ phận liên quan triển khai thực hiện "
            f"Kế hoạch này.",
        )
        doc.add_body(
            document,
            "2. Định kỳ cập nhật kết quả, gửi báo cáo trên hệ thống papitrack theo đúng thời hạn; "
            "báo cáo những khó khăn, vướng mắc về Sở Nội vụ để tổng hợp./.",
        )
        doc.add_closing(document, recipients=data.recipients, signature=data.signature)
        doc.add_landscape_section(document)
        doc.paragraph_in(document, "Phụ lục", bold=True)
        doc.paragraph_in(document, "NHIỆM VỤ CỤ THỂ CỦA ĐƠN VỊ", bold=True)
        letterhead = data.letterhead
        doc.paragraph_in(
            document,
            f"(Kèm theo Kế hoạch số {doc.BLANK_NUMBER}/{letterhead.type_code}-"
            f"{letterhead.issuer_code} ngày {doc.BLANK_DAY} tháng {doc.BLANK_DAY} năm "
            f"{letterhead.year} của {data.issuer.name})",
            italic=True,
            space_after=Pt(6),
        )
        doc.add_data_table(
            document,
            [
                doc.Column("STT", Cm(1.2), WD_ALIGN_PARAGRAPH.CENTER),
                doc.Column("Nhiệm vụ (theo Kế hoạch của tỉnh)", Cm(6.0)),
                doc.Column("Chỉ tiêu của tỉnh", Cm(3.6)),
                doc.Column("Chỉ tiêu của đơn vị", Cm(2.6)),
                doc.Column("Nội dung thực hiện", Cm(5.4)),
                doc.Column("Thời hạn", Cm(2.2)),
                doc.Column("Người, bộ phận phụ trách", Cm(4.2)),
            ],
            [
                (
                    task.label,
                    task.title,
                    task.province_target,
                    task.unit_target,
                    task.actions,
                    task.deadline or task.timeline_text,
                    task.responsible,
                )
                for task in data.tasks
            ],
            size=SMALL,
        )
        return doc.to_bytes(document)
