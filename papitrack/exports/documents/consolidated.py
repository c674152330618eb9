"""The province's consolidated report (Báo cáo) as a Decree 30 DOCX, drafted from data.

Outline (domain.md §6.3): I. results (leadership and direction; results per PAPI dimension
with the radar and a KPI table each; the specific tasks, with the completeness chart),
II. shortcomings (KPIs not met, overdue tasks, late units, named), III. causes (the units'
own words), IV. directions, tasks and solutions, V. proposals; then "Nơi nhận" and the
signature, and the appendix (landscape): the plan's task table with its "Kết quả thực hiện"
column filled from approved reports.
"""

from __future__ import annotations

from decimal import Decimal

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from papitrack.exports import charts
from papitrack.exports import officialdoc as doc
from papitrack.exports.documents.common import count_text, names_text, share_text, short_date
from papitrack.exports.documents.consolidated_data import (
    ConsolidatedReportData,
    DimensionSection,
    UnitCompleteness,
)
from papitrack.lib.numbers import format_vietnamese
from papitrack.monitoring.achievement import StateCounts
from papitrack.monitoring.enums import Achievement
from papitrack.orgunits.enums import UnitKind

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
STATE_PARTS = ("Gửi đúng hạn", "Gửi trễ hạn", "Chưa gửi, còn hạn", "Quá hạn chưa gửi")
PROVINCIAL_KINDS = frozenset(
    {UnitKind.DEPARTMENT, UnitKind.AGENCY, UnitKind.MASS_ORGANISATION, UnitKind.ENTERPRISE}
)
SMALL = Pt(11)
LATE_UNITS_SHOWN = 30


def _score(value: Decimal | None) -> str:
    return "chưa công bố" if value is None else format_vietnamese(value, 2)


def radar_png(data: ConsolidatedReportData) -> bytes:
    """The eight dimensions: the baseline year's score, the target and the target year's."""
    rows = [row for row in data.evaluation if row.number > 0]
    series = [
        charts.Series(f"Năm {data.baseline_year}", tuple(row.baseline for row in rows)),
        charts.Series(f"Mục tiêu {data.target_year}", tuple(row.target for row in rows)),
    ]
    if any(row.actual is not None for row in rows):
        series.append(charts.Series(f"Năm {data.target_year}", tuple(row.actual for row in rows)))
    return charts.radar_chart(
        labels=[f"{row.number}. {row.dimension_name}" for row in rows],
        series=series,
        maximum=Decimal(10),
        title="Điểm 8 chỉ số nội dung PAPI của tỉnh",
    )


def completeness_bars(units: tuple[UnitCompleteness, ...]) -> list[charts.StackedBar]:
    """One bar per district, one for all provincial bodies together (a chart of every body
    would not fit a page; the table in section II names them)."""

    def parts(states: StateCounts) -> tuple[int, int, int, int]:
        return (states.done_on_time, states.done_late, states.in_progress, states.overdue)

    bars = [
        charts.StackedBar(unit.name, parts(unit.states))
        for unit in units
        if unit.kind == UnitKind.DISTRICT and not unit.is_own
    ]
    bodies = [unit for unit in units if unit.kind in PROVINCIAL_KINDS and not unit.is_own]
    if bodies:
        totals = [sum(parts(unit.states)[index] for unit in bodies) for index in range(4)]
        bars.append(
            charts.StackedBar(
                f"Các sở, ngành ({len(bodies)} đơn vị)",
                (totals[0], totals[1], totals[2], totals[3]),
            )
        )
    return bars


def completeness_png(data: ConsolidatedReportData) -> bytes:
    return charts.stacked_bar_chart(
        bars=completeness_bars(data.units),
        part_names=STATE_PARTS,
        title=f"Tình hình gửi báo cáo {data.period_words} theo đơn vị",
        axis_label="% số báo cáo phải gửi",
    )


class ConsolidatedReportExporter:
    """Render ConsolidatedReportData as DOCX bytes."""

    verbose_name = "Báo cáo tổng hợp (Word)"
    file_extension = "docx"
    content_type = DOCX_CONTENT_TYPE

    def render(self, data: ConsolidatedReportData) -> bytes:
        document = doc.new_document(
            title=f"Báo cáo {data.summary}", subject=f"{data.plan_number} · {data.period_code}"
        )
        doc.add_letterhead(document, data.letterhead)
        doc.add_title(document, document_type="Báo cáo", summary=data.summary)
        self._opening(document, data)
        self._results(document, data)
        self._shortcomings(document, data)
        self._causes(document, data)
        self._directions(document, data)
        self._proposals(document, data)
        doc.add_body(
            document,
            f"Trên đây là báo cáo kết quả thực hiện Kế hoạch cải thiện Chỉ số PAPI "
            f"{data.period_words} của {data.issuer_name}./.",
        )
        doc.add_closing(document, recipients=data.recipients, signature=data.signature)
        self._appendix(document, data)
        return doc.to_bytes(document)

    # --- sections ---------------------------------------------------------------------------

    def _opening(self, document: DocumentObject, data: ConsolidatedReportData) -> None:
        title = data.plan_title[:1].lower() + data.plan_title[1:]
        doc.add_body(
            document,
            f"Thực hiện Kế hoạch số {data.plan_number} ngày {short_date(data.plan_date)} của "
            f"Ủy ban nhân dân tỉnh {data.province_name} về {title}, {data.issuer_name} báo "
            f"cáo kết quả thực hiện {data.period_words} như sau:",
        )
        doc.add_body(
            document,
            f"Số liệu trong báo cáo được tổng hợp từ các báo cáo đã được phê duyệt trên hệ "
            f"thống papitrack, tính đến ngày {data.today:%d/%m/%Y}.",
            italic=True,
        )

    def _results(self, document: DocumentObject, data: ConsolidatedReportData) -> None:
        doc.add_heading(document, "I. KẾT QUẢ ĐẠT ĐƯỢC")
        doc.add_heading(document, "1. Công tác lãnh đạo, chỉ đạo")
        facts = data.unit_plans
        if facts is not None:
            submitted = f"{count_text(facts.submitted)}/{count_text(facts.expected)}"
            text = (
                f"Sau khi Kế hoạch được ban hành, {submitted} cơ quan, đơn vị đã xây dựng và "
                f"gửi kế hoạch thực hiện ({count_text(facts.on_time)} đơn vị gửi đúng hạn)"
            )
            if facts.missing:
                text += f"; còn {len(facts.missing)} đơn vị chưa gửi: {names_text(facts.missing)}"
            doc.add_body(document, text + ".")
        states = data.states
        doc.add_body(
            document,
            f"Trong {data.period_words}, các cơ quan, đơn vị phải gửi "
            f"{count_text(states.expected)} báo cáo định kỳ; đã gửi "
            f"{share_text(states.received, states.expected)}, trong đó "
            f"{count_text(states.done_on_time)} báo cáo đúng hạn và "
            f"{count_text(states.done_late)} báo cáo trễ hạn; "
            f"{count_text(states.overdue)} báo cáo quá hạn chưa gửi, "
            f"{count_text(states.in_progress)} báo cáo chưa đến hạn.",
        )
        for grouped in data.results[:3]:
            doc.add_body(document, f"- {grouped.text} ({grouped.units}).")
        doc.add_heading(document, "2. Kết quả theo từng chỉ số nội dung")
        counts = data.kpi_counts
        total = sum(counts.values())
        doc.add_body(
            document,
            f"Trong tổng số {total} chỉ tiêu của {len(data.tasks)} nhiệm vụ: "
            f"{counts.get(Achievement.MET, 0)} chỉ tiêu đạt, "
            f"{counts.get(Achievement.NOT_MET, 0)} chỉ tiêu chưa đạt, "
            f"{counts.get(Achievement.NOT_YET, 0)} chỉ tiêu chưa đến hạn đánh giá, "
            f"{counts.get(Achievement.NO_DATA, 0)} chỉ tiêu chưa có số liệu được phê duyệt, "
            f"{counts.get(Achievement.NO_TARGET, 0)} chỉ tiêu chưa có mức cụ thể.",
        )
        doc.add_picture(
            document,
            radar_png(data),
            width=Cm(13),
            caption=f"Hình 1. Điểm các chỉ số nội dung PAPI: năm {data.baseline_year}, mục "
            f"tiêu và kết quả năm {data.target_year} (nguồn: PAPI công bố)",
        )
        doc.add_data_table(
            document,
            [
                doc.Column("Chỉ số nội dung", Cm(6.9)),
                doc.Column(f"Năm {data.baseline_year}", Cm(2.3), WD_ALIGN_PARAGRAPH.CENTER),
                doc.Column(f"Mục tiêu {data.target_year}", Cm(2.4), WD_ALIGN_PARAGRAPH.CENTER),
                doc.Column(f"Năm {data.target_year}", Cm(2.4), WD_ALIGN_PARAGRAPH.CENTER),
                doc.Column("Đánh giá", Cm(2.5), WD_ALIGN_PARAGRAPH.CENTER),
            ],
            [
                (
                    row.dimension_name,
                    _score(row.baseline),
                    _score(row.target),
                    _score(row.actual),
                    "Chưa công bố" if row.met is None else "Đạt" if row.met else "Chưa đạt",
                )
                for row in data.evaluation
            ],
            size=SMALL,
        )
        for index, section in enumerate(data.dimensions, start=1):
            self._dimension(document, data, index, section)
        doc.add_heading(document, "3. Kết quả thực hiện các nhiệm vụ cụ thể")
        on_time = sum(1 for task in data.tasks if task.state == "done_on_time")
        late = sum(1 for task in data.tasks if task.state == "done_late")
        open_ = sum(1 for task in data.tasks if task.state == "in_progress")
        overdue = len(data.overdue_tasks)
        doc.add_body(
            document,
            f"Trong {len(data.tasks)} nhiệm vụ cụ thể: {on_time} nhiệm vụ đã hoàn thành đúng "
            f"hạn, {late} nhiệm vụ hoàn thành nhưng quá hạn, {open_} nhiệm vụ đang thực hiện "
            f"trong hạn, {overdue} nhiệm vụ quá hạn (còn báo cáo quá hạn chưa gửi). Kết quả "
            f"từng nhiệm vụ tại Phụ lục kèm theo.",
        )
        if completeness_bars(data.units):
            doc.add_picture(
                document,
                completeness_png(data),
                width=Cm(15),
                caption=f"Hình 2. Tình hình gửi báo cáo {data.period_words} theo đơn vị",
            )

    def _dimension(
        self,
        document: DocumentObject,
        data: ConsolidatedReportData,
        index: int,
        section: DimensionSection,
    ) -> None:
        target = (
            f" (mục tiêu năm {data.target_year}: {format_vietnamese(section.target, 2)} điểm)"
            if section.target is not None
            else ""
        )
        doc.add_heading(
            document,
            f"2.{index}. Chỉ số nội dung {section.number}: {section.name}{target}",
            italic=True,
        )
        met = section.kpi_counts.get(Achievement.MET, 0)
        not_met = section.kpi_counts.get(Achievement.NOT_MET, 0)
        no_data = section.kpi_counts.get(Achievement.NO_DATA, 0)
        doc.add_body(
            document,
            f"Có {len(section.tasks)} nhiệm vụ với {sum(section.kpi_counts.values())} chỉ tiêu: "
            f"{met} đạt, {not_met} chưa đạt, {no_data} chưa có số liệu được phê duyệt.",
        )
        rows = []
        for task in section.tasks:
            for kpi in task.kpis:
                quarters = "\n".join(
                    f"{figure.label}: {figure.value}" for figure in kpi.quarters if figure.value
                )
                rows.append(
                    (
                        f"{task.label}. {kpi.measure or task.title}",
                        kpi.target,
                        kpi.value,
                        kpi.achievement_label,
                        quarters or "—",
                    )
                )
        doc.add_data_table(
            document,
            [
                doc.Column("Nhiệm vụ, chỉ tiêu", Cm(5.3)),
                doc.Column("Mục tiêu", Cm(1.9), WD_ALIGN_PARAGRAPH.CENTER),
                doc.Column(f"Kết quả {data.period_label}", Cm(3.4)),
                doc.Column("Đánh giá", Cm(2.0), WD_ALIGN_PARAGRAPH.CENTER),
                doc.Column("Theo quý", Cm(3.9)),
            ],
            rows,
            size=SMALL,
        )

    def _shortcomings(self, document: DocumentObject, data: ConsolidatedReportData) -> None:
        doc.add_heading(document, "II. TỒN TẠI, HẠN CHẾ")
        missed = data.missed
        if missed:
            doc.add_body(document, f"1. Có {len(missed)} chỉ tiêu chưa đạt:")
            for task, kpi in missed:
                line = (
                    f"- Nhiệm vụ {task.label} ({kpi.code}): đạt {kpi.value}, mục tiêu {kpi.target}"
                )
                if kpi.exceptions:
                    line += f"; đơn vị chưa thực hiện: {names_text(kpi.exceptions)}"
                doc.add_body(document, line + ".")
        else:
            doc.add_body(
                document, "1. Chưa có chỉ tiêu nào bị đánh giá chưa đạt trên số liệu đã duyệt."
            )
        overdue = data.overdue_tasks
        if overdue:
            doc.add_body(
                document,
                f"2. Có {len(overdue)} nhiệm vụ quá hạn (còn báo cáo quá hạn chưa gửi): "
                + "; ".join(
                    f"{task.label} ({task.states.overdue}/{task.states.expected} báo cáo)"
                    for task in overdue
                )
                + ".",
            )
        else:
            doc.add_body(document, "2. Không có nhiệm vụ quá hạn.")
        late = data.late_units
        if late:
            doc.add_body(
                document,
                f"3. Có {len(late)} cơ quan, đơn vị gửi báo cáo trễ hạn hoặc còn báo cáo quá hạn "
                f"chưa gửi (xếp theo số báo cáo quá hạn):",
            )
            doc.add_data_table(
                document,
                [
                    doc.Column("Cơ quan, đơn vị", Cm(5.9)),
                    doc.Column("Phải gửi", Cm(2.0), WD_ALIGN_PARAGRAPH.CENTER),
                    doc.Column("Đúng hạn", Cm(2.0), WD_ALIGN_PARAGRAPH.CENTER),
                    doc.Column("Trễ hạn", Cm(2.0), WD_ALIGN_PARAGRAPH.CENTER),
                    doc.Column("Quá hạn chưa gửi", Cm(2.3), WD_ALIGN_PARAGRAPH.CENTER),
                    doc.Column("Đã gửi", Cm(2.3), WD_ALIGN_PARAGRAPH.CENTER),
                ],
                [
                    (
                        unit.name,
                        str(unit.states.expected),
                        str(unit.states.done_on_time),
                        str(unit.states.done_late),
                        str(unit.states.overdue),
                        unit.completeness,
                    )
                    for unit in late[:LATE_UNITS_SHOWN]
                ],
                size=SMALL,
            )
            if len(late) > LATE_UNITS_SHOWN:
                doc.add_body(
                    document,
                    f"Và {len(late) - LATE_UNITS_SHOWN} đơn vị khác (xem bảng theo dõi trên "
                    f"papitrack).",
                    italic=True,
                )
        else:
            doc.add_body(document, "3. Các cơ quan, đơn vị đều gửi báo cáo đúng hạn.")
        if data.shortcomings:
            doc.add_body(document, "4. Các đơn vị nêu:")
            for grouped in data.shortcomings:
                doc.add_body(document, f"- {grouped.text} ({grouped.units}).")

    def _causes(self, document: DocumentObject, data: ConsolidatedReportData) -> None:
        doc.add_heading(document, "III. NGUYÊN NHÂN")
        if not data.causes:
            doc.add_body(
                document, "Các đơn vị chưa nêu nguyên nhân trong các báo cáo đã được phê duyệt."
            )
            return
        doc.add_body(document, "Theo báo cáo của các cơ quan, đơn vị:")
        for grouped in data.causes:
            doc.add_body(document, f"- {grouped.text} ({grouped.units}).")

    def _directions(self, document: DocumentObject, data: ConsolidatedReportData) -> None:
        doc.add_heading(document, "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ, GIẢI PHÁP TRONG THỜI GIAN TỚI")
        number = 0
        for section in data.dimensions:
            if not section.has_problem or not section.solutions:
                continue
            number += 1
            doc.add_body(
                document,
                f"{number}. Đối với chỉ số nội dung {section.number} ({section.name}): "
                + " ".join(section.solutions),
            )
        number += 1
        late = data.late_units
        if late:
            doc.add_body(
                document,
                f"{number}. Các cơ quan, đơn vị còn báo cáo quá hạn ("
                f"{names_text([unit.name for unit in late])}) khẩn trương cập nhật, gửi báo cáo "
                f"trên hệ thống; đơn vị chủ trì theo dõi đôn đốc, kiểm tra và phê duyệt kịp thời.",
            )
        else:
            doc.add_body(
                document,
                f"{number}. Các cơ quan, đơn vị tiếp tục cập nhật, gửi báo cáo đúng hạn; đơn vị "
                f"chủ trì theo dõi kiểm tra và phê duyệt kịp thời.",
            )
        doc.add_body(
            document,
            f"{number + 1}. {data.issuer_name} tiếp tục theo dõi, tổng hợp kết quả thực hiện, "
            f"tham mưu Ủy ban nhân dân tỉnh chỉ đạo khắc phục các chỉ tiêu chưa đạt.",
        )

    def _proposals(self, document: DocumentObject, data: ConsolidatedReportData) -> None:
        doc.add_heading(document, "V. KIẾN NGHỊ, ĐỀ XUẤT")
        if data.overdue_tasks or data.late_units:
            doc.add_body(
                document,
                "- Đề nghị Ủy ban nhân dân tỉnh chỉ đạo các cơ quan, đơn vị còn báo cáo quá hạn "
                "khẩn trương thực hiện, gửi báo cáo theo đúng quy định.",
            )
        for grouped in data.proposals:
            doc.add_body(document, f"- {grouped.text} ({grouped.units}).")
        if not data.proposals and not (data.overdue_tasks or data.late_units):
            doc.add_body(document, "Không có kiến nghị, đề xuất.")

    def _appendix(self, document: DocumentObject, data: ConsolidatedReportData) -> None:
        doc.add_landscape_section(document)
        doc.paragraph_in(document, "Phụ lục", bold=True)
        doc.paragraph_in(
            document,
            f"KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CỤ THỂ {data.period_words.upper()}",
            bold=True,
        )
        letterhead = data.letterhead
        doc.paragraph_in(
            document,
            f"(Kèm theo Báo cáo số {doc.BLANK_NUMBER}/{letterhead.type_code}-"
            f"{letterhead.issuer_code} ngày {doc.BLANK_DAY} tháng {doc.BLANK_DAY} năm "
            f"{letterhead.year} của {data.issuer_name})",
            italic=True,
            space_after=Pt(6),
        )
        columns = [
            doc.Column("STT", Cm(1.2), WD_ALIGN_PARAGRAPH.CENTER),
            doc.Column("Nhiệm vụ trọng tâm", Cm(6.2)),
            doc.Column("Chỉ tiêu", Cm(3.2)),
            doc.Column("Đơn vị chủ trì theo dõi", Cm(2.9)),
            doc.Column("Đơn vị thực hiện", Cm(3.2)),
            doc.Column("Thời gian thực hiện", Cm(2.2)),
            doc.Column("Kết quả thực hiện", Cm(6.3)),
        ]
        rows: list[tuple[str, ...]] = []
        groups: set[int] = set()
        for section in data.dimensions:
            groups.add(len(rows))
            rows.append((f"{section.number}. {section.name.upper()}", "", "", "", "", "", ""))
            for task in section.tasks:
                rows.append(
                    (
                        task.label,
                        task.title,
                        task.kpi_text,
                        task.lead_text,
                        task.implementing_text,
                        task.timeline_text,
                        task.result_text,
                    )
                )
        doc.add_data_table(document, columns, rows, size=SMALL, group_rows=frozenset(groups))
        doc.add_body(
            document,
            f"Kết quả tính từ các báo cáo đã được phê duyệt đến ngày {data.today:%d/%m/%Y}; "
            f"«Chưa có số liệu»: chưa có báo cáo nào được phê duyệt; tỷ lệ đơn vị tính trên tổng "
            f"số đơn vị phải báo cáo, đơn vị chưa báo cáo tính là chưa thực hiện.",
            italic=True,
        )
