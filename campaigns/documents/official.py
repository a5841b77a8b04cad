"""GB/T 9704-2012 (党政机关公文格式) with python-docx: the layout every document we export follows.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (a 156 x 225 mm text block of 22
lines of 28 characters); title 2号 (22 pt) 方正小标宋简体 centred; body 3号 (16 pt) 仿宋_GB2312;
headings "一、" in 黑体 and "（一）" in 楷体_GB2312; the issuing office and the date at the end,
the date 右空四字; page numbers "— 1 —" in 4号 宋体 below the text block, odd pages on the right and
even pages on the left, each 空一字.

Every run gets its East Asian font written into `w:eastAsia`: without it Word takes the Latin
font for Chinese text and a bureau's PC shows the wrong typeface. A server without the bureau's
fonts (this one) falls back to Noto CJK when it renders a preview; the file still names them.
"""

from __future__ import annotations

from collections.abc import Sequence
from copy import deepcopy
from io import BytesIO
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from org.text import clean_text

from .typesetting import CELL_MARGIN_MM, column_widths, text_blocks, text_width, title_lines

FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEADING = "黑体"
FONT_SUBHEADING = "楷体_GB2312"
FONT_PAGE_NUMBER = "宋体"
FONT_LATIN = "Times New Roman"  # Arabic numerals and Latin letters in the body

SIZE_TITLE = Pt(22)  # 2号
SIZE_BODY = Pt(16)  # 3号
SIZE_PAGE_NUMBER = Pt(14)  # 4号
SIZE_TABLE = Pt(12)  # 小4号: ranking tables with several indicators fit the text block
SIZE_SMALL_TABLE = Pt(10.5)  # 5号: the long tables of an attachment
LINE = Pt(28.95)  # 225 mm / 22 lines
CHAR = SIZE_BODY  # one character of body text: the unit of indents (空二字, 右空四字)


def set_font(
    run: Run, east_asia: str, size: Any = SIZE_BODY, *, bold: bool = False, latin: str = ""
) -> Run:
    """Give a run its fonts: the East Asian one in `w:eastAsia`, digits in Times New Roman."""
    run.font.name = latin or (FONT_LATIN if east_asia == FONT_BODY else east_asia)
    run.font.size = size
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    rpr.rFonts.set(qn("w:eastAsia"), east_asia)  # type: ignore[union-attr]
    return run


def add_run(paragraph: Paragraph, text: str = "") -> Run:
    """A run of `text` without what XML cannot hold: stored text can never break a document."""
    return paragraph.add_run(clean_text(text))


def _spacing(paragraph: Paragraph, *, exact: Any = LINE) -> None:
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if exact is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = exact


def _border(tag: str) -> Any:
    element = OxmlElement(tag)
    element.set(qn("w:val"), "single")
    element.set(qn("w:sz"), "4")  # eighths of a point: a 0.5 pt line
    element.set(qn("w:space"), "0")
    element.set(qn("w:color"), "000000")
    return element


class OfficialDocument:
    """A document laid out by GB/T 9704: add the parts in reading order, then `to_bytes()`."""

    def __init__(self, *, title: str = "", author: str = "", landscape: bool = False) -> None:
        self.doc = Document()
        self.doc.core_properties.title = clean_text(title)
        self.doc.core_properties.author = clean_text(author)
        self._page_setup(landscape)
        self._normal_style()
        self._page_numbers()

    def _page_setup(self, landscape: bool) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin = Mm(37)
        section.bottom_margin = Mm(35)
        section.left_margin = Mm(28)
        section.right_margin = Mm(26)
        section.header_distance = Mm(15)
        # The page number sits 7 mm below the text block: its 4号 line ends about 23 mm up.
        section.footer_distance = Mm(23)

    def _normal_style(self) -> None:
        style: Any = self.doc.styles["Normal"]
        style.font.name = FONT_LATIN
        style.font.size = SIZE_BODY
        rpr = style.element.get_or_add_rPr()
        rpr.rFonts.set(qn("w:eastAsia"), FONT_BODY)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")  # Chinese glyphs, not Japanese, for shared code points
        rpr.append(lang)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.widow_control = False

    def _page_numbers(self) -> None:
        """ "— 1 —": odd pages at the right, even pages at the left, each 空一字."""
        self.doc.settings.odd_and_even_pages_header_footer = True
        section = self.doc.sections[0]
        for footer, align in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
        ):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.alignment = align
            _spacing(paragraph, exact=None)
            fmt = paragraph.paragraph_format
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                fmt.right_indent = SIZE_PAGE_NUMBER
            else:
                fmt.left_indent = SIZE_PAGE_NUMBER
            self._page_run(paragraph, "— ")
            self._field(paragraph, "PAGE")
            self._page_run(paragraph, " —")

    def _page_run(self, paragraph: Paragraph, text: str) -> Run:
        return set_font(
            add_run(paragraph, text), FONT_PAGE_NUMBER, SIZE_PAGE_NUMBER, latin=FONT_PAGE_NUMBER
        )

    def _field(self, paragraph: Paragraph, instruction: str) -> None:
        for kind, text in (("begin", None), ("instr", instruction), ("separate", None)):
            run = self._page_run(paragraph, "")
            if kind == "instr":
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = f" {text} "
            else:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            run._element.append(element)
        self._page_run(paragraph, "1")
        end = self._page_run(paragraph, "")
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), "end")
        end._element.append(element)

    # The parts of a document, in reading order.

    def title(self, text: str) -> Paragraph:
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(paragraph, exact=Pt(35))
        paragraph.paragraph_format.space_after = LINE  # a blank line between title and body
        lines = title_lines(text)
        for n, line in enumerate(lines, start=1):
            run = set_font(add_run(paragraph, line), FONT_TITLE, SIZE_TITLE)
            if n < len(lines):
                run.add_break()
        return paragraph

    def issue_line(self, text: str) -> Paragraph:
        """第N期 (or a 文号 like 临兰民〔2020〕22号), right-aligned above the title."""
        return self.paragraph(text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)

    def addressees(self, text: str) -> Paragraph:
        """主送机关: flush left (顶格), ending with a full-width colon."""
        return self.paragraph(text, indent=False)

    def paragraph(
        self,
        text: str,
        *,
        indent: bool = True,
        align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY,
        font: str = FONT_BODY,
        bold: bool = False,
    ) -> Paragraph:
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = align
        _spacing(paragraph)
        if indent:
            paragraph.paragraph_format.first_line_indent = CHAR * 2  # 段首空二字
        set_font(add_run(paragraph, text), font, SIZE_BODY, bold=bold)
        return paragraph

    def heading(self, text: str) -> Paragraph:
        """A first-level heading, "一、总体情况", in 3号黑体."""
        paragraph = self.paragraph(text, font=FONT_HEADING)
        paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def subheading(self, text: str) -> Paragraph:
        """A second-level heading, "（一）……", in 3号楷体."""
        paragraph = self.paragraph(text, font=FONT_SUBHEADING)
        paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def text(self, text: str) -> None:
        """Paragraphs from plain text (one per line), headings recognised by their numbering."""
        fonts = {"h1": FONT_HEADING, "h2": FONT_SUBHEADING}
        for kind, head, rest in text_blocks(text):
            if kind == "p":
                self.paragraph(rest)
            elif not rest:
                (self.heading if kind == "h1" else self.subheading)(head)
            else:
                paragraph = self.paragraph(head, font=fonts[kind])
                set_font(add_run(paragraph, rest), FONT_BODY)

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        widths_mm: Sequence[float] | None = None,
        size: Any = SIZE_TABLE,
        left_columns: Sequence[int] = (),
        merge_column: int | None = None,
    ) -> Table:
        """A bordered table with a bold header row that repeats on every page it spans.

        Columns in `left_columns` (names, reasons) are left-aligned, the rest centred; in
        `merge_column`, runs of the same value (a unit's several tasks) share one merged cell.
        """
        table = self.doc.add_table(rows=2 if rows else 1, cols=len(headers))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        borders = OxmlElement("w:tblBorders")
        for tag in ("top", "left", "bottom", "right", "insideH", "insideV"):
            borders.append(_border(f"w:{tag}"))
        tbl_pr.append(borders)
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            margin = OxmlElement(f"w:{side}")
            margin.set(qn("w:w"), str(int(CELL_MARGIN_MM * 56.7)))  # twentieths of a point
            margin.set(qn("w:type"), "dxa")
            margins.append(margin)
        tbl_pr.append(margins)
        widths = list(widths_mm or column_widths(headers, rows, size_pt=size.pt))
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Mm(width)  # w:gridCol, which LibreOffice lays the table out by
        values = [list(headers), *[list(row) for row in rows]]
        # The header row and one body row are laid out through python-docx; every other body row
        # is a copy of that one with its texts set: the same XML, in a fraction of the time
        # (python-docx inserts each property of each cell in schema order, ~4 ms a row).
        for r, row in enumerate(table.rows):
            texts = values[0] if r == 0 else [""] * len(headers)
            self._lay_out_row(row, texts, widths, size, header=r == 0, left_columns=left_columns)
        if rows:
            tbl = table._tbl
            prototype = tbl.tr_lst[1]
            tbl.remove(prototype)
            made = []
            for r in range(1, len(values)):
                tr = deepcopy(prototype)
                for c, tc in enumerate(tr.tc_lst):
                    run = tc.p_lst[0].r_lst[0]
                    value = values[r][c] if c < len(values[r]) else ""
                    if r > 1 and c == merge_column and value == values[r - 1][c]:
                        run.getparent().remove(run)  # left empty: merged into the cell above
                        continue
                    run.text = "" if value is None else clean_text(str(value))
                tbl.append(tr)
                made.append(tr)
            if merge_column is not None:
                self._merge_runs(made, values, merge_column)
        self._after_table()
        return table

    @staticmethod
    def _lay_out_row(
        row: Any,
        texts: Sequence[Any],
        widths: Sequence[float],
        size: Any,
        *,
        header: bool,
        left_columns: Sequence[int],
    ) -> None:
        """A row that never splits across pages; the header's repeats on each page."""
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if header:
            tr_pr.append(OxmlElement("w:tblHeader"))
        for c, cell in enumerate(row.cells):
            cell.width = Mm(widths[c])
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = cell.paragraphs[0]
            _spacing(paragraph, exact=None)
            paragraph.alignment = (
                WD_ALIGN_PARAGRAPH.LEFT
                if not header and c in left_columns
                else WD_ALIGN_PARAGRAPH.CENTER
            )
            text = "" if texts[c] is None else str(texts[c])
            if header:
                set_font(add_run(paragraph, text), FONT_HEADING, size, bold=True)
            else:
                set_font(add_run(paragraph, text), FONT_BODY, size)

    @staticmethod
    def _merge_runs(trs: list[Any], values: list[list[Any]], column: int) -> None:
        """Runs of the same value down `column` become one cell (w:vMerge, as Word writes it)."""
        start = 1
        for r in range(2, len(values) + 1):
            if r == len(values) or values[r][column] != values[start][column]:
                if r - 1 > start:
                    trs[start - 1].tc_lst[column].vMerge = "restart"
                    for tr in trs[start : r - 1]:
                        tr.tc_lst[column].vMerge = "continue"
                start = r

    def _after_table(self) -> None:
        # Word runs two adjacent tables together; a short empty line keeps them apart.
        paragraph = self.doc.add_paragraph()
        _spacing(paragraph, exact=Pt(8))
        set_font(add_run(paragraph, ""), FONT_BODY, Pt(8))

    def picture(self, png: bytes, *, width_mm: float = 150) -> Paragraph:
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(paragraph, exact=None)  # an exact line height would crop the picture
        set_font(add_run(paragraph), FONT_BODY).add_picture(BytesIO(png), width=Mm(width_mm))
        return paragraph

    def signature(self, issuer: str, date_text: str) -> None:
        """发文机关署名 centred over the date, the date 右空四字, after a blank line; kept on the
        page of the text's last paragraph (a signature never stands alone on a page)."""
        if self.doc.paragraphs:
            self.doc.paragraphs[-1].paragraph_format.keep_with_next = True
        self.paragraph("", indent=False).paragraph_format.keep_with_next = True
        date_indent = 4.0
        issuer_indent = max(date_indent + (text_width(date_text) - text_width(issuer)) / 2, 0)
        for text, indent in ((issuer, issuer_indent), (date_text, date_indent)):
            paragraph = self.paragraph(text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
            paragraph.paragraph_format.right_indent = Pt(CHAR.pt * indent)
            paragraph.paragraph_format.keep_with_next = text == issuer

    def page_break(self) -> None:
        paragraph = self.doc.add_paragraph()
        set_font(add_run(paragraph), FONT_BODY).add_break(WD_BREAK.PAGE)

    def to_bytes(self) -> bytes:
        buffer = BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()
