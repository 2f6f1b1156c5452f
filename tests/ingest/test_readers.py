"""The PDF, Word and HTML readers, on the real reports in ../shared/reports and on small files built here."""

from __future__ import annotations

import io
import zipfile
from collections import Counter

import docx
import pdfplumber
import pytest
from conftest import REPORTS
from docx.oxml import parse_xml

from nlp.document import Extracted, ReadError
from nlp.ingest import read
from nlp.ingest.docx import read_docx
from nlp.ingest.html import read_html
from nlp.ingest.normalize import PAGE_FOOTER as PAGE_NUMBER
from nlp.ingest.normalize import normalize
from nlp.ingest.pdf import read_pdf
from nlp.settings import get_settings

pytestmark = pytest.mark.shared


def pdf(data: bytes) -> Extracted:
    return read_pdf(data, get_settings())


def messages(extracted: Extracted) -> list[str]:
    return [n.message for n in extracted.warnings]


REAL_PDFS = ("hongze-district-2023.pdf", "hongze-district-2024.pdf", "huaian-city-2024.pdf")


def lines_of(name: str) -> list[str]:
    return pdf((REPORTS / name).read_bytes()).text.split("\n")


# --- PDF: real reports ---------------------------------------------------------------------------------------


def test_hongze_2023_tables_and_prose():
    extracted = pdf((REPORTS / "hongze-district-2023.pdf").read_bytes())
    lines = extracted.text.split("\n")
    assert (extracted.medium, extracted.pages, messages(extracted)) == ("pdf", 5, [])
    for expected in (
        "一、本年新收政府信息公开申请数量\t21\t0\t0\t0\t0\t0\t21",
        "三、本年度办理结果\t（一）予以公开\t0\t0\t0\t0\t0\t0\t0",  # a vertically printed label, joined
        "商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他",  # wrapped header cells, joined
        "（六）其他处理\t\t0\t0\t0\t0\t0\t0\t0",  # an empty cell stays apart from 0
        "10\t1\t0\t0\t0\t0\t0\t0\t0\t0\t5\t0\t0\t0\t0",
        "行政规范性文件\t0\t5\t5",
        "行政事业性收费\t7730.28",
        "信息内容\t本年处理决定数量",  # top of page 3: its left cell has no ruled border
        "依申请公开受理渠。2023 年全区受理政府信息公开申请 21 件，",
    ):
        assert expected in lines
    # table 2 continues from page 2 onto page 3, in order
    assert lines.index("行政许可\t550") < lines.index("第二十条第（六）项") < lines.index("行政处罚\t4119")


def test_hongze_2023_prose_in_bordered_boxes_appears_once():
    lines = lines_of("hongze-district-2023.pdf")
    # pdfplumber reads these bordered text blocks as one-column tables; cut into cells they lose the "、" that
    # overhangs the border
    assert lines.count("政务公开工作摆在重要位置，推进政府信息公开工作规范、有序、") == 1
    assert lines.count("一律不准发布。") == 1
    assert lines.count("六、其他需要报告的事项") == 1
    assert sum(bool(PAGE_NUMBER.match(line)) for line in lines) == 5  # one footer a page, for normalize to drop


def test_hongze_2024_and_huaian_2024():
    hongze = lines_of("hongze-district-2024.pdf")
    assert "一、本年新收政府信息公开申请数量\t95\t0\t0\t0\t0\t0\t95" in hongze
    assert "行政许可\t9487" in hongze
    assert "1\t1\t0\t0\t2\t1\t0\t0\t0\t1\t2\t0\t1\t0\t3" in hongze
    huaian = pdf((REPORTS / "huaian-city-2024.pdf").read_bytes())
    lines = huaian.text.split("\n")
    assert huaian.pages == 6
    assert (
        "（六）其他处理\t1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
        "\t67\t3\t0\t0\t1\t0\t71" in lines
    )
    assert "（三）不予公开\t1.属于国家秘密\t2\t0\t0\t0\t0\t0\t2" in lines
    assert "72\t64\t178\t37\t351\t13\t4\t8\t1\t26\t12\t1\t1\t6\t20" in lines
    assert "办法》，全年收取政府信息公开信息处理费 3940 元。" in lines


@pytest.mark.parametrize("name", REAL_PDFS)
def test_pdf_every_character_read_exactly_once(name):
    """Against pdfplumber's plain page text: nothing lost, nothing doubled, only page numbers dropped."""
    with pdfplumber.open(REPORTS / name) as pdf:
        page_lines = [line for page in pdf.pages for line in page.extract_text().split("\n")]
    expected = Counter("".join(line for line in page_lines if not PAGE_NUMBER.match(line.strip())))
    got = Counter("".join(line for line in lines_of(name) if not PAGE_NUMBER.match(line)))
    for counter in (expected, got):
        for space in (" ", "\t", "\n"):
            del counter[space]
    assert got == expected


def test_garbled_text_layer_is_returned_as_is():
    extracted = pdf((REPORTS / "garbled-text-layer.pdf").read_bytes())
    assert "(cid:" in extracted.text
    assert messages(extracted) == []


@pytest.mark.parametrize("line", ["- 3 -", "— 12 —", "-3-", "第 3 页", "第3页 共5页"])
def test_page_number_lines(line):
    assert PAGE_NUMBER.match(line)


@pytest.mark.parametrize("line", ["3", "2023 年", "第 3 页的表格", "一、总体情况"])
def test_not_page_number_lines(line):
    assert not PAGE_NUMBER.match(line)


# --- PDF: built files and errors -----------------------------------------------------------------------------


def make_pdf(contents: list[bytes], encrypt: bool = False) -> bytes:
    """A minimal PDF: one page per content stream, Helvetica as F1; with encrypt, a user password is set."""
    count = len(contents)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(count)), count),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, content in enumerate(contents):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> "
            b">> /Contents %d 0 R >>" % (5 + 2 * i)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    trailer = b"/Root 1 0 R"
    if encrypt:  # an /U that the empty password does not produce: a password is needed to open the file
        objects.append(b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>" % (b"ab" * 32, b"cd" * 32))
        trailer += b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (len(objects), b"01" * 16, b"01" * 16)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


TEXT_PAGE = b"BT /F1 12 Tf 72 720 Td (Annual report) Tj 0 -680 Td (- 1 -) Tj ET"
SCANNED_PAGE = b"0 0 1 rg 72 72 400 600 re f"  # a picture-like fill, no text


def test_built_pdf_reads_and_page_number_is_dropped_by_normalize():
    extracted = pdf(make_pdf([TEXT_PAGE]))
    assert (normalize(extracted.text), extracted.pages, messages(extracted)) == (
        "Annual report",
        1,
        [],
    )


def test_pdf_without_text_layer_is_scanned():
    with pytest.raises(ReadError) as error:
        pdf(make_pdf([SCANNED_PAGE] * 3))
    assert error.value.code == "scanned"
    assert "pages 1–3" in error.value.message and "OCR" in error.value.message


def test_pdf_with_some_pages_scanned_warns():
    """The pages without a text layer go to OCR; a fill with no text on it is named as a page OCR could not read."""
    extracted = pdf(make_pdf([TEXT_PAGE, SCANNED_PAGE, SCANNED_PAGE, TEXT_PAGE, SCANNED_PAGE]))
    assert normalize(extracted.text) == "Annual report\nAnnual report"
    assert extracted.ocr is not None and extracted.ocr.pages == [2, 3, 5]
    assert messages(extracted) == [
        "Read by OCR, pages 2–3, 5: numbers read by OCR, check them against the original.",
        *(f"Page {n}: OCR could not read it (blank: no text found)." for n in (2, 3, 5)),
    ]


def test_blank_pages_are_not_scans():
    extracted = pdf(make_pdf([TEXT_PAGE, b"", SCANNED_PAGE]))
    assert extracted.ocr is not None and extracted.ocr.pages == [3]
    with pytest.raises(ReadError) as error:
        pdf(make_pdf([b"", b""]))
    assert error.value.code == "empty"


def test_encrypted_pdf():
    with pytest.raises(ReadError) as error:
        pdf(make_pdf([TEXT_PAGE], encrypt=True))
    assert error.value.code == "encrypted"
    assert "password" in error.value.message


@pytest.mark.parametrize("cut", [0.5, 0.99])
def test_truncated_pdf(cut):
    data = (REPORTS / "hongze-district-2023.pdf").read_bytes()
    with pytest.raises(ReadError) as error:
        pdf(data[: int(len(data) * cut)])
    assert error.value.code == "truncated"


# --- DOCX ----------------------------------------------------------------------------------------------------


def test_blank_template_docx_keeps_labels_and_empty_cells():
    extracted = read_docx((REPORTS / "template-2021-blank.docx").read_bytes())
    lines = extracted.text.split("\n")
    assert extracted.medium == "docx"
    for expected in (
        "规章\t\t\t",
        "行政许可\t",  # the value cell spans three grid columns: one cell
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况",
        "自然人\t法人或其他组织\t总计",  # vertically merged continuations are left out
        "商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他",
        "一、本年新收政府信息公开申请数量" + "\t" * 7,
        "三、本年度办理结果\t（一）予以公开" + "\t" * 7,
        "2.其他法律行政法规禁止公开" + "\t" * 7,
        "行政复议\t行政诉讼",
        "\t" * 14,  # table 4's value row: fifteen empty cells
    ):
        assert expected in lines
    # prose and tables interleave in document order
    order = [
        "二、主动公开政府信息情况",
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
    ]
    assert [lines.index(line) for line in order] == sorted(lines.index(line) for line in order)


def docx_bytes(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_docx() -> bytes:
    """A paragraph, a table with horizontal and vertical merges and a nested table, a paragraph with a text box."""
    document = docx.Document()
    document.add_paragraph("\u3000\u3000一、总体情况")
    table = document.add_table(rows=4, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "第二十条第（一）项"
    table.cell(0, 2).text = "合计"
    table.cell(1, 0).merge(table.cell(3, 0)).text = "三、本年度\n办理结果"
    for row, (label, value) in enumerate((("（一）予以公开", "0"), ("（二）部分公开", ""), ("（三）其他", "5")), 1):
        table.cell(row, 1).text = label
        table.cell(row, 2).text = value
    nested = table.cell(3, 2).add_table(rows=2, cols=2)
    for (row, column), text in zip(((0, 0), (0, 1), (1, 0), (1, 1)), "1234", strict=True):
        nested.cell(row, column).text = text
    paragraph = document.add_paragraph("五、存在的问题")
    paragraph._p.append(parse_xml(TEXT_BOX_RUN))
    return docx_bytes(document)


# A text box as Word writes it: once in mc:Choice and again, for old readers, in mc:Fallback.
TEXT_BOX_RUN = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent>'
    '<mc:Choice Requires="wps"><wps:txbx><w:txbxContent><w:p><w:r><w:t>框内文字</w:t></w:r></w:p>'
    "</w:txbxContent></wps:txbx></mc:Choice>"
    "<mc:Fallback><v:textbox><w:txbxContent><w:p><w:r><w:t>框内文字</w:t></w:r></w:p>"
    "</w:txbxContent></v:textbox></mc:Fallback></mc:AlternateContent></w:r>"
)


def test_built_docx_merges_nested_table_and_text_box():
    assert read_docx(build_docx()).text.split("\n") == [
        "一、总体情况",
        "第二十条第（一）项\t合计",
        "三、本年度办理结果\t（一）予以公开\t0",
        "（二）部分公开\t",
        "（三）其他\t5 1 2 3 4",
        "五、存在的问题",
        "框内文字",
    ]


def test_docx_errors():
    with pytest.raises(ReadError) as error:
        read_docx(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert error.value.code == "unsupported" and ".docx" in error.value.message
    data = (REPORTS / "template-2021-blank.docx").read_bytes()
    with pytest.raises(ReadError) as error:
        read_docx(data[: len(data) // 2])
    assert error.value.code == "truncated"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a Word file")
    with pytest.raises(ReadError) as error:
        read_docx(buffer.getvalue())
    assert error.value.code == "unsupported"


# --- HTML ----------------------------------------------------------------------------------------------------

PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>标题</title><script>var a = "不是正文";</script><style>p {}</style></head><body>
<div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 年度报告</div>
<nav><a href="/">首页</a><a href="/zwgk">政务公开</a></nav>
<form><input name="q"><button>搜索</button></form>
<table width="100%"><tr><td>
<h1>XX市2023年政府信息公开
工作年度报告</h1>
<p>&nbsp;&nbsp;\u3000\u30002023年，全市共受理政府信息公开申请<span>21</span>件，<!-- 注释 -->均在法定期限内答复。</p>
<table border="1">
<tr><td rowspan="2">信息内容</td><td colspan="2">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><th>商业<br>企业</th><th>科研
机构</th></tr>
<tr><td>一、本年新收</td><td>0</td><td></td><td>21</td></tr>
<tr><td>&nbsp;</td><td></td><td></td><td></td></tr>
<tr><td colspan="4">&nbsp;</td></tr>
</table>
<p>【字号：大 中 小】 打印本页 关闭窗口</p>
</td></tr></table>
<footer>版权所有 XX市人民政府</footer>
<div>主办单位：XX市人民政府办公室<br>网站标识码：3208000001 苏ICP备05007096号</div>
</body></html>"""
PAGE_LINES = [
    "XX市2023年政府信息公开工作年度报告",
    "2023年，全市共受理政府信息公开申请21件，均在法定期限内答复。",
    "信息内容\t法人或其他组织\t总计",
    "商业企业\t科研机构",
    "一、本年新收\t0\t\t21",
    "\t\t\t",  # a row of empty value cells, as in a blank form, stays; a row of one empty cell does not
]


def test_html_gbk_page_with_chrome_and_spans():
    extracted = read_html(PAGE.encode("gbk"))
    assert (extracted.text.split("\n"), extracted.medium) == (PAGE_LINES, "html")


@pytest.mark.parametrize(
    "data",
    [
        PAGE.encode("utf-8"),
        b"\xef\xbb\xbf" + PAGE.encode("utf-8"),
        PAGE.replace("gb2312", "utf-8").encode("gbk"),  # declared wrongly, as some sites do
        PAGE.replace('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "").encode("gbk"),
        PAGE.encode("utf-8").replace("版权所有".encode(), b"\xe7\x89"),  # one broken UTF-8 sequence
    ],
)
def test_html_decoding(data):
    assert read_html(data).text.split("\n") == PAGE_LINES


def test_html_layout_tables_give_prose_and_inline_elements_do_not_break_lines():
    prose = "2023年，本机关" + "认真贯彻落实《条例》，" * 10
    html = f"""<html><body><table><tr><td>左侧栏目</td><td><p>{prose}</p><p>第二段<b>加粗</b>文字。</p>
    <table><tr><td>行政许可</td><td>550</td></tr></table></td></tr></table>
    <article><header><h2>二、主动公开</h2></header><table><tr><td>只有一列的框</td></tr></table></article>
    </body></html>"""
    assert read_html(html.encode()).text.split("\n") == [
        "左侧栏目",
        prose,
        "第二段加粗文字。",
        "行政许可\t550",
        "二、主动公开",
        "只有一列的框",
    ]


@pytest.mark.parametrize("wrapper", [("<div>", "</div>"), ("<table><tr><td>", "</td></tr></table>")])
def test_html_deep_nesting_does_not_crash(wrapper):
    opening, closing = wrapper
    html = "<html><body>" + opening * 5000 + "<p>深处</p>" + closing * 5000 + "<p>之后</p></body></html>"
    assert read_html(html.encode()).text.split("\n") == ["深处", "之后"]


# --- one convention across media -----------------------------------------------------------------------------


def test_same_table_reads_the_same_from_word_and_html():
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "信息内容"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "法人或其他组织"
    for (row, column), text in {(1, 1): "商业\n企业", (1, 2): "其他", (2, 0): "一、本年新收", (2, 1): "0"}.items():
        table.cell(row, column).text = text
    html = (
        "<table><tr><td rowspan=2>信息内容</td><td colspan=2>法人或其他组织</td></tr>"
        "<tr><td>商业<br>企业</td><td>其他</td></tr><tr><td>一、本年新收</td><td>0</td><td></td></tr></table>"
    )
    expected = "信息内容\t法人或其他组织\n商业企业\t其他\n一、本年新收\t0\t"
    assert read(docx_bytes(document), "t.docx").text == expected
    assert read(html.encode(), "t.html").text == expected


def test_kangxi_radicals_and_compatibility_forms_become_the_ideographs() -> None:
    """Some PDF producers map glyphs to radicals: ⼈ (U+2F08), ⺠ (U+2EA0), ⽉ (U+2F49), ⻓ (U+2ED3)."""
    from nlp.ingest.normalize import normalize

    assert normalize("⼈⺠政府 2021年1⽉1⽇ ⻓期 ⻔户（一）") == "人民政府 2021年1月1日 长期 门户（一）"


def test_markdown_heading_and_bold_marks_are_not_words() -> None:
    from nlp.ingest.text import read_text

    text = read_text("## 表二：主动公开\n**政府信息公开工作情况统计表**\n| 规章 | 22 | 235 |\n".encode()).text
    assert text == "表二：主动公开\n政府信息公开工作情况统计表\n规章\t22\t235\n"


def test_pdfminer_log_lines_do_not_reach_the_terminal() -> None:
    """`Could not get FontBBox from font descriptor` is pdfminer coping, logged as a warning: not for a user."""
    import logging

    import nlp.ingest.pdf  # noqa: F401 - importing the reader is what sets it

    assert logging.getLogger("pdfminer").getEffectiveLevel() >= logging.ERROR
