"""HTML for the replica, following the real site's markup (docs/site-markup.md: the list page,
the article page).

Links are written the way the real site writes them (absolute `https://www.joongang.co.kr/…`
hosts, with some relative, tracked and fragment variants): the scraper must recognise articles
by id and fetch them from its own configured base URL.
"""

from __future__ import annotations

import json
import zlib
from datetime import datetime
from html import escape
from importlib import resources

from feedbot.replica.stories import PDS, SEED, Photo, Special, Story

SITE = "https://www.joongang.co.kr"
PROMO = (
    "※ 지금 뜨는 기업ㆍ기술 궁금하세요? 요즘 핫한 테크 소식을 입체적으로 뜯어보는 ‘기사 +α’를 "
    "만나보세요.<br>👉 https://www.joongang.co.kr/factpl"
)


def _e(text: str) -> str:
    """Escape for HTML, writing U+00A0 as &nbsp; the way the site does."""
    return escape(text, quote=True).replace("\u00a0", "&nbsp;")


def tagged_title(story: Story) -> str:
    if story.tag == "prefix":
        return f"[팩플] {story.title}"
    if story.tag == "suffix":
        return f"{story.title} [팩플]"
    return story.title


def _dot(moment: datetime) -> str:
    return moment.strftime("%Y.%m.%d %H:%M")


def _head(title: str, extra: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="ko">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)} | 중앙일보</title>\n"
        '<link rel="stylesheet" href="https://static.joongang.co.kr/css/common.css">\n'
        f"{extra}"
        '<script src="https://static.joongang.co.kr/js/common.js"></script>\n'
        "</head>\n"
    )


_HEADER = (
    '<header id="header" class="header"><h1 class="logo"><a href="https://www.joongang.co.kr">'
    '중앙일보</a></h1><nav class="gnb"><ul><li><a href="https://www.joongang.co.kr/politics">정치'
    '</a></li><li><a href="https://www.joongang.co.kr/money">경제</a></li><li>'
    '<a href="https://www.joongang.co.kr/factpl?cloc=joongang-section-gnb2">팩플</a></li></ul>'
    "</nav></header>\n"
)
_FOOTER = (
    '<div id="footer" class="footer footer22"><ul><li><a href="https://www.joongang.co.kr/etc/'
    'company" data-evnt-ctg="footer" data-evnt-act="move" data-evnt-lbl="회사소개">회사소개</a>'
    "</li></ul><p>Copyright by JoongAng Ilbo Co., Ltd. All Rights Reserved</p></div>\n"
)


# ---------------------------------------------------------------------------------------------
# list pages


def _card_href(story_id: int, variant: int) -> str:
    """The link variants seen on the site: absolute, relative, tracked, with a fragment."""
    forms = (
        f"{SITE}/article/{story_id}",
        f"/article/{story_id}",
        f"{SITE}/article/{story_id}?cloc=joongang-section-factpl",
        f"{SITE}/article/{story_id}#home",
        f"//www.joongang.co.kr/article/{story_id}",
    )
    return forms[variant % len(forms)]


def card_html(
    story_id: int, title: str, description: str, when: datetime, image: Photo | None, variant: int
) -> str:
    href = _card_href(story_id, variant)
    figure = ""
    if image is not None:
        if variant % 3 == 0:  # lazy: resized src, original in data-src
            img = (
                f'<img src="{image.src}/_ir_205x115_/" data-src="{image.src}" '
                f'alt="{_e(image.caption)}">'
            )
        elif variant % 3 == 1:  # plain resized rendition only
            img = f'<img src="{image.src}/_ir_205x115_/" alt="{_e(image.caption)}">'
        else:  # protocol-relative, placeholder src
            rel = image.src.removeprefix("https:")
            img = (
                '<img src="https://static.joongang.co.kr/img/blank.gif" '
                f'data-src="{rel}" alt="{_e(image.caption)}">'
            )
        figure = f'<figure class="card_image"><a href="{href}">{img}</a></figure>\n  '
    return (
        f'<li class="card">\n  {figure}<div class="card_body">\n'
        f'    <h2 class="headline">\n      <a href="{href}">\n        {_e(title)}\n'
        "      </a>\n    </h2>\n"
        f'    <p class="description sm_hidden"> {_e(description)} </p>\n'
        f'    <div class="meta"><p class="date">{_dot(when)}</p></div>\n'
        "  </div>\n</li>\n"
    )


def _card_image(story: Story, index: int) -> Photo | None:
    if story.image is not None:
        return story.image
    if index % 4 == 3:  # some cards have no figure at all
        return None
    day = story.published.strftime("%Y%m/%d")
    return Photo(f"{PDS}/{day}/thumb-{story.id}.jpg", story.title)


def pagination(page: int, last: int) -> str:
    def link(n: int) -> str:
        return f"{SITE}/factpl?page={n}"

    items = []
    if page == 1:
        items.append(
            '<li class="page_first"><a href="#" class="page_link" role="button" '
            'aria-disabled="true" aria-label="처음 페이지">처음</a></li>'
        )
        items.append(
            '<li class="page_prev"><a href="#" class="page_link" role="button" '
            'aria-disabled="true" aria-label="이전 페이지"><i class="ico_arrow_left"></i></a></li>'
        )
    else:
        items.append(f'<li class="page_first"><a href="{link(1)}" class="page_link">처음</a></li>')
        items.append(
            f'<li class="page_prev"><a href="{link(page - 1)}" class="page_link">'
            '<i class="ico_arrow_left"></i></a></li>'
        )
    for n in range(1, last + 1):
        active = ' class="active"' if n == page else ""
        items.append(f'<li{active}><a href="{link(n)}" class="page_link">{n}</a></li>')
    if page < last:
        items.append(
            f'<li class="page_next"><a href="{link(page + 1)}" class="page_link">'
            '<i class="ico_arrow_right"></i></a></li>'
        )
        items.append(
            f'<li class="page_last"><a href="{link(last)}" class="page_link">마지막</a></li>'
        )
    else:  # no live next link on the last page
        items.append(
            '<li class="page_next"><a href="#" class="page_link" role="button" '
            'aria-disabled="true"><i class="ico_arrow_right"></i></a></li>'
        )
    return (
        '<nav class="pagination_type02" aria-label="pagination"><ul>\n'
        + "\n".join(items)
        + "\n</ul></nav>\n"
    )


ListItem = Story | Special


def list_page(
    items: list[ListItem], page: int, last: int, showcase: list[Story], ranking: list[Story]
) -> str:
    cards = []
    for index, item in enumerate(items):
        if isinstance(item, Special):
            cards.append(card_html(item.id, item.title, item.title, item.published, None, index))
        else:
            cards.append(
                card_html(
                    item.id,
                    tagged_title(item),
                    item.description,
                    item.published,
                    _card_image(item, index),
                    index,
                )
            )
    show = "".join(
        card_html(s.id, tagged_title(s), s.description, s.published, s.image, 0) for s in showcase
    )
    rank = "".join(
        card_html(s.id, tagged_title(s), s.description, s.published, None, 1) for s in ranking
    )
    showcase_html = (
        f'<section class="showcase_general"><ul class="card_list">\n{show}</ul></section>\n'
        if show
        else ""
    )
    return (
        _head("팩플")
        + '<body>\n<div id="wrapper">\n'
        + _HEADER
        + '<main id="container" role="main"><section class="contents">\n'
        + '<header class="section_header_wrap"><strong class="section_title">팩플</strong>'
        + "</header>\n"
        + showcase_html
        + '<div class="row">\n<section class="chain_wrap col_lg9">\n'
        + '<ul id="story_list" class="story_list">\n'
        + "".join(cards)
        + "</ul>\n"
        + pagination(page, last)
        + "</section>\n"
        + '<div class="col_lg3"><section class="aside"><h2 class="title">많이 본 기사</h2>'
        + f'<ul class="card_right_list rank_list">\n{rank}</ul></section></div>\n'
        + "</div>\n</section></main>\n"
        + _FOOTER
        + "</div>\n</body>\n</html>\n"
    )


# ---------------------------------------------------------------------------------------------
# article pages


def _meta_tags(story: Story, title: str, image: str | None) -> str:
    url = f"{SITE}/article/{story.id}"
    tags = []
    if story.og:
        tags += [
            f'<meta property="og:title" content="{_e(title)} | 중앙일보">',
            f'<meta property="og:description" content="{_e(story.description)}">',
            f'<meta property="og:url" content="{url}">',
            '<meta property="og:type" content="article">',
            '<meta property="og:site_name" content="중앙일보">',
            '<meta property="og:locale" content="ko_KR">',
            '<meta property="fb:app_id" content="123456789">',
        ]
        if image:
            tags.append(f'<meta property="og:image" content="{image}">')
        if story.era != "seed":
            iso = story.published.isoformat()
            tags += [
                f'<meta property="article:published_time" content="{iso}">',
                f'<meta property="published_date" content="{iso}">',
            ]
        tags += [
            '<meta name="author" content="중앙일보">',
            '<meta property="article:section" content="중앙일보">',
            f'<meta property="article:section2" content="{_e(story.subsection)}">',
        ]
        for name, _email in story.authors[:1]:
            tags.append(f'<meta property="dable:author" content="{_e(name)}">')
    if story.jsonld:
        data: dict[str, object] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "description": story.description,
            "datePublished": story.published.isoformat(),
            "dateModified": (story.updated or story.published).isoformat(),
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "author": [
                {"@type": "Person", "name": name, **({"email": mail} if mail else {})}
                for name, mail in story.authors
            ],
            "publisher": {"@type": "Organization", "name": "중앙일보"},
        }
        if image:
            data["image"] = [image]
        tags.append(
            '<script type="application/ld+json">'
            + json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
            + "</script>"
        )
    if story.window_article:
        daytime = story.published.strftime("%Y-%m-%d %H:%M:%S")
        tags.append(
            '<script>window.article = { ID: "'
            + str(story.id)
            + '", TITLE: '
            + json.dumps(title, ensure_ascii=False)
            + f', SERVICE_DAYTIME: "{daytime}", SECTION: "팩플" }};</script>'
        )
    return "\n".join(tags) + "\n"


def _dates(story: Story) -> str:
    if story.era == "seed":  # the seed shows the label with no date at all
        return '<div class="datetime"><div class="time_bx"><p class="date">입력</p></div></div>\n'
    rows = []
    for label, moment, prop in (
        ("입력", story.published, "datePublished"),
        ("업데이트", story.updated, "dateModified"),
    ):
        if moment is None:
            continue
        if story.era == "2022":
            rows.append(f'<p class="date">{label} {_dot(moment)}</p>')
        else:
            rows.append(
                f'<p class="date">{label} <time itemprop="{prop}" '
                f'datetime="{moment.isoformat()}">{_dot(moment)}</time></p>'
            )
    return (
        '<div class="datetime"><div class="time_bx">\n  '
        + "\n  ".join(rows)
        + '\n </div><button type="button" class="btn_datetime"><span>업데이트 정보 더보기'
        + "</span></button></div>\n"
    )


def _photo(photo: Photo, era: str) -> str:
    cls = "photo_left" if era == "2022" else "photo_center"
    return (
        f'<div class="ab_photo {cls} " style="width: 480px;"><div class="image">\n'
        f'  <img width="480" data-src="{photo.src}" src="{photo.src}/_ir50_/" '
        f'alt="{_e(photo.caption)}" data-type="article">\n'
        f'  <span class="mask"></span></div><p class="caption">{_e(photo.caption)}</p></div>\n'
    )


def _paragraph(text: str, era: str, number: int) -> str:
    if era == "2025":
        return f'<p data-divno="{number}">{_e(text)}</p>\n'
    return f"<p> {_e(text)}</p>\n"


def _block(block: str | Photo, era: str, number: int) -> str:
    if isinstance(block, Photo):
        return _photo(block, era)
    if block.startswith("## "):
        return f'<div class="ab_sub_heading"><h2>{_e(block[3:])}</h2></div>\n'
    if block.startswith("Q: "):
        question, _, answer = block[3:].partition("\nA: ")
        return f'<div class="ab_qa"><dl><dt>{_e(question)}</dt><dd>{_e(answer)}</dd></dl></div>\n'
    return _paragraph(block, era, number)


_ADS = (
    '<div class="ad_wrap"><div id="ad_art_content_mid" class="ad_box"><span class="ad_label">'
    "ADVERTISEMENT</span><script>googletag.cmd.push(function(){});</script></div></div>\n"
)


def _related(story: Story) -> str:
    other = 25098067
    return (
        '<div class="ab_related_article"><div class="hd"><h2><strong>이 기사 어때요</strong></h2>'
        '</div>\n  <div class="bd"><ul class="text_type"><li><h2 class="headline">'
        f'<a href="https://www.joongang.co.kr/article/{other}" target="_self" '
        'data-evnt-ctg="area:중앙|아티클" data-evnt-act="move:관련기사_텍스트" '
        f'data-evnt-lbl="{story.id}_2">관련 기사: 지난해 같은 주제의 기사</a></h2></li></ul></div></div>\n'
    )


def _byline_block(story: Story) -> str:
    if not story.authors:
        return ""
    text = " ".join(
        f"{name} 기자 {mail}" if mail else f"{name} 기자" for name, mail in story.authors
    )
    if story.era == "2025":
        return f'<div class="ab_byline"><p>{_e(text)}</p></div>\n'
    return f'<div class="ab_byline">{_e(text)}</div>\n'


def _body(story: Story) -> str:
    parts = []
    blocks = story.blocks
    if story.member_only:  # members see the rest; the page shows the first paragraph only
        first_text = next(i for i, b in enumerate(blocks) if isinstance(b, str))
        blocks = blocks[: first_text + 1]
    for index, block in enumerate(blocks):
        parts.append(_block(block, story.era, index + 1))
        if index == 1 and "ads" in story.extras:
            parts.append(_ADS)
        if index == 0 and "box" in story.extras:
            parts.append(
                '<div class="ab_box_article"><div class="ab_box_inner"><p class="ab_box_title">'
                "용어 설명</p><p>TIPS: 민간 투자사가 먼저 투자한 스타트업에 정부가 연구개발 자금을 "
                "매칭해 주는 프로그램.</p></div></div>\n"
            )
    if "vod" in story.extras:
        parts.append('<div class="tag_vod" data-id="vod_8812"></div>\n')
    if "ads" in story.extras:
        parts.append('<div class="ab_ad">ADVERTISEMENT</div>\n')
    if "related" in story.extras:
        parts.append(_related(story))
    if "letter" in story.extras:
        parts.append(
            '<div class="letter_wrap"><strong>팩플레터</strong><p>매주 금요일 테크 소식을 '
            '받아보세요.</p><a href="https://www.joongang.co.kr/newsletter/factpl">구독하기</a></div>\n'
        )
    if story.tag is not None and not story.member_only:
        parts.append(f"<p>{PROMO}</p>\n")
    if not story.member_only:
        parts.append(_byline_block(story))
    return (
        '<div id="article_body" class="article_body fs3" itemprop="articleBody">\n'
        + "".join(parts)
        + "</div>\n"
    )


def _byline_header(story: Story) -> str:
    links = " ".join(
        f'<a href="https://www.joongang.co.kr/reporter/{zlib.crc32(name.encode()) % 10000}">{_e(name)} 기자</a>'
        for name, _ in story.authors
    )
    return f'<div class="byline">{links}</div>\n' if links else ""


def article_page(story: Story, body: str | None = None) -> str:
    """An article page; `body` replaces the rendered body (used for the seed)."""
    title = tagged_title(story)
    image = story.image.src if story.image else None
    if image is None:
        image = next((b.src for b in story.blocks if isinstance(b, Photo)), None)
    header = '<header class="article_header">\n'
    if story.member_only:
        header += '<div class="label_plus"><span class="badge">회원전용</span></div>\n'
    header += (
        '<div class="subhead"><a class="title" href="https://www.joongang.co.kr/money">경제</a>'
        f'<a href="https://www.joongang.co.kr/money/it">{_e(story.subsection)}</a></div>\n'
        f'<h1 class="headline">\n  {_e(title)}\n</h1>\n'
    )
    if story.era == "seed":
        header += '<p class="source">중앙일보</p>\n'
    header += _dates(story) + _byline_header(story) + "</header>\n"
    after = ""
    if story.member_only:
        after += (
            '<div class="plus_login"><p>이 기사는 더중앙플러스 회원 전용 콘텐트입니다. '
            '로그인하고 전체 기사를 읽어보세요.</p><a href="https://www.joongang.co.kr/login">'
            "로그인</a></div>\n"
        )
    if story.tags:
        after += (
            '<div class="tag_wrap">'
            + "".join(
                f'<a class="tag" href="https://www.joongang.co.kr/tag/{_e(t)}"># {_e(t)}</a>'
                for t in story.tags
            )
            + "</div>\n"
        )
    if story.era == "2025":
        after += '<p class="copyright">ⓒ중앙일보(https://www.joongang.co.kr)</p>\n'
    return (
        _head(title, _meta_tags(story, title, image))
        + '<body>\n<div id="wrapper">\n'
        + _HEADER
        + '<main id="container" role="main"><section class="contents">\n<article class="article">\n'
        + header
        + (body if body is not None else _body(story))
        + after
        + "</article>\n</section></main>\n"
        + _FOOTER
        + "</div>\n</body>\n</html>\n"
    )


def seed_body() -> str:
    """The seed text laid out as the site would: twin captions become a photo block."""
    text = (resources.files("feedbot.replica") / "data" / "factpl-altman-2023-05-15.txt").read_text(
        encoding="utf-8"
    )
    blocks = text.split("\n\n")[3:]  # title, "중앙일보", "입력" are the header
    parts = []
    index = 0
    photo = 0
    while index < len(blocks):
        block = blocks[index]
        if index + 1 < len(blocks) and blocks[index + 1] == block:
            photo += 1
            parts.append(_photo(Photo(f"{PDS}/202305/15/seed-photo-{photo}.jpg", block), "2022"))
            index += 2
            continue
        if block.startswith("“") and block.endswith("”") and len(block) < 40:
            parts.append(f'<div class="ab_sub_heading"><h2>{_e(block)}</h2></div>\n')
        elif block.startswith("※"):
            parts.append("<p>" + "<br>".join(_e(line) for line in block.split("\n")) + "</p>\n")
        else:
            parts.append(_paragraph(block, "2022", index))
        index += 1
    return (
        '<div id="article_body" class="article_body fs3" itemprop="articleBody">\n'
        + "".join(parts)
        + "</div>\n"
    )


def seed_page() -> str:
    return article_page(SEED, seed_body())


def notice_page() -> str:
    return (
        _head("서비스 점검 안내")
        + '<body>\n<div id="wrapper">\n'
        + _HEADER
        + '<main id="container" role="main"><section class="contents"><div class="notice">'
        + "<h2>서비스 점검 안내</h2><p>보다 나은 서비스를 위해 점검 중입니다.</p></div>"
        + "</section></main>\n"
        + _FOOTER
        + "</div>\n</body>\n</html>\n"
    )


def not_found_page() -> str:
    return (
        _head("페이지를 찾을 수 없습니다")
        + "<body><p>요청하신 페이지를 찾을 수 없습니다.</p></body></html>\n"
    )


ROBOTS_ALLOW = (
    "User-agent: *\n"
    "Disallow: /search\n"
    "Disallow: /_CP/\n"
    "Allow: /\n\n"
    "Sitemap: https://www.joongang.co.kr/sitemap/latest-articles\n"
)
ROBOTS_DENY_ALL = "User-agent: *\nDisallow: /\n"
