"""Shared test helpers: configs against the replica, stories, the Debian tools the tests drive
(jing, newsboat). Fixtures live in conftest.py; test modules import helpers from here only."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from feedbot.config import (
    Config,
    FetchConfig,
    OutputConfig,
    SiteConfig,
    StoreConfig,
    parse_config,
)
from feedbot.models import Article, Author, Classification, StoredArticle, TopicSpec
from feedbot.normalize import KST
from feedbot.render.feed import FeedMeta
from feedbot.replica import ReplicaServer
from feedbot.replica.stories import STORIES
from feedbot.store.db import Store

T0 = datetime(2026, 11, 25, 0, 0, tzinfo=UTC)

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
ATOM_SCHEMA = SCHEMAS / "atom-rfc3339.rnc"
OPML_SCHEMA = SCHEMAS / "opml2.rnc"


# the JSON-LD keys the extractor reads: hostile-document strategies draw object keys from these
LD_KEYS = [
    "@type",
    "@graph",
    "headline",
    "datePublished",
    "dateModified",
    "author",
    "name",
    "email",
    "image",
    "url",
    "description",
]


def fast_fetch(**changes: object) -> FetchConfig:
    """Politeness shortened for tests against our own replica."""
    values: dict[str, object] = {
        "min_interval_s": 0.0,
        "jitter_s": 0.0,
        "retries": 1,
        "backoff_s": 0.01,
        "timeout_s": 5.0,
    }
    values.update(changes)
    return FetchConfig(**values)  # type: ignore[arg-type]


def replica_config(replica: ReplicaServer, tmp_path: Path, **fetch: object) -> Config:
    return Config(
        site=SiteConfig(base_url=replica.url),
        fetch=fast_fetch(**fetch),
        store=StoreConfig(path=tmp_path / "feedbot.db"),
        output=OutputConfig(dir=tmp_path / "feeds"),
    )


def semiconductor_topics() -> tuple[TopicSpec, ...]:
    """The built-in topics plus one a curator adds in config alone."""
    return parse_config(
        {
            "topics": {
                "semiconductor": {
                    "title": "반도체",
                    "threshold": 6,
                    "terms": {"반도체": 3, "HBM": 3},
                }
            }
        }
    ).topics


def fixed_now() -> datetime:
    return datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


def require_tool(name: str, env: str) -> str:
    """The path of a Debian tool the tests use. .ci/run installs it and sets `env`=1, which
    turns its absence into a failure; elsewhere the test is skipped."""
    found = shutil.which(name)
    if found is None:
        if os.environ.get(env) == "1":
            pytest.fail(f"{name} is required ({env}=1) but not installed")
        pytest.skip(f"{name} not installed (apt-get install {name})")
    return found


def newsboat_items(url: str, home: Path) -> int:
    """Load one feed URL in newsboat, headless, with its own config and cache; return how many
    items it stored."""
    import sqlite3

    newsboat = require_tool("newsboat", "FEEDBOT_REQUIRE_NEWSBOAT")
    home.mkdir(parents=True, exist_ok=True)
    (home / "urls").write_text(url + "\n", encoding="utf-8")
    (home / "config").write_text("", encoding="utf-8")
    result = subprocess.run(
        [
            newsboat,
            "-x",
            "reload",
            "-u",
            str(home / "urls"),
            "-c",
            str(home / "cache.db"),
            "-C",
            str(home / "config"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "HOME": str(home)},
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(home / "cache.db") as db:
        return int(db.execute("SELECT COUNT(*) FROM rss_item").fetchone()[0])


def jing_check(path: Path, schema: Path = ATOM_SCHEMA) -> None:
    """Validate an Atom file against RFC 4287's RELAX NG schema (with RFC 3339 offsets).

    jing is installed by .ci/run; where it is missing the check is skipped unless
    FEEDBOT_REQUIRE_JING=1 (set in CI), which turns its absence into a failure."""
    jing = require_tool("jing", "FEEDBOT_REQUIRE_JING")
    result = subprocess.run([jing, "-c", str(schema), str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def write_config(config: Config, path: Path, extra: str = "") -> Path:
    path.write_text(
        f'[site]\nbase_url = "{config.site.base_url}"\n'
        f"[fetch]\nmin_interval_s = {config.fetch.min_interval_s}\njitter_s = 0.0\n"
        "retries = 1\nbackoff_s = 0.01\n"
        f'[store]\npath = "{config.store.path}"\n[output]\ndir = "{config.output.dir}"\n' + extra,
        encoding="utf-8",
    )
    return path


# Distinct texts for new stories (identical copies would be near-duplicates, and dropped).
FRESH_TEXTS = (
    "가상자산 거래소 코빗이 수수료 무료 행사를 한 달 연장했다. 신규 가입자가 두 배로 늘었다.",
    "금융위원회가 스테이블코인 발행사의 준비금 공시 기준을 새로 만들었다. 매달 감사 보고서를 내야 한다.",
    "비트코인 채굴 난이도가 사상 최고치를 기록했다. 채굴 수익성은 반감기 이후 크게 떨어졌다.",
    "업비트가 원화 마켓에 새 코인 세 종을 상장했다. 상장 직후 거래량이 급증했다.",
    "한국은행이 예금토큰 실험 참여 은행을 열 곳으로 늘렸다. 대중교통 결제에도 시범 적용한다.",
    "토큰증권 장외거래소 예비인가 심사가 시작됐다. 심사에는 석 달이 걸릴 전망이다.",
    "빗썸이 해외 거래소와 오더북 공유를 추진한다. 금융당국은 자금세탁 위험을 먼저 살피겠다고 했다.",
    "가상자산 과세를 앞두고 해외 거래소로 옮기는 투자자가 늘고 있다. 국세청은 신고 안내를 시작했다.",
    "닥사가 상장 심사 공통 기준을 개정했다. 유통량 공시를 어긴 코인은 곧바로 유의 종목이 된다.",
    "이더리움 기반 디파이 서비스의 예치 규모가 반년 만에 두 배로 커졌다. 해킹 우려도 함께 커졌다.",
    "NFT 기반 멤버십을 내놓는 유통업체가 늘고 있다. 블록체인 기록으로 혜택 양도를 관리한다.",
    "코인 시세조종 혐의로 기소된 작전 세력에 징역형이 선고됐다. 가상자산이용자보호법 첫 판결이다.",
    "가상자산 지갑 업체가 기관 전용 수탁 서비스를 시작했다. 보험 한도는 1000억원이다.",
    "원화 연동 디지털 토큰 실증에 편의점과 카페 500곳이 참여한다. 결제 수수료는 카드의 절반이다.",
    "비트코인 현물 ETF 국내 도입을 촉구하는 국회 토론회가 열렸다. 증권업계는 제도 정비를 요구했다.",
    "거래소 해킹에 대비한 콜드월렛 보관 비율이 80%로 상향된다. 위반하면 영업정지를 받을 수 있다.",
    "코인원이 기업 고객용 정산 서비스를 내놨다. 해외 송금 시간이 하루에서 10분으로 줄어든다.",
    "블록체인 게임사가 토큰 발행을 중단했다. 국내 규제와 시세 하락이 겹친 결과다.",
    "가상자산 사업자 신고 갱신 심사에서 두 곳이 탈락했다. 이용자는 한 달 안에 자산을 옮겨야 한다.",
    "중앙은행 디지털화폐 국가 간 송금 실험에 한국이 합류했다. 결과는 내년 상반기 나온다.",
)


def fresh_story(index: int):  # type: ignore[no-untyped-def]
    """A new crypto story in 2025 markup, reporters only in the page (no JSON-LD)."""
    base = STORIES[1]
    text = FRESH_TEXTS[index % len(FRESH_TEXTS)]
    return replace(
        base,
        id=25402000 + index,
        title=f"가상자산 소식 {index}: {text[:18]}",
        description=text.split(". ")[0] + ".",
        blocks=(text, f"관계자는 “시장 반응을 지켜보며 후속 조치를 검토하겠다”고 말했다({index})."),
        published=base.published + timedelta(days=2, minutes=index),
        updated=None,
    )


def article(story_id: int = 25400001, **changes: object) -> Article:
    base = Article(
        id=story_id,
        url=f"https://www.joongang.co.kr/article/{story_id}",
        title="제목",
        factpl_tag=True,
        description="요약",
        published=datetime(2026, 11, 24, 9, 0, tzinfo=KST),
        updated=None,
        authors=(Author("김민지", "kim@joongang.co.kr"),),
        section="경제",
        subsection="IT·과학",
        image=None,
        body_html="<p>본문</p>",
        body_text="본문",
        tags=("AI",),
        member_only=False,
        provenance={"title": "page"},
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def save(store: Store, item: Article, when: datetime) -> str:
    """Store one article as a fetch of its page would (validators, fetched URL)."""
    return store.save_article(
        item, when, etag='"e"', last_modified=None, fetched_url=f"http://x/article/{item.id}"
    )


def older_stories():  # type: ignore[no-untyped-def]
    """Six crypto stories in September and October 2026."""
    for index, (month, day) in enumerate([(9, 3), (9, 17), (9, 28), (10, 5), (10, 14), (10, 30)]):
        yield replace(
            fresh_story(10 + index), published=datetime(2026, month, day, 9, 0, tzinfo=KST)
        )


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


BASE = "https://news.example.org/feeds/"
META = FeedMeta(
    "all",
    "팩플",
    "부제",
    BASE + "all.atom",
    "https://www.joongang.co.kr/factpl",
    BASE + "icon.png",
    BASE + "logo.png",
    BASE + "all.html",
    datetime(2026, 10, 1, 9, 30, tzinfo=UTC),
)
TITLES = {"ai": "AI", "crypto": "가상자산"}


def stored(**changes: object) -> StoredArticle:
    """A stored story labelled ai, built from `article(**changes)`."""
    first = changes.pop("first_seen", T0)
    changed = changes.pop("changed", first)
    topics = changes.pop(
        "topics", Classification(("ai",), {"ai": 12.0}, {"ai": ("title: 'AI' ×1 +9",)})
    )
    return StoredArticle(article(**changes), "h", first, first, changed, topics)  # type: ignore[arg-type]
