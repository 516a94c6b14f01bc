"""RTF, HTML and mail: GBK escapes and \\uN in RTF, the charset of a page, inline tags inside
a mark, the title as a marking position, the subject, bodies and attachments of a mail."""

from __future__ import annotations

from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest

from baomi.scanner.extract import extract
from baomi.scanner.model import Limits, Location
from tests.scanner.corpus import TEST_LIMITS, differences, read_tree, rtf_escape, shared_corpus


@pytest.mark.rule("S9")
@pytest.mark.parametrize("relative", ["markup/memo.rtf", "markup/page.html", "mail/notice.eml"])
def test_planted_texts_come_out_where_they_were_planted(relative):
    root, truths = shared_corpus()
    assert differences(read_tree(root, relative), truths[relative]) == []


@pytest.mark.parametrize(("code_page", "text"), [("936", "机密★10年"), ("950", "機密★10年")])
def test_rtf_hex_escapes_follow_the_declared_code_page(code_page, text):
    source = "{\\rtf1\\ansi\\ansicpg" + code_page + " " + rtf_escape(text, f"cp{code_page}") + "\\par}"
    assert extract(source.encode("ascii"), "a.rtf", TEST_LIMITS).segments[0].text.strip() == text


def test_html_title_is_its_own_part_and_scripts_are_not_text():
    page = ("<html><head><title>机密★5年</title><script>var s='秘密★1年';</script></head>"
            "<body>正文</body></html>")
    segments = extract(page.encode("utf-8"), "a.htm", TEST_LIMITS).segments
    assert segments[0] == type(segments[0])("机密★5年", Location(part="title"))
    assert all("秘密" not in segment.text for segment in segments)


def test_html_charset_from_meta_else_detected():
    page = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>' \
           "<body><p>秘密★6个月</p></body></html>"
    for data in (page.encode("gb18030"), page.replace("gb2312", "utf-8").encode("utf-8")):
        texts = [segment.text for segment in extract(data, "a.html", TEST_LIMITS).segments]
        assert "秘密★6个月" in texts


def test_mail_attachment_too_large_is_skipped():
    message = MIMEMultipart()
    message["From"] = "a@b.cn"
    message["Subject"] = "x"
    big = MIMEText("机" * 3000, "plain", "utf-8")
    big.add_header("Content-Disposition", "attachment", filename="big.txt")
    message.attach(big)
    extracted = extract(message.as_bytes(), "m.eml", Limits(max_file_bytes=5000))
    assert extracted.skipped == [("big.txt", "too_large", "9000 bytes")]
    assert extracted.children == []
