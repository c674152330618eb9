"""The Decree 30/2020 frame of an administrative document, built with python-docx.

Appendix I of Decree 30/2020/NĐ-CP fixes the layout that every exporter here shares: A4,
margins top 20 / bottom 20 / left 30 / right 15 mm, Times New Roman (the server renders it
with the metric-compatible Liberation Serif 2), the two-column header (issuing body against
the national title and motto, each with its rule), the number line left blank for the clerk,
the italic place-and-date line, the type and summary, the "Nơi nhận" list and the signature
block, and page numbers centred in the top margin from page 2 on.

Tables are always built row by row with add_row() (python-docx's table.cell(i, j) re-walks
the table on every call and turns a 500-row table into minutes: stack.md, trap P2).
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Length, Mm, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

FONT_NAME = "Times New Roman"
BODY_SIZE = Pt(14)
HEADER_SIZE = Pt(13)
PARENT_BODY_SIZE = Pt(12)
NATIONAL_TITLE_SIZE = Pt(13)
MOTTO_SIZE = Pt(14)
NUMBER_SIZE = Pt(13)
DATE_SIZE = Pt(14)
RECIPIENTS_LABEL_SIZE = Pt(12)
RECIPIENTS_SIZE = Pt(11)
TABLE_SIZE = Pt(12)
PAGE_NUMBER_SIZE = Pt(14)
FIRST_LINE_INDENT = Cm(1.27)
NO_SPACE = Pt(0)

A4_WIDTH = Mm(210)
A4_HEIGHT = Mm(297)
MARGIN_TOP = Mm(20)
MARGIN_BOTTOM = Mm(20)
MARGIN_LEFT = Mm(30)
MARGIN_RIGHT = Mm(15)
HEADER_DISTANCE = Mm(10)
TEXT_WIDTH = A4_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 165 mm
LANDSCAPE_TEXT_WIDTH = A4_HEIGHT - MARGIN_LEFT - MARGIN_RIGHT  # 252 mm

# Header columns: the issuing body on the left, the national title and motto on the right.
LEFT_COLUMN = Cm(6.4)
RIGHT_COLUMN = TEXT_WIDTH - LEFT_COLUMN

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_LABEL = "Nơi nhận:"
BLANK_NUMBER = "      "  # the clerk writes the register number here (papitrack never does)
BLANK_DAY = "     "
LANGUAGE = "vi-VN"

# Rules under the header lines, as (left and right indent) inside their column.
ISSUER_RULE_INDENT = Cm(2.4)
MOTTO_RULE_INDENT = Cm(1.8)
TITLE_RULE_INDENT = Cm(5.25)

# Successors of w:pBdr inside w:pPr (the schema fixes the order; Word refuses files that
# break it).
_PBDR_SUCCESSORS = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


@dataclass(frozen=True)
class Letterhead:
    """The issuing body and the number, place and date lines of a document."""

    parent_body: tuple[str, ...]  # ("ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NAM"); () for a PC
    issuing_body: tuple[str, ...]  # ("SỞ NỘI VỤ",)
    type_code: str  # "BC" (báo cáo), "KH" (kế hoạch)
    issuer_code: str  # "SNV", "UBND"
    place: str  # "Quảng Nam"
    year: int
    issued_on: datetime.date | None = None  # None: day and month left for the clerk


@dataclass(frozen=True)
class SignatureBlock:
    """Authority lines (TM., KT., TL. ...), the signer's title, and the name ("" = blank)."""

    authority_lines: tuple[str, ...]
    title: str
    name: str = ""


def number_line(letterhead: Letterhead) -> str:
    """ "Số:      /BC-SNV": the number itself is assigned by the clerk from the register."""
    return f"Số: {BLANK_NUMBER}/{letterhead.type_code}-{letterhead.issuer_code}"


def date_line(letterhead: Letterhead) -> str:
    """ "Quảng Nam, ngày 05 tháng 01 năm 2021", with blanks while the date is not fixed.

    Days below 10 and the months January and February take a leading zero (Appendix I).
    """
    issued_on = letterhead.issued_on
    if issued_on is None:
        return f"{letterhead.place}, ngày {BLANK_DAY} tháng {BLANK_DAY} năm {letterhead.year}"
    month = f"{issued_on.month:02d}" if issued_on.month < 3 else str(issued_on.month)
    return f"{letterhead.place}, ngày {issued_on.day:02d} tháng {month} năm {issued_on.year}"


# --- low-level helpers ----------------------------------------------------------------------


def set_run_font(
    run: Run, *, size: Pt | None = None, bold: bool = False, italic: bool = False
) -> Run:
    """Name Times New Roman for every script (Latin, East Asian, complex) and set the size."""
    run.font.name = FONT_NAME
    run_properties = run._r.get_or_add_rPr()
    fonts = run_properties.find(qn("w:rFonts"))
    if fonts is None:  # pragma: no cover - font.name above always creates it
        fonts = OxmlElement("w:rFonts")
        run_properties.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT_NAME)
    run.font.size = size or BODY_SIZE
    run.font.bold = bold
    run.font.italic = italic
    run.font.color.rgb = RGBColor(0, 0, 0)
    return run


def _border(edge: str, value: str = "single", size: int = 6) -> BaseOxmlElement:
    element = OxmlElement(f"w:{edge}")
    element.set(qn("w:val"), value)
    element.set(qn("w:sz"), str(size))
    element.set(qn("w:space"), "1" if value != "nil" else "0")
    element.set(qn("w:color"), "000000" if value != "nil" else "auto")
    return element


def add_rule(paragraph: Paragraph) -> None:
    """A solid rule along the top edge of the paragraph (its indents give its length)."""
    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    borders.append(_border("top"))
    properties.insert_element_before(borders, *_PBDR_SUCCESSORS)


def paragraph_in(
    container: DocumentObject | _Cell,
    text: str = "",
    *,
    size: Pt | None = None,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    space_before: Pt = NO_SPACE,
    space_after: Pt = NO_SPACE,
    reuse_first: bool = False,
) -> Paragraph:
    """Add (or, in a fresh table cell, reuse) a paragraph with one formatted run."""
    paragraph: Paragraph
    if reuse_first and isinstance(container, _Cell) and not container.paragraphs[0].runs:
        paragraph = container.paragraphs[0]
    else:
        paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = space_before
    paragraph.paragraph_format.space_after = space_after
    paragraph.paragraph_format.first_line_indent = Cm(0)
    paragraph.paragraph_format.line_spacing = 1.0
    if text:
        set_run_font(paragraph.add_run(text), size=size, bold=bold, italic=italic)
    return paragraph


def rule_paragraph(container: DocumentObject | _Cell, *, indent: Cm) -> Paragraph:
    """A tiny paragraph carrying a rule, shortened by equal left and right indents."""
    paragraph = paragraph_in(container, space_before=Pt(5))
    paragraph.paragraph_format.left_indent = indent
    paragraph.paragraph_format.right_indent = indent
    add_rule(paragraph)
    # A 2-point empty line: the rule sits just under the text above it.
    set_run_font(paragraph.add_run(""), size=Pt(2))
    paragraph.paragraph_format.line_spacing = Pt(2)
    return paragraph


# Successors of w:tblBorders inside w:tblPr.
_TBLBORDERS_SUCCESSORS = (
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
    "w:tblPrChange",
)


def _set_table_borders(table: Table, value: str, size: int) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_border(edge, value, size))
    properties = table._tbl.tblPr
    existing = properties.find(qn("w:tblBorders"))
    if existing is not None:
        properties.remove(existing)
    properties.insert_element_before(borders, *_TBLBORDERS_SUCCESSORS)


def remove_borders(table: Table) -> None:
    _set_table_borders(table, "nil", 0)


def set_grid_borders(table: Table) -> None:
    """Thin black borders on every cell (independent of the template's table styles)."""
    _set_table_borders(table, "single", 4)


def fix_layout(table: Table, widths: Sequence[int]) -> None:
    """Fixed column widths, applied to the grid and to every cell of the first row."""
    table.autofit = False  # writes <w:tblLayout w:type="fixed"/>
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def new_row(table: Table) -> _Row:
    """Append a row: the only fast way to grow a python-docx table (trap P2)."""
    row: _Row = table.add_row()  # type: ignore[no-untyped-call]
    return row


def repeat_as_header(row: _Row) -> None:
    """Repeat this table row at the top of every page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _add_field(paragraph: Paragraph, instruction: str, placeholder: str, size: Pt) -> None:
    """A Word field (e.g. PAGE) as begin / instruction / separate / result / end runs."""

    def char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        set_run_font(paragraph.add_run(), size=size)._r.append(element)

    char("begin")
    instruction_run = set_run_font(paragraph.add_run(), size=size)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    instruction_run._r.append(text)
    char("separate")
    set_run_font(paragraph.add_run(placeholder), size=size)
    char("end")


# --- the document ---------------------------------------------------------------------------


def _set_language(document: DocumentObject) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is None:  # pragma: no cover - python-docx's template always has them
        return
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:  # pragma: no cover
        return
    properties = run_defaults.find(qn("w:rPr"))
    if properties is None:  # pragma: no cover
        return
    language = properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        properties.append(language)
    language.set(qn("w:val"), LANGUAGE)
    language.set(qn("w:eastAsia"), LANGUAGE)
    fonts = properties.find(qn("w:rFonts"))
    if fonts is not None:
        for attribute in list(fonts.attrib):
            del fonts.attrib[attribute]
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), FONT_NAME)


def new_document(*, title: str, subject: str = "") -> DocumentObject:
    """An empty A4 portrait document with the Decree 30 margins, font and page numbers."""
    document = Document()
    document.core_properties.title = title
    document.core_properties.subject = subject
    document.core_properties.author = "papitrack"
    document.core_properties.language = LANGUAGE
    _set_language(document)
    normal = document.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = BODY_SIZE
    normal.font.color.rgb = RGBColor(0, 0, 0)
    normal_fonts = normal.element.rPr.rFonts
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        normal_fonts.set(qn(attribute), FONT_NAME)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = A4_WIDTH
    section.page_height = A4_HEIGHT
    section.top_margin = MARGIN_TOP
    section.bottom_margin = MARGIN_BOTTOM
    section.left_margin = MARGIN_LEFT
    section.right_margin = MARGIN_RIGHT
    section.header_distance = HEADER_DISTANCE
    section.footer_distance = HEADER_DISTANCE
    # Page numbers: centred in the top margin, not on page 1 (a different first-page header
    # that stays empty).
    section.different_first_page_header_footer = True
    header = section.header
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _add_field(paragraph, "PAGE", "2", PAGE_NUMBER_SIZE)
    return document


def add_letterhead(document: DocumentObject, letterhead: Letterhead) -> Table:
    """The two-column header in a borderless table: body and number | title, motto, date."""
    table: Table = document.add_table(rows=0, cols=2)
    remove_borders(table)
    top = new_row(table).cells
    left, right = top[0], top[1]
    for line in letterhead.parent_body:
        paragraph_in(left, line, size=PARENT_BODY_SIZE, reuse_first=True)
    for line in letterhead.issuing_body:
        paragraph_in(left, line, size=HEADER_SIZE, bold=True, reuse_first=True)
    rule_paragraph(left, indent=ISSUER_RULE_INDENT)
    paragraph_in(right, NATIONAL_TITLE, size=NATIONAL_TITLE_SIZE, bold=True, reuse_first=True)
    paragraph_in(right, MOTTO, size=MOTTO_SIZE, bold=True)
    rule_paragraph(right, indent=MOTTO_RULE_INDENT)
    bottom = new_row(table).cells
    paragraph_in(
        bottom[0], number_line(letterhead), size=NUMBER_SIZE, reuse_first=True, space_before=Pt(4)
    )
    paragraph_in(
        bottom[1],
        date_line(letterhead),
        size=DATE_SIZE,
        italic=True,
        reuse_first=True,
        space_before=Pt(4),
    )
    fix_layout(table, [LEFT_COLUMN, RIGHT_COLUMN])
    return table


def add_title(document: DocumentObject, *, document_type: str, summary: str) -> None:
    """ "BÁO CÁO" and its summary line, bold and centred, with a short rule under them."""
    paragraph_in(document, document_type.upper(), bold=True, space_before=Pt(18))
    paragraph_in(document, summary, bold=True)
    rule_paragraph(document, indent=TITLE_RULE_INDENT)
    paragraph_in(document, space_after=Pt(6))


def add_heading(document: DocumentObject, text: str, *, italic: bool = False) -> Paragraph:
    """A section heading of the body: bold, justified, indented like the text."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = FIRST_LINE_INDENT
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.space_after = Pt(6)
    paragraph.paragraph_format.keep_with_next = True
    set_run_font(paragraph.add_run(text), bold=True, italic=italic)
    return paragraph


def add_body(document: DocumentObject, text: str, *, italic: bool = False) -> Paragraph:
    """A body paragraph: 14 pt, justified, first line indented 1.27 cm, 6 pt after."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = FIRST_LINE_INDENT
    paragraph.paragraph_format.space_after = Pt(6)
    set_run_font(paragraph.add_run(text), italic=italic)
    return paragraph


def add_labelled(document: DocumentObject, label: str, text: str) -> Paragraph:
    """A body paragraph that starts with a bold label ("Kết quả: ...")."""
    paragraph = add_body(document, "")
    set_run_font(paragraph.add_run(label), bold=True)
    set_run_font(paragraph.add_run(text))
    return paragraph


def add_bullets(document: DocumentObject, lines: Iterable[str]) -> None:
    for line in lines:
        add_body(document, f"- {line}")


def add_picture(document: DocumentObject, png: bytes, *, width: Cm, caption: str) -> None:
    """A centred image with an italic caption under it."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run().add_picture(io.BytesIO(png), width=width)
    paragraph_in(document, caption, size=TABLE_SIZE, italic=True, space_after=Pt(6))


@dataclass(frozen=True)
class Column:
    """A column of a bordered data table: heading, width, alignment of its cells."""

    heading: str
    width: Cm
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.LEFT


def table_style(document: DocumentObject, size: Pt) -> str:
    """The id of the paragraph style of table text at this size (created once): Times New
    Roman, no spacing, single lines. Table cells name it instead of formatting every run,
    which keeps a 1,000-row table fast."""
    name = f"Bảng {size.pt:g}"
    style_id = f"papitrackTable{int(size.pt * 10)}"
    for style in document.styles:
        if style.style_id == style_id:
            return style_id
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.element.styleId = style_id
    style.base_style = document.styles["Normal"]
    style.font.name = FONT_NAME
    style.font.size = size
    style.paragraph_format.space_before = NO_SPACE
    style.paragraph_format.space_after = NO_SPACE
    style.paragraph_format.line_spacing = 1.0
    style.paragraph_format.first_line_indent = NO_SPACE
    return style_id


def _cell_text(
    cell: _Cell, text: str, style_id: str, align: WD_ALIGN_PARAGRAPH, *, bold: bool = False
) -> None:
    paragraph = cell.paragraphs[0]
    paragraph._p.get_or_add_pPr().style = style_id
    if align != WD_ALIGN_PARAGRAPH.LEFT:
        paragraph.alignment = align
    if text:
        run = paragraph.add_run(text)  # "\n" becomes a line break
        if bold:
            run.bold = True


def add_data_table(
    document: DocumentObject,
    columns: Sequence[Column],
    rows: Iterable[Sequence[str]],
    *,
    size: Pt = TABLE_SIZE,
    group_rows: frozenset[int] = frozenset(),
) -> Table:
    """A bordered table with a repeated bold header row, built row by row (trap P2).

    group_rows are indexes (into rows) of rows whose first cell spans the whole table: the
    dimension headings of the appendix table.
    """
    style_id = table_style(document, size)
    widths = [column.width for column in columns]
    table: Table = document.add_table(rows=0, cols=len(columns))
    set_grid_borders(table)
    table.autofit = False  # writes <w:tblLayout w:type="fixed"/>
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for grid_column, width in zip(table.columns, widths, strict=True):
        grid_column.width = width
    header = new_row(table)
    repeat_as_header(header)
    # add_row() gives every new cell its grid column's width: the widths are set once, above.
    for cell, column in zip(header.cells, columns, strict=True):
        _cell_text(cell, column.heading, style_id, WD_ALIGN_PARAGRAPH.CENTER, bold=True)
        shade(cell, "E7E6E6")
    body = table._tbl
    for index, values in enumerate(rows):
        if index in group_rows:
            body.append(parse_xml(_group_row_xml(values[0], columns, style_id)))
        else:
            body.append(parse_xml(_row_xml(values, columns, style_id)))
    spacer(document)
    return table


# Data rows are written as WordprocessingML directly, one parse per row: building them
# through python-docx's objects costs some twenty element insertions per cell.
_JUSTIFICATION: dict[WD_ALIGN_PARAGRAPH, str] = {
    WD_ALIGN_PARAGRAPH.LEFT: "",
    WD_ALIGN_PARAGRAPH.CENTER: "center",
    WD_ALIGN_PARAGRAPH.RIGHT: "right",
    WD_ALIGN_PARAGRAPH.JUSTIFY: "both",
}
# A row is never split across two pages (a KPI's figures stay on one page).
KEEP_ROW_TOGETHER = "<w:trPr><w:cantSplit/></w:trPr>"
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _runs_xml(text: str, *, bold: bool) -> str:
    """One run per line of text, joined by line breaks ("\\n" in the text)."""
    properties = "<w:rPr><w:b/></w:rPr>" if bold else ""
    parts = []
    for position, line in enumerate(_XML_FORBIDDEN.sub("", text).split("\n")):
        brk = "<w:br/>" if position else ""
        parts.append(
            f'<w:r>{properties}{brk}<w:t xml:space="preserve">{xml_escape(line)}</w:t></w:r>'
        )
    return "".join(parts)


def _cell_xml(text: str, width: Length, style_id: str, align: WD_ALIGN_PARAGRAPH) -> str:
    justification = _JUSTIFICATION.get(align, "")
    jc = f'<w:jc w:val="{justification}"/>' if justification else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{int(width.twips)}" w:type="dxa"/></w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{jc}</w:pPr>'
        f"{_runs_xml(text, bold=False) if text else ''}</w:p></w:tc>"
    )


def _row_xml(values: Sequence[str], columns: Sequence[Column], style_id: str) -> str:
    cells = "".join(
        _cell_xml(value, column.width, style_id, column.align)
        for value, column in zip(values, columns, strict=True)
    )
    return f"<w:tr {nsdecls('w')}>{KEEP_ROW_TOGETHER}{cells}</w:tr>"


def _group_row_xml(text: str, columns: Sequence[Column], style_id: str) -> str:
    """A row whose single cell spans every column (a dimension heading)."""
    width = Length(sum(column.width for column in columns))
    cell = (
        f'<w:tc><w:tcPr><w:tcW w:w="{int(width.twips)}" w:type="dxa"/>'
        f'<w:gridSpan w:val="{len(columns)}"/></w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>{_runs_xml(text, bold=True)}</w:p>'
        f"</w:tc>"
    )
    return f"<w:tr {nsdecls('w')}>{KEEP_ROW_TOGETHER}{cell}</w:tr>"


def spacer(document: DocumentObject) -> Paragraph:
    """An empty paragraph after a table: two tables that touch are read as one table."""
    return paragraph_in(document, size=Pt(6))


def add_closing(
    document: DocumentObject, *, recipients: Sequence[str], signature: SignatureBlock
) -> Table:
    """ "Nơi nhận:" (bold italic 12 pt, lines 11 pt) beside the signature block."""
    spacer(document)
    table: Table = document.add_table(rows=0, cols=2)
    remove_borders(table)
    cells = new_row(table).cells
    left, right = cells[0], cells[1]
    label = paragraph_in(
        left,
        RECIPIENTS_LABEL,
        size=RECIPIENTS_LABEL_SIZE,
        bold=True,
        italic=True,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        reuse_first=True,
        space_before=Pt(6),
    )
    label.paragraph_format.keep_with_next = True
    for line in recipient_lines(recipients):
        paragraph_in(left, line, size=RECIPIENTS_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT)
    first = True
    for line in signature.authority_lines:
        paragraph_in(right, line.upper(), bold=True, reuse_first=first, space_before=Pt(6))
        first = False
    paragraph_in(right, signature.title.upper(), bold=True, reuse_first=first)
    for _ in range(4):  # room for the signature (and, later, the digital signature image)
        paragraph_in(right, "")
    paragraph_in(right, signature.name, bold=True)
    fix_layout(table, [Cm(7.5), TEXT_WIDTH - Cm(7.5)])
    return table


def recipient_lines(recipients: Sequence[str]) -> list[str]:
    """ "- X;" for each recipient, the last ("Lưu: VT, ...") ending with a full stop."""
    lines = []
    cleaned = [recipient.strip().lstrip("-").strip().rstrip(";.") for recipient in recipients]
    for index, recipient in enumerate(cleaned):
        last = index == len(cleaned) - 1
        lines.append(f"- {recipient}{'.' if last else ';'}")
    return lines


def add_landscape_section(document: DocumentObject) -> None:
    """Start a new A4 landscape section (for wide tables); page numbers keep running."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width = A4_HEIGHT
    section.page_height = A4_WIDTH
    section.top_margin = MARGIN_TOP
    section.bottom_margin = MARGIN_BOTTOM
    section.left_margin = MARGIN_LEFT
    section.right_margin = MARGIN_RIGHT
    # Only page 1 of the document hides its number; the section inherits the flag otherwise.
    section.different_first_page_header_footer = False


def add_page_break(document: DocumentObject) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def to_bytes(document: DocumentObject) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
