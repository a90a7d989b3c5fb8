"""No page costs more than linear time: pages of about 1 MB built the ways two adversarial
reviews (2026-12-02) found quadratic or worse each finish well within a minute, in a process of
their own so that a regression fails here instead of hanging the suite. Before the fixes each
took from a quarter of an hour to days (extrapolated from timings at 20–500 kB; the README's
`hostile` benchmark row); now each takes well under a second, the nests a few seconds. A bound
on a hang, a hundred times the time taken, not a speed target (those are benchmarks)."""

from __future__ import annotations

import subprocess
import sys

import pytest

READ = """
import sys
from feedbot.extract import decode_page, parse_article
base = "https://www.joongang.co.kr"
def page(body="<p>본문 문단.</p>", head="", title="제목"):
    return (f"<html><head>{head}</head><body><h1 class='headline'>{title}</h1>"
            f"<div id='article_body'>{body}</div></body></html>").encode()
data = DATA
article = parse_article(decode_page(data, "text/html").text, base + "/article/25400001", base)
assert article.body_text, "no text"
"""

MB = 1_000_000
CASES = {
    # bs4's <meta charset> regex over 5 % of the page: cubic
    "charset prescan": 'b"<metaXcharset=X" * (MB // 15) + page()',
    # `[\w.+-]+@` tried from every letter: quadratic
    "byline of letters": "page(\"<p>본문.</p><div class='ab_byline'>홍길동 기자 \" + 'a' * MB + '</div>')",
    # `\s*[|-]\s*중앙일보\s*$` tried from every position of a run of white space
    "headline of newlines": 'page(title="제목" + "\\n " * (MB // 2) + "x")',
    # `\s*(기자|…)$` on a reporter's name
    "reporter name of newlines": (
        'page(head=\'<script type="application/ld+json">{"@type": "NewsArticle", '
        '"author": {"name": "김민지\' + "\\\\n" * (MB // 2) + \'x"}}</script>\')'
    ),
    # `(?:<br>\s*)+$` tried from every <br> of a list item
    "list item of line breaks": 'page("<ul><li>x" + "<br>" * (MB // 4) + "y</li></ul>")',
    # the advertisement-label walk, down the whole nest from each of its levels
    "nest of divs": 'page("<div>" * (MB // 11) + "글" + "</div>" * (MB // 11))',
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_page_built_to_be_slow_is_read_in_linear_time(case: str) -> None:
    code = READ.replace("DATA", CASES[case]).replace("MB", str(MB))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
