"""The look of the 自评报告 in Word: A4 pages and the fonts of a Chinese official document.

The report (`evalcore_builtin.report`) says what is written; this module says how it looks, so
the outline and the typography can change apart. The choices follow the layout of Party and
government documents (GB/T 9704-2012, 党政机关公文格式), which finance bureaus expect a 自评报告
to keep: A4, margins 37/35/28/26 mm (top/bottom/left/right), body text 仿宋 三号 (16 pt) on a
fixed 28 pt line with a two-character first-line indent, first-level headings 黑体, second-level
headings 楷体, the title 方正小标宋简体 二号 (22 pt); tables 仿宋 五号 (10.5 pt). Everything is set
on named styles (Word's own ``Heading 1`` and ``Heading 2``, so the navigation pane and a table
of contents see the outline), never on single runs, so a person can restyle the draft in Word.

A CJK font is the ``w:eastAsia`` attribute of ``w:rFonts``: python-docx's ``font.name`` sets only
the Latin ones, and a theme font attribute (``w:eastAsiaTheme`` ...) overrides an explicit name,
so `set_fonts` writes the names and removes the theme attributes.

An English report (``lang="en"``) keeps the page and the CJK faces (for the user's own Chinese
texts) but sets type for Latin text: Times New Roman 12 pt body on 1.15 lines with space between
paragraphs and no first-line indent, Arial bold headings and title (`LATIN`).

Needs python-docx; imported only by the ``docx`` renderer, after it has checked that python-docx
is installed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

if TYPE_CHECKING:
    from docx.document import Document
    from docx.section import Section
    from docx.styles.style import CharacterStyle, ParagraphStyle
    from docx.table import Table, _Row

__all__ = [
    "BLANK",
    "BODY",
    "FONTS",
    "HEADING_1",
    "HEADING_2",
    "LATIN",
    "SIGNATURE",
    "TABLE_TEXT",
    "TITLE",
    "UNIT",
    "english_type",
    "landscape_section",
    "mark_header_row",
    "page_number_footer",
    "set_fonts",
    "setup_styles",
]

# Style names: the report and its tests find every part by them.
TITLE = "报告标题"
UNIT = "报告单位"
BODY = "Normal"
HEADING_1 = "Heading 1"
HEADING_2 = "Heading 2"
TABLE_TEXT = "表格文字"
SIGNATURE = "落款"
BLANK = "待填写"

FONTS = {"title": "方正小标宋简体", "heading1": "黑体", "heading2": "楷体", "body": "仿宋",
         "latin": "Times New Roman"}
"""The typefaces: the CJK one of each kind of text, and one Latin face for digits and letters."""

LATIN = {"title": "Arial", "heading1": "Arial", "heading2": "Arial", "body": "Times New Roman"}
"""The Latin faces of an English report, for each kind of text."""

_BLACK = RGBColor(0, 0, 0)
_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_fonts(style: CharacterStyle, east_asia: str, latin: str = FONTS["latin"]) -> None:
    """The style's CJK face (``w:eastAsia``) and Latin face, with any theme font removed."""
    style.font.name = latin  # python-docx writes w:ascii and w:hAnsi
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)
    for attribute in _THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)


def _paragraph_style(doc: Document, name: str) -> ParagraphStyle:
    """The named paragraph style, added (based on the body style) when the template lacks it."""
    styles = doc.styles
    try:  # a lookup by name: listing every style's name took a tenth of a report's time
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[BODY]
    return cast("ParagraphStyle", style)


def setup_styles(doc: Document, lang: str = "zh") -> None:
    """A4 portrait with the official margins, and every style the report uses; for
    ``lang="en"`` the type of an English document (`english_type`)."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    body = _paragraph_style(doc, BODY)
    set_fonts(body, FONTS["body"])
    body.font.size = Pt(16)
    fmt = body.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(28)
    fmt.first_line_indent = Pt(32)  # two characters of 16 pt
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    for name, face in ((HEADING_1, FONTS["heading1"]), (HEADING_2, FONTS["heading2"])):
        heading = _paragraph_style(doc, name)
        set_fonts(heading, face)
        heading.font.size, heading.font.bold, heading.font.italic = Pt(16), False, False
        heading.font.color.rgb = _BLACK
        hfmt = heading.paragraph_format
        hfmt.first_line_indent = Pt(32)
        hfmt.line_spacing_rule, hfmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(28)
        hfmt.space_before = hfmt.space_after = Pt(0)
        hfmt.keep_with_next = True

    title = _paragraph_style(doc, TITLE)
    set_fonts(title, FONTS["title"])
    title.font.size = Pt(22)
    tfmt = title.paragraph_format
    tfmt.alignment, tfmt.first_line_indent = WD_ALIGN_PARAGRAPH.CENTER, Pt(0)
    tfmt.line_spacing_rule, tfmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(36)
    tfmt.space_after = Pt(16)
    tfmt.keep_with_next = True

    unit = _paragraph_style(doc, UNIT)
    unit.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    unit.paragraph_format.first_line_indent = Pt(0)
    unit.paragraph_format.keep_with_next = True

    signature = _paragraph_style(doc, SIGNATURE)
    signature.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.paragraph_format.first_line_indent = Pt(0)

    table = _paragraph_style(doc, TABLE_TEXT)
    table.font.size = Pt(10.5)
    tbl = table.paragraph_format
    tbl.first_line_indent = Pt(0)
    tbl.line_spacing = 1.0  # single, not the body's exact 28 pt
    tbl.alignment = WD_ALIGN_PARAGRAPH.LEFT

    blank: CharacterStyle = doc.styles.add_style(BLANK, WD_STYLE_TYPE.CHARACTER)
    blank.font.bold = True
    blank.font.highlight_color = WD_COLOR_INDEX.YELLOW
    if lang == "en":
        english_type(doc)


def english_type(doc: Document) -> None:
    """Restyle for Latin text: Latin faces from `LATIN` (the CJK faces stay, for Chinese
    texts the user wrote), body 12 pt on 1.15 lines with 6 pt after a paragraph and no
    first-line indent (a two-character indent is a Chinese convention), bold headings."""
    sizes = {BODY: ("body", 12, False), HEADING_1: ("heading1", 14, True),
             HEADING_2: ("heading2", 12, True), TITLE: ("title", 18, True)}
    for name, (kind, size, bold) in sizes.items():
        style = _paragraph_style(doc, name)
        set_fonts(style, FONTS[kind], LATIN[kind])
        style.font.size, style.font.bold = Pt(size), bold
        pf = style.paragraph_format
        pf.first_line_indent = Pt(0)
        pf.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
        pf.line_spacing = 1.15
        if name != TITLE:
            pf.space_after = Pt(6)
        if name in (HEADING_1, HEADING_2):
            pf.space_before = Pt(12 if name == HEADING_1 else 6)
    _paragraph_style(doc, BODY).paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    for name in (UNIT, SIGNATURE, TABLE_TEXT):
        set_fonts(_paragraph_style(doc, name), FONTS["body"], LATIN["body"])


def landscape_section(doc: Document) -> Section:
    """A new section on a new page, A4 landscape with 20 mm margins: room for the 自评表's eight
    columns."""
    section = cast("Section", doc.add_section(WD_SECTION.NEW_PAGE))
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin = section.right_margin = Mm(20)
    return section


def mark_header_row(table: Table, row: _Row) -> None:
    """Repeat ``row`` at the top of every page the table runs onto, and centre the table."""
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def page_number_footer(doc: Document, section: Section) -> None:
    """The page number, centred in the footer as ``— 1 —`` (a PAGE field Word fills in)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.style = doc.styles[TABLE_TEXT]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —")
