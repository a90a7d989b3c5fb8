"""Mutated 팩플 pages from a seed: the replica's pages and the saved pages, changed the ways real
pages drift (comments anywhere, truncation, moved and duplicated ids, loose text, nested ads,
old date lines, renamed classes, dropped end tags). Deterministic for a given seed."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from feedbot.replica import ReplicaSite
from feedbot.replica.pages import seed_page
from feedbot.replica.stories import SEED_ID

PAGES = Path(__file__).parent / "data" / "pages"
LIST_URL = "https://www.joongang.co.kr/factpl"


@dataclass(frozen=True)
class Sample:
    kind: str  # "article" or "list"
    url: str
    html: str
    how: tuple[str, ...]  # the mutations applied, for a failure message


def sources() -> list[tuple[str, str, str]]:
    """(kind, url, html) of every page the mutations start from."""
    site = ReplicaSite()
    found: list[tuple[str, str, str]] = []
    for item in site.listing():
        page = site.page(f"/article/{item.id}", {})
        if page.status == 200:
            found.append(
                ("article", f"https://www.joongang.co.kr/article/{item.id}", page.body.decode())
            )
    found.append(("article", f"https://www.joongang.co.kr/article/{SEED_ID}", seed_page()))
    for number in range(1, site.last_page + 1):
        body = site.page("/factpl", {"page": [str(number)]}).body.decode()
        found.append(("list", LIST_URL, body))
    for path in sorted(PAGES.glob("*.html")):
        html = path.read_text(encoding="utf-8")
        kind = "list" if path.name.startswith("list-") else "article"
        match = re.search(r"/article/(\d+)", html)
        url = (
            LIST_URL
            if kind == "list"
            else f"https://www.joongang.co.kr/article/{match.group(1) if match else 25400001}"
        )
        found.append((kind, url, html))
    return found


_WORDS = [
    "팩플",
    "입력",
    "업데이트",
    "기자",
    "ADVERTISEMENT",
    "ⓒ중앙일보",
    "회원전용",
    "더중앙플러스",
    "AI",
    "※ 지금 뜨는",
    " ",
    "\n\n",
    "\u00a0",
    "&nbsp;",
    "&amp;",
    "👉",
    "2021.08.21 18:35",
]
_CLASSES = [
    "headline",
    "byline",
    "date",
    "subhead",
    "tag_wrap",
    "ab_photo",
    "caption",
    "ab_byline",
    "ad_wrap",
    "ab_ad",
    "ad_box",
    "ab_related_article",
    "letter_wrap",
    "plus_login",
    "label_plus",
    "mask",
    "ab_sub_heading",
    "ab_box_article",
    "ab_quot",
    "article_header",
    "article",
    "card",
    "description",
    "meta",
    "pagination_type02",
    "showcase_general",
    "rank_list",
    "aside",
]
_TAG = re.compile(r"<([a-z][a-z0-9]*)\b[^>]*>")


def _positions(html: str, pattern: str) -> list[int]:
    return [m.end() for m in re.finditer(pattern, html)]


def _insert(rng: random.Random, html: str, piece: str, pattern: str = ">") -> str:
    spots = _positions(html, pattern) or [len(html)]
    at = rng.choice(spots)
    return html[:at] + piece + html[at:]


def _text_spot(rng: random.Random, html: str, piece: str) -> str:
    """Inside a run of text (between two characters of a word)."""
    spots = [m.start() + 1 for m in re.finditer(r">[^<>\s]{2,}", html)]
    if not spots:
        return html
    at = rng.choice(spots) + 1
    return html[:at] + piece + html[at:]


def comment(rng: random.Random, html: str) -> str:
    piece = rng.choice(
        ["<!-- c -->", "<!---->", "<!-- <p>숨은</p> -->", "<?php echo 1 ?>", "<!-- a\n\n b -->"]
    )
    return _text_spot(rng, html, piece) if rng.random() < 0.5 else _insert(rng, html, piece)


def truncate(rng: random.Random, html: str) -> str:
    return html[: rng.randrange(len(html) // 3, len(html))]


def move_id(rng: random.Random, html: str) -> str:
    name = rng.choice(["article_body", "story_list", "footer", "header", "container", "ad_x"])
    choice = rng.random()
    if choice < 0.3:  # remove it
        return html.replace(f'id="{name}"', "", 1)
    if choice < 0.5:  # an anchor of that name first
        return _insert(rng, html, f'<a name="{name}">x</a>')
    tags = list(_TAG.finditer(html))
    if not tags:
        return html
    target = rng.choice(tags)
    if choice < 0.8:
        html = html.replace(f'id="{name}"', "", 1)  # moved, not copied
    at = target.start() + 1 + len(target.group(1))
    return html[:at] + f' id="{name}"' + html[at:]


def loose_text(rng: random.Random, html: str) -> str:
    piece = "".join(rng.choice(_WORDS) for _ in range(rng.randrange(1, 4)))
    if rng.random() < 0.3:
        piece = rng.choice(["\n\n", "  \n  ", "\t", "\n \n"])
    return _insert(rng, html, piece, rng.choice([">", "</p>", "</div>", "<br>", "</a>"]))


def nested_ad(rng: random.Random, html: str) -> str:
    piece = rng.choice(
        [
            '<div class="ad_wrap"><div class="ad_box">ADVERTISEMENT</div></div>',
            '<div class="ad_wrap"><p>광고 <span class="ab_ad">안쪽</span></p><div class="ad_wrap">x</div></div>',
            "<div><span>ADVER</span><b>TISEMENT</b></div>",
            '<div id="ad_art_content_mid"><div>ADVERTISEMENT</div></div>',
            "<p>ADVERTISEMENT 아닌 글</p>",
            '<span class="ad_wrap">광고</span>',
            '<div class="ab_related_article"><h2 class="headline"><a href="/article/25098067">관련</a></h2></div>',
        ]
    )
    if rng.random() < 0.5:  # wrap an existing paragraph
        html = re.sub(r"<p>", '<div class="ad_wrap"><p>', html, count=1)
    return _insert(
        rng, html, piece, rng.choice(["</p>", '<div id="article_body"[^>]*>', "<p>", ">"])
    )


def old_dates(rng: random.Random, html: str) -> str:
    choice = rng.random()
    if choice < 0.4:  # the 2021 form: text only
        return re.sub(r"<time[^>]*>(.*?)</time>", r"\1", html)
    if choice < 0.6:
        line = rng.choice(
            [
                "입력 2021.08.21 18:35",
                "업데이트 2021.08.22 09:10",
                "입력",
                "입력 2021-08-21",
                "업데이트 2021.13.45 99:99",
            ]
        )
        return _insert(
            rng,
            html,
            f'<p class="date">{line}</p>',
            rng.choice(['<header class="article_header">', "<body>", "<p>", ">"]),
        )
    if choice < 0.8:  # no article header at all: dates and bylines are looked for everywhere
        return html.replace('class="article_header"', 'class="header_x"')
    return _insert(
        rng, html, '<time itemprop="datePublished" datetime="2020-01-02T03:04:00">2020.01.02</time>'
    )


def rename_class(rng: random.Random, html: str) -> str:
    old, new = rng.choice(_CLASSES), rng.choice(_CLASSES)
    return re.sub(rf'class="([^"]*)\b{old}\b', rf'class="\1{new}', html, count=rng.randrange(1, 4))


def add_class(rng: random.Random, html: str) -> str:
    tags = list(_TAG.finditer(html))
    if not tags:
        return html
    target = rng.choice(tags)
    at = target.start() + 1 + len(target.group(1))
    return html[:at] + f' class="{rng.choice(_CLASSES)}  x"' + html[at:]


def drop_end_tag(rng: random.Random, html: str) -> str:
    ends = list(re.finditer(r"</(p|div|a|span|li|header|article|h1|figure)>", html))
    if not ends:
        return html
    end = rng.choice(ends)
    return html[: end.start()] + html[end.end() :]


def duplicate_block(rng: random.Random, html: str) -> str:
    blocks = list(re.finditer(r"<(p|div|li|figure)\b[^>]*>.*?</\1>", html, re.DOTALL))
    if not blocks:
        return html
    block = rng.choice(blocks)
    return _insert(rng, html, block.group(0))


def inline_noise(rng: random.Random, html: str) -> str:
    piece = rng.choice(
        [
            "<br>",
            "<br><br>",
            "<b></b>",
            "<i> </i>",
            "<strong>굵게</strong>",
            "<a href='#x'>앵커</a>",
            "<a href='javascript:x()'>j</a>",
            "<font>f</font>",
            "<img src='blank.gif' data-src='//pds.joongang.co.kr/a.jpg/_ir50_/' alt='대체'>",
            "<script>window.article = {SERVICE_DAYTIME: '2026-01-01 01:01:01'}</script>",
        ]
    )
    return _text_spot(rng, html, piece) if rng.random() < 0.5 else _insert(rng, html, piece)


def chrome(rng: random.Random, html: str) -> str:
    """Site menus before and after the story, some of them with the story's own class names."""
    links = "".join(
        f'<li class="{rng.choice(["", "on", rng.choice(_CLASSES)])}"><a href="/section/{n}?cloc=gnb"'
        f' data-evnt-ctg="gnb">섹션 {n}</a></li>'
        for n in range(rng.randrange(5, 60))
    )
    header = f'<header id="header" class="header"><nav class="gnb"><ul>{links}</ul></nav></header>'
    html = html.replace("<body>", "<body>" + header, 1)
    return _insert(
        rng,
        html,
        f'<div id="footer" class="footer"><ul>{links}</ul></div>',
        "</main>|</article>|</div>",
    )


_STRAYS = [
    '<meta property="og:title" content="밖의 제목">',
    '<h1 class="headline">밖의 헤드라인</h1>',
    '<div id="article_body"><p>밖의 본문</p></div>',
    '<div class="plus_login">로그인</div>',
    '<div class="tag_wrap"><a class="tag"># 밖</a></div>',
    '<p class="date">입력 2021.08.21 18:35</p>',
    '<div class="byline"><a>밖기자 기자</a></div>',
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "밖"}</script>',
    '<ul id="story_list"><li class="card"><a href="/article/25499998">밖 카드</a></li></ul>',
    '<nav class="pagination_x"><a href="?page=9">9</a></nav>',
    "<html class='date'><body>다시</body></html>",
]


def stray(rng: random.Random, html: str) -> str:
    """Elements before the page's <html> or after its </html> (broken templates do both)."""
    piece = "".join(rng.choice(_STRAYS) for _ in range(rng.randrange(1, 4)))
    return piece + html if rng.random() < 0.3 else html + piece


MUTATIONS: dict[str, Callable[[random.Random, str], str]] = {
    "comment": comment,
    "truncate": truncate,
    "move_id": move_id,
    "loose_text": loose_text,
    "nested_ad": nested_ad,
    "old_dates": old_dates,
    "rename_class": rename_class,
    "add_class": add_class,
    "drop_end_tag": drop_end_tag,
    "duplicate_block": duplicate_block,
    "inline_noise": inline_noise,
    "chrome": chrome,
    "stray": stray,
}


def mutated(seed: int, count: int) -> Iterator[Sample]:
    """`count` mutated pages; each gets one to five mutations (truncation at most once, last)."""
    rng = random.Random(seed)
    base = sources()
    names = [n for n in MUTATIONS if n != "truncate"]
    for _ in range(count):
        kind, url, html = rng.choice(base)
        how = [rng.choice(names) for _ in range(rng.randrange(1, 6))]
        if rng.random() < 0.15:
            how.append("truncate")
        for name in how:
            html = MUTATIONS[name](rng, html)
        yield Sample(kind, url, html, tuple(how))
