"""Topic classification: trap families, particles, multi-label, config, the classify CLI."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from feedbot.cli import main
from feedbot.config import Config, load_model, parse_config
from feedbot.curate.classifier import (
    TopicRule,
    _inside,
    _lacks,
    _merged,
    _stretch,
    classify,
    compile_topics,
    fingerprint,
)
from feedbot.curate.patterns import Pattern, needs
from feedbot.errors import ConfigError
from feedbot.models import Classification
from feedbot.replica.stories import STORIES

RULES = compile_topics(Config().topics)
DATA = Path(__file__).parent / "data"


def labels(title: str, text: str = "") -> set[str]:
    return set(classify(RULES, title, text).labels)


@pytest.mark.parametrize(
    ("title", "text", "topic", "expected"),
    [
        # Latin tokens as words, Hangul particles allowed
        ("AI를 둘러싼 규제 논쟁", "정부가 AI 기본법 시행령을 내놨다.", "ai", True),
        ("생성AI가 바꾼 검색", "오픈AI의 챗GPT가 검색 시장을 흔든다.", "ai", True),
        ("NFT로 암표 막는다", "공연계가 NFT 티켓과 블록체인 기록을 도입한다.", "crypto", True),
        ("STO 장외시장 열린다", "토큰증권 거래가 내년부터 허용된다.", "crypto", True),
        # letters inside other words
        ("AIA생명 신상품", "AIA생명이 건강보험을 내놨다.", "ai", False),
        ("서버 RAID 장애", "RAID 구성 오류로 누리집이 멈췄다.", "ai", False),
        ("OpenAIR 매장 개점", "캠핑 브랜드 OpenAIR가 매장을 열었다.", "ai", False),
        # avian influenza called AI
        ("고병원성 AI 또 확진", "오리 농장에서 AI 항원이 나와 살처분했다.", "ai", False),
        ("AI 방역 비상", "철새 도래지에서 AI가 검출돼 가금 농장 출입을 막았다.", "ai", False),
        # ...but a real AI story that mentions quarantine work is still AI
        (
            "인공지능으로 방역 효율화",
            "인공지능 영상 분석으로 방역 당국이 철새 이동을 예측한다.",
            "ai",
            True,
        ),
        # coin-operated things
        ("코인노래방 다시 는다", "코인노래방 창업이 늘었다.", "crypto", False),
        ("코인 노래방 심야 영업", "코인 노래방 영업 제한이 풀린다.", "crypto", False),
        ("코인빨래방 화재", "무인 코인 빨래방에서 불이 났다.", "crypto", False),
        ("요즘 대세 코인육수", "코인육수 한 알이면 국물이 완성된다.", "crypto", False),
        ("코인 시세 급락", "비트코인 등 가상자산 가격이 급락했다.", "crypto", True),
        # coin cells are batteries
        (
            "버튼형·코인형 전지 안전기준",
            "코인형 전지를 삼킨 아이가 다쳤다. 코인 전지 포장을 바꾼다.",
            "crypto",
            False,
        ),
        ("리튬코인건전지 수입 급증", "리모컨용 리튬코인 전지 수입이 늘었다.", "crypto", False),
        ("삼키면 위험한 '코인셀' 배터리", "코인셀 배터리를 삼킨 아이가 다쳤다.", "crypto", False),
        # …but not a coin's form, nor a crypto crime's culprits
        (
            "게임 보상 코인 형태로 지급",
            "P2E 게임이 보상을 코인 형태로 준다. 가상자산이다.",
            "crypto",
            True,
        ),
        (
            "'코인 형제' 다단계 사기",
            "가상자산 투자 사기로 형제가 중형을 받았다. 코인 다단계다.",
            "crypto",
            True,
        ),
        # KOSDAQ firms (코스닥사) are not the exchanges' alliance (닥사)
        (
            "감사의견 거절 상장사 급증",
            "코스닥사 12곳이 감사의견 거절을 받았다. 코스닥사 대부분 적자다.",
            "crypto",
            False,
        ),
        ("닥사, 거래지원 가이드라인 개정", "닥사가 가상자산 상장 기준을 바꾼다.", "crypto", True),
        # a company's division named 이노비즈니스 is not Innobiz
        (
            "KT, '이노비즈니스' 부문 신설",
            "KT가 이노비즈니스 부문을 만들어 B2B를 키운다.",
            "sme",
            False,
        ),
        # penny stocks and coinless society
        ("동전주 급등락", "NFT 테마로 동전주가 급등락했다.", "crypto", False),
        ("동전 없는 사회 5년", "잔돈을 계좌로 적립하는 시범사업이 이어진다.", "crypto", False),
        # 중기 meaning mid-term, joint ventures, the drama
        ("중기 재정계획 발표", "중기 재정지출 증가율을 4%로 잡았다.", "sme", False),
        ("기상청 중기예보", "중기예보에 따르면 다음 주 한파가 온다.", "sme", False),
        ("배터리 조인트벤처 착공", "두 회사의 조인트 벤처가 공장을 짓는다.", "sme", False),
        # a group's in-house startups are its own programme; the ministry's programme for them
        # is policy
        ("대기업 사내 스타트업 분사 러시", "그룹들이 사내스타트업을 독립시킨다.", "sme", False),
        ("중기부, 사내창업 운영기업 20곳 모집", "중소벤처기업부가 사내창업을 돕는다.", "sme", True),
        # (the trap starts a word: a district office's incubator is not "in-house")
        ("구청사 내 창업보육센터 개소", "구청이 옛 구청사 내 창업보육센터를 열었다.", "sme", True),
        ("드라마 ‘스타트업’ 재회", "드라마 스타트업 배우들이 창업 이야기를 나눴다.", "sme", False),
        ("중기부, 소상공인 정책자금 확대", "중소벤처기업부가 소상공인 자금을 늘린다.", "sme", True),
        # one startup's round is business news, not policy
        (
            "핀테크 스타트업 시리즈B 유치",
            "스타트업이 시리즈B 투자를 받아 기업가치 1000억원을 인정받았다.",
            "sme",
            False,
        ),
        # an image model named alone is an AI subject
        ("미드저니 그림이 미술대회 1위…논란", "미드저니로 만든 작품이 입상했다.", "ai", True),
        # a single passing mention in the lead does not make a topic
        ("수능 국어 어려웠다", "출제위원장은 AI 시대에도 독해력이 중요하다고 말했다.", "ai", False),
        # a share price or a market value is market news even when Nvidia leads the headline,
        # unless a model moved it, or it is Nvidia's own results
        (
            "엔비디아, 종가 기준 첫 시가총액 4조 달러 돌파",
            "엔비디아 주가가 AI 칩 품귀 속에 사상 최고로 마감했다. 인공지능 붐이 이어졌다.",
            "ai",
            False,
        ),
        (
            "딥시크 충격에 엔비디아 시총 5890억달러 증발",
            "중국 딥시크의 저비용 AI 모델이 공개되자 엔비디아 주가가 17% 떨어졌다.",
            "ai",
            True,
        ),
        (
            "엔비디아 분기 매출 사상 최대…주가 신고가",
            "엔비디아의 데이터센터 매출이 AI 가속기 수요로 두 배가 됐다.",
            "ai",
            True,
        ),
        (
            "엔비디아 실적 발표 앞두고 주가 신고가",
            "AI 칩 수요 기대에 엔비디아 주가가 올랐다. 월가는 데이터센터 매출을 주목한다.",
            "ai",
            False,
        ),
        # export control written with a particle is still export control; exports that were
        # blocked by tariffs are trade
        (
            "미국, 저사양 AI칩 중국 수출도 막는다",
            "미 상무부가 저사양 인공지능 칩의 중국 수출을 금지하는 규정을 냈다.",
            "ai",
            True,
        ),
        (
            "SK하이닉스 영업익 반토막…AI 서버 수출 막혀",
            "관세 여파로 AI 서버용 메모리 수출이 줄었다. 인공지능 수요도 주춤했다.",
            "ai",
            False,
        ),
        # a workplace-size line of labour law is SME policy; a school's size is not
        (
            "50인 미만 사업장 중대재해처벌법 적용 2년 유예 추진",
            "당정이 소규모 사업장의 준비 부족을 이유로 법 개정을 추진한다.",
            "sme",
            True,
        ),
        (
            "학급당 30인 미만 소규모 학교 통폐합 논의",
            "교육청이 학생 수가 줄어든 학교의 통폐합 기준을 마련한다.",
            "sme",
            False,
        ),
        # big marts' closure days moved are SME policy; a shopper's notice is not
        (
            "대형마트 의무휴업일 평일 전환…서울 첫 조례 개정안 발의",
            "한 자치구 의회에 의무휴업일을 일요일에서 평일로 바꾸는 안이 올라왔다.",
            "sme",
            True,
        ),
        (
            "이번 일요일 대형마트 의무휴업, 평일 전환 지역은 정상영업",
            "이마트와 홈플러스 대부분 점포가 문을 닫는다. 일부 지역 점포는 연다.",
            "sme",
            False,
        ),
        # the small-business statistics and SME-policy words found missing in wave 22's
        # tuning half: closures counted as businesses, a workplace-size range, a supplier's
        # technology misappropriated, Korea's unicorns counted (one unicorn is no count)
        (
            "작년 폐업 사업자 98만명…음식점 비중 최대",
            "국세청 통계에서 문을 닫은 개인·법인 사업자가 크게 늘었다.",
            "sme",
            True,
        ),
        (
            "5~49인 사업장도 중대재해처벌법 대상…현장 준비는 미흡",
            "정부가 시행을 앞두고 안전 컨설팅을 늘린다.",
            "sme",
            True,
        ),
        (
            "공정위, 하도급업체 기술유용한 부품사에 과징금",
            "원사업자가 협력사의 설계도를 받아 다른 업체에 넘긴 혐의다.",
            "sme",
            True,
        ),
        (
            "국내 유니콘 누적 30곳…올해 신규는 2곳",
            "비상장 스타트업 가운데 기업가치 1조원을 넘은 곳을 집계했다.",
            "sme",
            True,
        ),
        (
            "유니콘 된 토스, 해외 진출 속도",
            "기업가치가 크게 오른 토스가 동남아 시장에 나선다.",
            "sme",
            False,
        ),
        # (found by an adversarial review: 유용성 is usefulness, and a headcount line that
        # names no workplace is a gathering's or a nursery's)
        (
            "AI 신약 플랫폼, 임상 예측 기술 유용성 입증",
            "바이오 기업이 인공지능 기반 기술의 유용성을 논문으로 보였다. 제약사와 협업한다.",
            "sme",
            False,
        ),
        (
            "생성형 AI 기술 유용하게 쓰려면…기업 도입 가이드",
            "인공지능 도구를 업무에 들이는 기업이 늘며 활용 사례집이 나왔다.",
            "sme",
            False,
        ),
        (  # written apart, 기술 유용 starts where a list's closer 기술 would
            "공정위, 하도급업체 기술 유용한 부품사에 과징금",
            "원사업자가 협력사의 설계도를 받아 다른 업체에 넘긴 혐의다.",
            "sme",
            True,
        ),
        (
            "실내 집합금지, 50인 미만도 적용…결혼식장 비상",
            "방역 당국이 실내 모임 제한을 소규모 행사로 넓혔다.",
            "sme",
            False,
        ),
    ],
)
def test_trap_families(title: str, text: str, topic: str, expected: bool) -> None:
    assert (topic in labels(title, text)) is expected, classify(RULES, title, text).why[topic]


def test_multi_label_when_each_topic_is_central() -> None:
    title = "중기부, AI 스타트업 전용 모태펀드 조성"
    text = "중소벤처기업부가 생성형 AI 스타트업에 투자하는 모태펀드를 만든다."
    assert labels(title, text) == {"ai", "sme"}


def test_seed_article_is_all_three_topics() -> None:
    from importlib import resources

    seed = (resources.files("feedbot.replica") / "data" / "factpl-altman-2023-05-15.txt").read_text(
        encoding="utf-8"
    )
    title, _, rest = seed.partition("\n\n")
    assert labels(title, rest) == {"ai", "crypto", "sme"}


def test_replica_stories_get_their_editorial_labels() -> None:
    """The replica's stories were labelled when they were written, before any tuning (one,
    Samsung's HBM4 output, relabelled later to follow RULES.md: a memory maker's product is not
    ai). The shipped classifier and the rules alone both get every one."""
    shipped = compile_topics(Config().topics, load_model(Config()))
    wrong: dict[str, list[tuple[int, str, list[str], list[str]]]] = {"shipped": [], "rules": []}
    for story in STORIES:
        text = "\n\n".join(b for b in story.blocks if isinstance(b, str))
        for name, rules in (("shipped", shipped), ("rules", RULES)):
            got = set(classify(rules, story.title, text, story.description).labels)
            if got != set(story.topics):
                wrong[name].append((story.id, story.title, sorted(got), sorted(story.topics)))
    assert wrong["shipped"] == []
    assert wrong["rules"] == []


def test_body_position_weighs_less_than_title() -> None:
    in_title = classify(RULES, "가상자산 시장 점검", "정부가 시장을 점검한다.")
    in_body = classify(RULES, "시장 점검", "정부가 시장을 점검한다.\n\n가상자산도 본다.")
    assert in_title.scores["crypto"] > in_body.scores["crypto"]
    assert "crypto" not in in_body.labels


def test_explanation_names_term_zone_and_points() -> None:
    result = classify(RULES, "업비트 해킹", "가상자산 거래소 업비트가 해킹됐다.")
    assert "title: '업비트' ×1 +12" in result.why["crypto"]
    assert result.why["crypto"][-1].startswith("score ")


@given(st.sampled_from(["AI", "ａｉ", "ＡＩ", "ai"]))
def test_full_width_and_case_do_not_matter(token: str) -> None:
    title = f"{token} 기본법 시행령 공개"
    assert "ai" in labels(title, "인공지능 규제가 구체화됐다.")


def test_curator_adds_a_topic_in_config_alone() -> None:
    config = parse_config(
        {
            "topics": {
                "semiconductor": {
                    "title": "반도체",
                    "threshold": 6,
                    "terms": {"반도체": 3, "HBM": 3, "파운드리": 3},
                }
            }
        }
    )
    rules = compile_topics(config.topics)
    assert [r.id for r in rules] == ["ai", "crypto", "sme", "semiconductor"]
    assert "semiconductor" in classify(rules, "반도체 수출 회복", "HBM 수요가 늘었다.").labels


def test_overriding_a_key_keeps_the_rest_and_disabling_drops() -> None:
    config = parse_config({"topics": {"ai": {"threshold": 100}, "sme": {"enabled": False}}})
    assert [t.id for t in config.topics] == ["ai", "crypto"]
    assert config.topics[0].threshold == 100 and config.topics[0].terms == Config().topics[0].terms


def test_fingerprint_follows_terms_not_titles() -> None:
    base = Config().topics
    retitled = parse_config({"topics": {"ai": {"title": "인공지능"}}}).topics
    reweighted = parse_config({"topics": {"ai": {"threshold": 9}}}).topics
    assert fingerprint(base) == fingerprint(retitled) != fingerprint(reweighted)
    negative = {"pattern": "독감"}
    plain = parse_config({"topics": {"ai": {"negatives": [negative]}}}).topics
    excused = parse_config({"topics": {"ai": {"negatives": [{**negative, "unless": "백신"}]}}})
    assert fingerprint(plain) != fingerprint(excused.topics)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            {"ai": {"terms": {"re:(unclosed": 2}}},
            r"topics\.ai\.terms\.re:\(unclosed: invalid regular",
        ),
        ({"ai": {"terms": {"AI": -1}}}, r"topics\.ai\.terms\.AI: weight must be a number > 0"),
        ({"ai": {"threshold": "high"}}, r"topics\.ai\.threshold: expected a number"),
        ({"ai": {"colour": "red"}}, r"unknown config key topics\.ai\.colour"),
        ({"new": {"title": "새 주제"}}, r"topics\.new\.threshold: missing"),
        ({"Bad Id": {}}, r"topics\.Bad Id: a topic id is lowercase"),
        (
            {"ai": {"negatives": [{"pattern": "re:x|", "suppress": ["AI"]}]}},
            r"topics\.ai\.negatives\[0\]\.pattern: pattern 'x\|' matches empty text",
        ),
        (
            {"ai": {"negatives": [{"pattern": "독감", "suppress": ["없는말"]}]}},
            r"topics\.ai\.negatives\[0\]\.suppress",
        ),
        ({"ai": {"exclude": "AIA"}}, r"topics\.ai\.exclude: expected a list"),
        (
            {"ai": {"negatives": [{"pattern": "독감", "unless": ["백신"]}]}},
            r"topics\.ai\.negatives\[0\]\.unless: expected a pattern string",
        ),
        (
            {"ai": {"negatives": [{"pattern": "독감", "unless": "re:(x"}]}},
            r"topics\.ai\.negatives\[0\]\.unless: invalid regular",
        ),
    ],
)
def test_bad_topic_config_names_topic_and_key(table: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config({"topics": table})


def test_classify_cli_round_trip_keeps_order_and_reports_bad_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": "a", "title": "업비트 해킹", "text": "가상자산 거래소가 해킹됐다."}\n'
        "{broken\n"
        '{"title": "코인노래방", "text": "노래방 매출"}\n',
        encoding="utf-8",
    )
    assert main(["classify", str(source)]) == 2
    captured = capsys.readouterr()
    rows = [json.loads(line) for line in captured.out.splitlines()]
    assert [r.get("id") for r in rows] == ["a", None, 3]
    assert rows[0]["labels"] == ["crypto"] and rows[2]["labels"] == []
    assert rows[1]["line"] == 2 and "line 2:" in captured.err
    assert set(rows[0]["scores"]) == {"ai", "crypto", "sme"} and rows[0]["why"]["crypto"]


def test_classify_eval_numbers_match_a_hand_count(capsys: pytest.CaptureFixture[str]) -> None:
    """topics-small.jsonl: ai tp1 fn1 (s4 right, s5 gold-only), crypto tp1, sme tp1 fn1 (s4's
    gold 'sme' is not predicted) -> P 1/1/1, R .5/1/.5, F1 .667/1/.667, macro .778."""
    assert main(["classify", "--eval", str(DATA / "topics-small.jsonl")]) == 0
    out = capsys.readouterr().out
    assert "ai               1.000   0.500   0.667    1    0    1" in out
    assert "crypto           1.000   1.000   1.000    1    0    0" in out
    assert "sme              1.000   0.500   0.667    1    0    1" in out
    assert "macro-F1 0.778 over 6 labelled items" in out
    assert "s4: gold [ai, sme] predicted [ai]" in out and "s5: gold [ai] predicted []" in out


def test_dev_set_meets_the_targets() -> None:
    """Not a timed test: the dev set's quality bar (issue 4) must hold as terms change."""
    from feedbot.curate.tools import classify_lines, evaluate_results

    lines = (DATA / "topics-dev.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 200
    results = list(classify_lines(lines, RULES))
    negatives = [r for r in results if r.gold == ()]
    assert len(negatives) >= 0.4 * len(results)
    evaluation = evaluate_results(results, ["ai", "crypto", "sme"])
    assert evaluation.macro_f1 >= 0.95
    assert all(t.precision >= 0.95 for t in evaluation.topics)
    passed_negatives = [r for r in negatives if r.output["labels"]]
    assert len(passed_negatives) <= 1


# -- the generic rules (issue 16): they work for words nobody listed ------------------------------


def _listed(result: Classification, topic: str) -> bool:
    """Whether some term of `topic` was counted as a passing mention inside a list."""
    return any("in a list" in line for line in result.why[topic])


def test_a_term_in_an_enumeration_is_a_passing_mention() -> None:
    """The same words score far less inside a list of sectors than as the subject."""
    listed = classify(
        RULES, "첨단산업 지원", "정부가 AI·바이오·반도체 등 첨단산업에 10조원을 푼다."
    )
    subject = classify(RULES, "첨단산업 지원", "정부가 AI 기본법 시행에 10조원을 푼다.")
    assert listed.scores["ai"] < subject.scores["ai"] / 3
    assert _listed(listed, "ai")
    assert "ai" not in listed.labels


def test_a_term_that_names_a_coordination_is_not_a_passing_mention() -> None:
    """중소·중견기업 looks like a list of two, but the term names that pair: the SMEs are the
    subject. The same words as items of a list of sectors are still a passing mention."""
    named = classify(
        RULES, "관세청, 중소·중견기업 통관 컨설팅 확대", "관세청이 중소·중견기업의 통관을 돕는다."
    )
    listed = classify(
        RULES,
        "관세청, 대기업·중소·중견기업 등 수출기업 통관 지원",
        "관세청이 대기업·중소·중견기업 등 수출기업의 통관을 돕는다.",
    )
    assert not _listed(named, "sme")
    assert "sme" in named.labels
    assert _listed(listed, "sme")
    assert "sme" not in listed.labels
    # the pair is the term only where it names firms: 중소·중견 건설사 are an industry's firms
    assert "sme" not in labels("중소·중견 건설사 줄도산", "중소·중견 건설사 부도가 잇따른다.")


@pytest.mark.parametrize(
    ("text", "listed"),
    [
        ("공정위, 하도급업체 기술유용한 부품사 제재", False),  # 기술 begins 기술유용
        ("부산시, 블록체인 기술혁신지원센터 연다", False),  # 기술 begins 기술혁신
        ("정부, 반도체·AI 기술력 확보에 1조", False),  # 기술력 is no closer
        ("정부, AI·반도체 기술에 1조", True),  # particles may follow a closer
        ("정부, AI, 반도체 등을 키운다", True),
        ("정부, AI·바이오 산업별로 지원", True),
        ("정부 지원 대상은 AI·바이오 분야다", True),
        ("금융 분야에선 AI·블록체인 분야에선 규제 완화", True),
    ],
)
def test_a_list_closer_ends_its_word(text: str, listed: bool) -> None:
    """등 / 분야 / 산업 / 기술 … close a list only as a word of their own (particles may
    follow): as the start of a longer word they closed a "list" of a headline's subject and
    object, and the topic word in it counted as a passing mention."""
    result = classify(RULES, text, "")
    topic = max(result.scores, key=lambda t: result.scores[t])
    assert _listed(result, topic) is listed, result.why[topic]


@pytest.mark.parametrize("dot", ["ㆍ", "・", "‧", "∙", "⋅"])
def test_every_middle_dot_is_the_list_separator(dot: str) -> None:
    """NFKC turns the Hangul ㆍ into a conjoining vowel; it and the other middle dots a page may
    write read as ·, in lists and in terms alike."""
    listed = "정부, AI{}바이오{}반도체 등 첨단산업에 10조"
    named = "조달청, 중소{}중견기업 해외 판로 지원"
    lead = "조달청이 중소{}중견기업의 해외 진출을 돕는다."
    assert "ai" not in labels(listed.format(dot, dot))
    assert "ai" in labels(listed.replace("{}바이오{}반도체 등", " 기본법 시행").format())
    assert "sme" in labels(named.format(dot), lead.format(dot))


def test_the_noun_a_list_qualifies_is_not_an_item_of_the_list() -> None:
    """ "예비·초기·도약 창업기업": the list qualifies 창업기업, the story's subject; the same
    word as an item ("창업·벤처·중소기업 등") is a passing mention."""
    head = classify(RULES, "지원 공고", "예비·초기·도약 창업기업 750곳을 모집한다.")
    item = classify(RULES, "지원 공고", "예비·초기·창업기업 등 750곳을 모집한다.")
    assert not _listed(head, "sme")
    assert _listed(item, "sme")
    assert head.scores["sme"] > 3 * item.scores["sme"]


@pytest.mark.parametrize(
    "title",
    [
        "산업부, 반도체·바이오·생성형 AI 등 첨단산업에 100조 투입",  # a closed list's last item
        "산업부, AI·반도체, 바이오·헬스 등 첨단산업에 100조 투입",  # a comma list of dotted pairs
    ],
)
def test_lists_of_pairs_and_closed_lists_hold_their_last_item(title: str) -> None:
    result = classify(RULES, title, "")
    assert _listed(result, "ai")
    assert "ai" not in result.labels


@pytest.mark.parametrize(
    ("title", "topic"),
    [
        ("중기부, 딥테크·바이오 분야 스타트업 500곳 육성", "sme"),  # the subject, then a pair
        ("업비트, 금융위·FIU 등 제재에 행정소송", "crypto"),
        ("업비트, 3,000억 과징금 위기", "crypto"),  # a thousands separator is not a list
    ],
)
def test_the_subject_before_a_list_is_not_one_of_its_items(title: str, topic: str) -> None:
    result = classify(RULES, title, "")
    assert not _listed(result, topic)
    assert topic in result.labels


def test_tips_in_bond_words_is_the_bond() -> None:
    bond = classify(
        RULES, "美 TIPS 금리 급등…물가연동채 수요 몰려", "미국 물가연동채권 TIPS 금리가 올랐다."
    )
    programme = classify(RULES, "중기부, TIPS 선정", "매출채권 보험도 지원한다.")
    assert "sme" not in bond.labels
    assert "sme" in programme.labels


@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 12)), max_size=12),
    st.integers(0, 80),
    st.integers(1, 10),
)
def test_merged_spans_answer_as_the_spans_do(
    raw: list[tuple[int, int]], start: int, length: int
) -> None:
    """The classifier looks a match up in merged, sorted spans by bisection; the answer is the
    one a scan of the spans as found gives (start in [s, e) or end in (s, e])."""
    spans = [(s, s + n) for s, n in raw]
    end = start + length
    naive = any(s <= start < e or s < end <= e for s, e in spans)
    merged = _merged(spans)
    assert _inside((start, end), merged) is naive
    # and the stretch it names (the list _listed reads around a match) is one that holds it
    i = _stretch((start, end), merged)
    if naive:
        s, e = merged.starts[i], merged.ends[i]
        assert s <= start < e or s < end <= e
    else:
        assert i == -1


def test_a_list_keeps_one_separator() -> None:
    """ "개정 상가임대차법, 계약갱신 10년·권리금 보호기간": the comma closes the subject, the dot
    joins two changes; no list of three, so the law's name counts in full. A list of three
    written with one separator is still a list."""
    mixed = classify(RULES, "개정 상가임대차법, 계약갱신 10년·권리금 보호기간 6개월로", "")
    single = classify(RULES, "상가임대차·계약갱신·권리금 보호기간 6개월로", "")
    assert not _listed(mixed, "sme")
    assert _listed(single, "sme")


def test_a_topic_without_subject_evidence_needs_strong_evidence() -> None:
    """Dominance: crypto holds the title and the first sentence; AI only in a later sentence
    is context and is dropped, unless its own evidence is strong."""
    text = "업비트가 가상자산 거래 수수료를 내렸다. 고객 상담에는 AI 챗봇과 인공지능 분류를 쓴다."
    result = classify(RULES, "업비트, 수수료 인하", text)
    assert result.labels == ("crypto",)
    assert result.scores["ai"] >= RULES[0].threshold  # enough for a subject, not for context
    assert "context, not subject" in result.why["ai"][-1]


def test_the_first_sentence_weighs_more_than_the_rest_of_the_lead() -> None:
    first = classify(RULES, "정책 발표", "인공지능 규제안이 나왔다. 시행은 내년이다.")
    later = classify(RULES, "정책 발표", "규제안이 나왔다. 인공지능 시행은 내년이다.")
    assert first.scores["ai"] > later.scores["ai"]
    assert "first: '인공지능' ×1 +6" in first.why["ai"]


@pytest.mark.parametrize(
    ("written", "term"), [("데이터 센터", "데이터센터"), ("언어 모델", "언어모델")]
)
def test_korean_compounds_match_with_or_without_their_spaces(written: str, term: str) -> None:
    result = classify(RULES, f"{written} 공개", "")
    assert any(f"'{term}'" in line for line in result.why["ai"])


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("AI3 모델", False),
        ("3AI 협약", False),
        ("AI-171편 추락", False),
        ("AI 모델", True),
        ("AI-에이전트", True),
    ],
)
def test_a_short_acronym_glued_to_digits_is_a_code(text: str, counts: bool) -> None:
    assert (classify(RULES, text, "").scores["ai"] > 0) is counts


def test_repeats_earn_less_across_zones_not_per_zone() -> None:
    """A word said in the title, the first sentence and the lead is not three stories."""
    result = classify(RULES, "거래소 거래소", "거래소 얘기다. 거래소는 또 거래소다.")
    assert result.scores["crypto"] == pytest.approx(3 * (1 + 0.5) + 2 * 0.25)


def test_a_coin_operated_room_of_any_name_is_not_crypto() -> None:
    assert "crypto" not in labels("동전 하나로 즐기는 '코인ㅇㅇ방'", "코인PC방 창업이 늘었다.")
    assert "crypto" in labels(
        "코인 리딩방 사기 일당 검거", "가상자산 투자 리딩방으로 54억을 가로챘다."
    )


def test_ai_as_a_products_feature_or_a_markets_reason_is_not_the_subject() -> None:
    """RULES.md: a device launch sold on its AI, or earnings lifted by AI demand, is device or
    market news; the same word as the subject still counts."""
    assert "ai" not in labels(
        "비스포크 AI 콤보 3000대 판매", "AI 기능을 앞세운 세탁건조기가 잘 팔린다."
    )
    assert "ai" not in labels(
        "AI 수요에 변압기 실적 고공행진", "AI 열풍으로 전력 설비 주문이 늘었다."
    )
    assert "ai" in labels("AI 기본법 시행령 공개", "인공지능 규제가 구체화됐다.")


@pytest.mark.parametrize(
    "expression",
    ["\\N{KEYCAP NUMBER SIGN}", "(?:" * 400 + "AI" + ")" * 400, "(?=a" * 300 + ")" * 300],
)
def test_a_pattern_regex_cannot_compile_is_a_config_error(expression: str) -> None:
    """`regex` raises more than its own error class (TypeError for a named sequence,
    RecursionError for deep nesting): each is one line naming the key, not a crash."""
    odd = {"title": "x", "threshold": 1, "terms": {"re:" + expression: 1}}
    with pytest.raises(ConfigError, match=r"^topics\.odd\.terms\.re:.*invalid regular"):
        parse_config({"topics": {"odd": odd}})


def test_a_catastrophic_pattern_is_refused_at_load_or_bounded() -> None:
    """`(\\w+\\s?)+AI` once took minutes on one sentence under `re` and hung every run holding
    the lock: now it is matched by `regex` (which needs microseconds for it), and a pattern that
    is slow even there on ordinary text is refused at load, naming the key."""
    import time

    adversary = {"title": "x", "threshold": 1, "terms": {"re:(\\w+\\s?)+AI": 4}}
    rules = compile_topics(parse_config({"topics": {"slow": adversary}}).topics)
    started = time.monotonic()
    classify(rules, "삼성전자는 올해 반도체 업황이 좋아질 것으로 본다고 " * 20, "")
    assert time.monotonic() - started < 1
    backtracking = {"title": "x", "threshold": 1, "terms": {"re:(a|a)+b": 4}}
    with pytest.raises(ConfigError, match=r"topics.slow.terms.re:\(a\|a\)\+b: .* too slow"):
        parse_config({"topics": {"slow": backtracking}})


def test_a_pattern_slow_on_one_story_is_skipped_for_that_story_only() -> None:
    """A pattern fast on the probe texts but slow on some story: the story is classified in
    bounded time without that term, and the reason says so. (The story holds the `y` the
    pattern needs, or the prefilter would rightly skip it.)"""
    import time

    config = parse_config(
        {"topics": {"odd": {"title": "x", "threshold": 1, "terms": {"re:(x|x)+y": 1, "zz": 2}}}}
    )
    rules = compile_topics(config.topics)
    started = time.monotonic()
    result = classify(rules, "zz " + "x" * 40 + " y", "")
    assert time.monotonic() - started < 2
    assert any("took too long on this story: skipped" in line for line in result.why["odd"])
    assert "odd" in result.labels  # the other term still counts


def test_traps_are_compiled_one_by_one() -> None:
    """Joined into one pattern, an inline flag or a repeated group name made every run fail."""
    config = parse_config(
        {"topics": {"ai": {"exclude": ["re:(?i)foo", "re:(?P<x>bar)", "re:(?P<x>baz)"]}}}
    )
    assert "ai" in set(classify(compile_topics(config.topics), "AI 기본법 시행령", "").labels)


def _with_negative(negative: dict[str, object]) -> tuple[object, ...]:
    config = parse_config(
        {
            "topics": {
                "x": {
                    "title": "x",
                    "threshold": 5,
                    "terms": {"가나": 3, "다라": 3},
                    "negatives": [negative],
                }
            }
        }
    )
    return compile_topics(tuple(t for t in config.topics if t.id == "x"))


def test_a_negative_does_not_fire_when_its_unless_is_in_the_title() -> None:
    """`unless` is searched in the title alone: found there, the rule does not fire; found only
    in the lead or body, it does."""
    rules = _with_negative({"pattern": "금지어", "unless": "re:예외|특례"})
    text = "가나 다라 이야기. 금지어가 있다. 예외도 있다."
    excused = classify(rules, "가나 다라 예외", text)  # type: ignore[arg-type]
    fired = classify(rules, "가나 다라", text)  # type: ignore[arg-type]
    assert "x" in excused.labels and not any("negative context" in w for w in excused.why["x"])
    assert fired.scores["x"] == 0 and "negative context '금지어': every term off" in fired.why["x"]


def test_a_weighted_negative_only_subtracts_and_an_unweighted_one_switches_all_off() -> None:
    """A negative with a weight and no terms named subtracts its weight and leaves the terms on;
    one with neither switches every term off; one naming terms switches those off."""
    title, text = "가나 다라", "가나 다라 이야기. 금지어가 있다."
    weighted = classify(_with_negative({"pattern": "금지어", "weight": 4}), title, text)  # type: ignore[arg-type]
    plain = classify(_with_negative({"pattern": "금지어"}), title, text)  # type: ignore[arg-type]
    named = classify(_with_negative({"pattern": "금지어", "suppress": ["가나"]}), title, text)  # type: ignore[arg-type]
    free = classify(_with_negative({"pattern": "없는말"}), title, text)  # type: ignore[arg-type]
    assert weighted.scores["x"] == free.scores["x"] - 4
    assert "negative context '금지어': -4" in weighted.why["x"]
    assert plain.scores["x"] == 0 and "x" not in plain.labels
    assert "negative context '금지어': every term off" in plain.why["x"]
    assert "negative context '금지어': 가나 off" in named.why["x"]
    assert 0 < named.scores["x"] < free.scores["x"]


_AI_HEADLINES: list[tuple[str, str, bool]] = [
    # market, device and reshuffle headlines: the generic AI words stop counting
    (
        "LS일렉트릭 영업익 1000억…AI 데이터센터 전력 수요",
        "AI 데이터센터 수요로 인공지능 서버 전력기기 주문이 늘었다.",
        False,
    ),
    (
        "갤럭시 신제품 공개…생성형 AI 기능 강화",
        "삼성전자가 인공지능 기능을 넣은 스마트폰을 선보였다. AI 통역이 된다.",
        False,
    ),
    (
        "삼성전자 조직개편…DS부문 AI 센터 신설",
        "삼성전자가 인사를 내고 AI 센터와 인공지능 조직을 새로 만들었다.",
        False,
    ),
    (
        '최태원 "AI는 글로벌 전쟁"…경영 포럼 개막',
        "최태원 회장이 개막 연설에서 AI와 인공지능 경쟁을 강조했다.",
        False,
    ),
    (
        "SK하이닉스 HBM4 양산…AI 메모리 시장 선점",
        "SK하이닉스가 AI 가속기용 HBM4 양산에 들어갔다. 인공지능 서버 수요가 크다.",
        False,
    ),
    (
        "엔비디아, HBM4 품은 AI GPU 루빈 공개",
        "엔비디아가 인공지능 가속기 루빈을 공개했다. AI 데이터센터용 GPU다.",
        True,
    ),
    (
        "올트먼 'AI 거품' 발언에 반도체주 4%↓",
        "최고경영자의 AI 거품 발언에 인공지능 반도체주가 떨어졌다.",
        False,
    ),
    # a named model still makes it an AI story; an AI company's own results are AI news
    (
        "카카오 실적 발표…카톡에 챗GPT 붙인다",
        "카카오가 카카오톡에서 챗GPT를 쓰게 한다. 오픈AI와 손잡고 챗GPT 기능을 넣는다.",
        True,
    ),
    (
        "엔비디아 분기 매출 최대…AI 가속기 수요",
        "엔비디아의 AI 가속기 GPU 매출이 또 늘었다. 인공지능 데이터센터 수요가 컸다.",
        True,
    ),
    # power, cooling and batteries for data centres are energy or parts stories
    (
        "LG전자, AI 데이터센터에 냉각 솔루션 공급",
        "LG전자가 인공지능 데이터센터에 액체 냉각 장치를 댄다. GPU 서버의 열을 식힌다.",
        False,
    ),
    # ... but English words that hold the letters (Business, Wireless) are not ESS, and
    # 방송전략 is not 송전
    (
        "MS, 'Copilot Business' 출시…AI 비서",
        "마이크로소프트가 AI 비서를 내놨다. 생성형 AI 기능을 담았다.",
        True,
    ),
    ("KBS, AI 앵커 도입해 방송전략 바꾼다", "KBS가 인공지능 앵커를 도입한다.", True),
    # in a memory maker's headline Nvidia is the customer; as the headline's subject, or
    # with its accelerator named, it is AI news (the Rubin case above)
    (
        "삼성, HBM3E 엔비디아 퀄테스트 통과",
        "삼성전자 HBM이 엔비디아 인공지능 GPU용 테스트를 통과했다. AI 서버에 들어간다.",
        False,
    ),
    (
        "오픈AI 스타게이트에 삼성·SK 메모리 공급",
        "삼성과 SK가 오픈AI의 인공지능 데이터센터에 HBM을 댄다.",
        True,
    ),
    # a robot is a product story; the model that drives it is AI news
    (
        "휴머노이드 스타트업에 엔비디아 투자",
        "인공지능 로봇을 만드는 회사에 엔비디아가 투자했다. AI 휴머노이드다.",
        False,
    ),
    (
        "로봇 파운데이션 모델 공개…인공지능이 로봇 움직여",
        "로봇을 움직이는 AI 모델이 공개됐다. 생성형 AI 기술이다.",
        True,
    ),
    # … but a tag or a country before Nvidia leaves it the subject; memory "for GPUs" is
    # the memory's story; an AI chip that holds the memory is AI news
    (
        "[단독] 엔비디아, 차세대 AI칩 '베라 루빈'에 HBM4 대량 채택",
        "엔비디아가 인공지능 가속기에 HBM4를 쓴다. AI 데이터센터용 GPU다.",
        True,
    ),
    (
        "마이크론, GPU용 HBM 점유율 20% 목표",
        "마이크론이 인공지능 GPU용 HBM 점유율을 높인다. AI 서버 수요가 크다.",
        False,
    ),
    (
        "리벨리온, HBM3E 탑재 AI 칩 '리벨쿼드' 공개…엔비디아에 도전",
        "리벨리온이 인공지능 반도체를 공개했다. AI 추론용이다.",
        True,
    ),
    # an AI chip for robots, a robot-AI company, Nvidia's own robot computer and AI
    # regulation are AI news whatever the robot; 카드론 is a card loan
    (
        "딥엑스, 바이두 드론·로봇에 온디바이스 AI 칩 'DX-M1' 공급",
        "딥엑스가 AI 반도체를 공급한다. 인공지능 연산을 한다.",
        True,
    ),
    (
        "피지컬인텔리전스, 로봇 AI로 6억달러 유치",
        "로봇을 움직이는 인공지능을 만드는 회사가 투자를 유치했다. AI 모델을 개발한다.",
        True,
    ),
    (
        "엔비디아, 휴머노이드 로봇용 AI 컴퓨터 '젯슨 토르' 출시",
        "엔비디아가 로봇용 인공지능 컴퓨터를 내놨다. GPU 기반이다.",
        True,
    ),
    (
        "EU 'AI 킬러로봇' 규제 착수",
        "유럽연합이 인공지능 무기 규제를 논의한다.",
        True,
    ),
    (
        "카드론 잔액 역대 최대…카드사 AI 심사 도입",
        "카드사가 인공지능 심사를 도입한다. AI가 대출을 심사한다. 생성형 AI도 쓴다.",
        True,
    ),
    # market words include profits, net buying and REITs; an export that is blocked is
    # export control, not trade
    (
        '"AI 결합 요금제로 통신요금 오를 것"…통신3사 3분기 이익 40% 급감 전망',
        "AI 요금제가 통신사 실적을 누른다. 인공지능 서비스 비용이 크다.",
        False,
    ),
    (
        "서학개미 3월 순매수 1위는 팔란티어",
        "개인 투자자들이 인공지능 수혜주를 가장 많이 샀다. AI 소프트웨어 기대다.",
        False,
    ),
    (
        "H20 수출 막히자 화웨이 '어센드920' 공개…中, AI 반도체 자립 속도",
        "엔비디아 H20 수출이 막히자 화웨이가 인공지능 칩을 내놨다. AI 가속기다.",
        True,
    ),
    # the second review: a model deal names the partner, a spelling or a product; AI methods,
    # AI law and accelerators count whatever product the headline names
    ("애플, 아이폰 시리에 구글 '제미니' 탑재", "애플이 시리에 구글의 생성형 AI 모델을 쓴다.", True),
    (
        "애플, 中 아이폰 AI 파트너로 알리바바 낙점",
        "애플이 중국 아이폰의 인공지능 기능을 알리바바와 함께 만든다. AI 모델을 쓴다.",
        True,
    ),
    (
        "스마트폰 앱으로 10초 만에 딥페이크…10대 사이 성착취물 확산",
        "스마트폰 앱으로 만든 딥페이크 성착취물이 퍼지고 있다. 생성형 AI 악용이다.",
        True,
    ),
    (
        "EU AI법 시행…전기차·의료기기 AI도 '고위험' 규제",
        "유럽연합의 인공지능법이 시행됐다. AI 시스템 규제가 시작됐다.",
        True,
    ),
    (
        "구글, 7세대 TPU '아이언우드' 공개…HBM 192GB 탑재",
        "구글이 인공지능 가속기 TPU를 공개했다. AI 추론용이다.",
        True,
    ),
    ("구글 노트북LM, 한국어 오디오 요약 지원", "구글의 AI 노트 서비스다. 제미나이 기반이다.", True),
    # … and words that hold a market word are not one (메리츠, 이익단체, an export road)
    (
        "메리츠화재, AI 보험금 심사 시스템 도입…처리 기간 절반",
        "메리츠화재가 인공지능이 보험금 청구 서류를 읽는 AI 심사 시스템을 도입했다.",
        True,
    ),
    (
        '"빅테크만 이익"…AI 저작권 면책 조항에 창작자 반발',
        "생성형 AI 학습에 저작물을 쓰게 하는 면책 조항에 창작자들이 반발했다.",
        True,
    ),
    (
        "AI 데이터센터 수요에 K-전선 수출길 넓어진다",
        "AI 데이터센터 건설 붐으로 전선 업체의 북미 수주가 늘고 있다. 인공지능 수요다.",
        False,
    ),
    # a ministry's whole budget or plan names AI as its direction; AI's own budget is AI news
    (
        "과기정통부 내년 예산안 23조7000억 역대 최대…AI 대전환에 4조4600억",
        "과기정통부 예산안에 AI 대전환 사업이 들었다. GPU 확보와 인공지능 인재 양성이다.",
        False,
    ),
    (
        "내년 AI 예산 2453억으로 두 배…인프라·집적단지에 집중",
        "정부의 인공지능 예산이 두 배로 늘었다. AI 인프라에 쓴다.",
        True,
    ),
    # Nvidia among the day's movers is market news; Nvidia's own results, its accelerator
    # named, a rival accelerator set against it, or its chips' export control are AI news
    (
        "관세 급락 딛고 AI·반도체주 반등…엔비디아 4%↑",
        "AI 반도체주가 반등했다. 엔비디아와 인공지능 서버 업체가 올랐다.",
        False,
    ),
    (
        "블랙웰 품절에 엔비디아 분기 사상 최대 실적",
        "엔비디아의 인공지능 가속기 블랙웰이 다 팔렸다. AI 데이터센터 수요다.",
        True,
    ),
    (
        "AMD, 엔비디아 대항 AI 가속기 'MI400' 공개…주가 강세",
        "AMD가 인공지능 가속기를 공개했다. AI 데이터센터용이다. 주가가 5% 올랐다.",
        True,
    ),
    (
        "美 정부, 엔비디아 AI 칩 중국 수출 허용…매출 15% 환수",
        "미국이 엔비디아 H20의 중국 수출을 허용했다. 인공지능 칩 매출 15%를 걷는다.",
        True,
    ),
    # a seminar's or a workshop's AI study is AI news (2026-12-01: a rule that made every
    # seminar's AI words its direction was dropped after a review's probes)
    (
        '한은 세미나 "AI 노출 높은 직종서 청년 일자리 21만개 줄어"',
        "한국은행이 인공지능 노출 직종의 청년 고용을 분석했다. AI 도입이 채용을 줄였다.",
        True,
    ),
    # without such a headline the same words count as before
    (
        "정부, AI 데이터센터 특구 지정",
        "정부가 인공지능 데이터센터 특구를 지정하고 GPU를 들인다.",
        True,
    ),
    # a stock-pick story riding AI demand is market news…
    (
        '"AI 데이터센터 전력기기 슈퍼사이클"…증권가 수혜주 제시',
        "인공지능(AI) 데이터센터 투자로 변압기 업체가 수혜를 본다는 전망이다.",
        False,
    ),
    # …and an AI lab's own business stays AI news
    ("오픈AI 투자 소식에 관련주 급등", "오픈AI가 새 모델을 공개하자 AI 관련주가 올랐다.", True),
    # (residents and main points are no stock group)
    (
        "평택 AI 데이터센터 건립 관련주민 설명회",
        "평택시가 AI 데이터센터 건립을 두고 설명회를 열었다. 인공지능 연산 시설이다.",
        True,
    ),
    # a speech or a reshuffle headline makes the generic AI words context…
    (
        '과기정통부 장관 축사 "AI 3대 강국 도약"',
        "장관이 인공지능 투자를 늘리겠다고 했다.",
        False,
    ),
    ("삼성전자 임원인사…DS부문 AI센터 신설", "인공지능 조직을 새로 만들었다.", False),
    # …but not the letters inside a building project or a sole trader
    (
        "과기정통부, 국가 AI 컴퓨팅센터 구축사업 공모 착수",
        "인공지능 연산 자원을 모을 센터를 지을 사업자를 뽑는다. AI 반도체도 쓴다.",
        True,
    ),
    (
        "은행권, AI로 개인사업자 대출 심사",
        "은행들이 인공지능 신용평가 모델로 개인사업자 대출을 심사한다.",
        True,
    ),
]
_SME_HEADLINES: list[tuple[str, str, bool]] = [
    # small firms as the victims a crime or breach story counts are not SME policy…
    (
        "랜섬웨어 피해 기업 93%가 중소기업",
        "랜섬웨어에 당한 중소기업이 많았다. 중소기업 대부분이 백업을 하지 않았다.",
        False,
    ),
    # …unless a ministry acts, or the fair-trade regulator under a law of the weaker party
    # (not in a cartel case, nor as the name an impersonation scam uses), or the headline is
    # about support
    (
        "공정위, 하도급대금 떼먹은 건설사 적발…중소기업 피해 120억",
        "공정거래위원회가 수급사업자에게 대금을 늦게 준 업체를 적발했다.",
        True,
    ),
    (
        "공정위, 문구 납품 중소기업 12곳 입찰담합 적발",
        "공정거래위원회가 관공서 입찰에서 짬짜미한 중소기업들에 과징금을 매겼다.",
        False,
    ),
    (
        "'공정위 하도급 조사' 사칭 메일 기승…중소기업 주의",
        "공정거래위원회를 사칭한 악성 메일이 중소기업에 퍼지고 있다.",
        False,
    ),
    # the fund's name is an SME word like the generic ones, and a scam that abuses it counts
    # its victims
    (
        "'새출발기금 대상자' 사칭 불법 대부 광고 기승",
        "새출발기금 채무조정을 해 주겠다는 불법 광고가 소상공인을 노린다.",
        False,
    ),
    (
        "중기부, 해킹 피해 중소기업에 복구 비용 지원",
        "중소벤처기업부가 해킹 피해 중소기업의 복구를 돕는다. 소상공인도 대상이다.",
        True,
    ),
    # SME loans are a banking statistic; a loan programme for them is policy
    (
        "은행 중소기업 대출 5조 증가",
        "9월 은행의 중소기업 대출이 늘었다. 자영업자 대출도 증가했다.",
        False,
    ),
    (
        "소상공인 대출 상환 유예 1년 연장",
        "정부가 소상공인 대출 만기를 연장한다. 자영업자 부담을 덜어준다.",
        True,
    ),
    # small merchants' payment fees and the ministry's old name are SME policy words
    (
        "간편결제 결제수수료 공시 시작…수수료 상한 검토",
        "간편결제사가 소상공인에게 받는 수수료를 반기마다 공개한다.",
        True,
    ),
    ("중기청, 청년창업 사관학교 입교생 모집", "중기청이 창업 지원 대상을 뽑는다.", True),
    ("인천중기청, 편의점 제로페이 수수료 0%대", "인천중기청이 결제 편의를 높인다.", True),
    # … but not across spaces, nor as the youth housing loan nicknamed 중기청 대출
    ("국토부, 5개년 교통 중기 청사진 발표", "국토교통부가 중기 교통 계획을 내놨다.", False),
    ("'중기청 대출' 금리 인상…청년 전월세 부담", "청년 전월세 대출 금리가 오른다.", False),
    # a compound of a switched-off word does not bring it back
    (
        "'상장 임박' 스타트업 투자 사기 일당 검거",
        "경찰이 비상장 스타트업 투자를 미끼로 300억원을 가로챈 일당을 검거했다.",
        False,
    ),
    # a law against the crime, and loan relief for merchants, are SME policy
    (
        "중소기업 기술유출 막는다…'한국형 디스커버리' 법안 국회 통과",
        "중소기업 기술 보호를 위한 법안이 통과됐다. 중소기업 피해를 막는다.",
        True,
    ),
    (
        "소상공인 저금리 대환대출 대상 확대",
        "정부가 소상공인 대환대출 대상을 넓힌다. 자영업자 부담이 준다.",
        True,
    ),
    (
        "여신전문금융업법 개정안 통과…영세 소상공인 카드수수료 인하",
        "국회가 법을 고쳐 영세 소상공인 카드수수료를 내린다.",
        True,
    ),
    # an IPO's offer price is not a call for applicants; an app store's in-app payment
    # fee is not a merchant's payment fee
    (
        "이노스페이스, 코스닥 상장 첫날 공모가 밑돌아",
        "우주발사체 기업 주가가 공모가를 밑돌았다. 2017년 창업한 스타트업이다.",
        False,
    ),
    (
        "애플, 인앱 결제수수료 30% 고수…국내 앱 개발사 반발",
        "애플이 인앱 결제수수료를 고수해 앱 개발사들이 반발한다. 방통위가 점검한다.",
        False,
    ),
    # a big firm's smart factory, a chips law's 52-hour exemption, a district's rents, 초상권
    # and one company's listing are no SME policy
    (
        "현대차, 싱가포르 스마트공장 HMGICS 가동",
        "현대자동차그룹이 싱가포르에 지은 스마트공장이 가동에 들어갔다. AI와 로봇이 조립한다.",
        False,
    ),
    (
        "주52시간 예외 빠진 반도체특별법 국회 통과",
        "반도체 연구개발 인력의 주52시간 예외 조항이 빠진 반도체특별법이 국회를 통과하자 "
        "대기업과 중소기업 모두 인력 운용 차질을 우려했다.",
        False,
    ),
    (
        "성수동 상권 임대료 1년 새 30% 급등",
        "성수동 상권의 상가 임대료가 1년 새 30% 올라 자영업자들이 밀려나고 있다.",
        False,
    ),
    (
        "AI 스타트업, 연예인 초상권 무단 사용 논란",
        "생성형 AI 스타트업이 초상권을 침해했다는 논란이 나왔다. 스타트업 측은 부인했다.",
        False,
    ),
    (
        "창업기획자 씨엔티테크, 코스닥 상장 예비심사 청구",
        "창업기획자 씨엔티테크가 상장을 추진한다. 스타트업에 투자해 왔다.",
        False,
    ),
]
_CRYPTO_HEADLINES: list[tuple[str, str, bool]] = [
    # a stock market's day with a line on bitcoin is a market story…
    (
        "코스피 13개월 만에 2800선 붕괴…코스닥도 2.91% 급락",
        "외국인 매도에 코스피가 급락했다. 비트코인도 업비트에서 5% 내렸다.",
        False,
    ),
    # …and so is one whose headline says bitcoin moved too, alone or at the end of a list
    (
        "코스피 장중 2%대 급락…비트코인·금도 동반 약세",
        "외국인 매도에 코스피가 밀렸다. 비트코인 가격도 3% 내렸다.",
        False,
    ),
    (
        "나스닥 급락에 코인도 출렁",
        "기술주 매도가 이어졌다. 비트코인도 하루 새 4% 떨어졌다.",
        False,
    ),
    # …but an exchange or a coin in the headline makes it crypto news, and so does a crypto
    # word followed by a word that merely ends in 도
    (
        "코스피 상장사, 비트코인 제도권 편입에 투자 확대",
        "상장사들이 가상자산 투자를 늘린다. 비트코인 ETF 승인 뒤다.",
        True,
    ),
    # (a crypto word that leads, even before an ellipsis, or that takes 도 with a verb of its
    # own, is the subject: the market moved with it)
    (
        "7만달러 깨진 비트코인…나스닥도 급락",
        "비트코인이 하루 새 15% 폭락했다. 가상자산 시장에서 포지션이 청산됐다.",
        True,
    ),
    (
        "금투세 폐지에 코인과세도 2년 유예…증시 부양",
        "가상자산 과세가 미뤄진다. 정부가 세법을 고친다.",
        True,
    ),
    (
        "빗썸, 코스닥 상장 예비심사 청구",
        "빗썸이 코스닥 상장을 추진한다. 가상자산 거래소 첫 상장이다. 비트코인 거래소다.",
        True,
    ),
    # a crypto company's listing or index entry, or a coin's holder, is crypto news
    (
        "윙클보스 형제의 제미니, 나스닥 상장 첫날 14% 상승",
        "미국 가상자산 거래소 제미니가 상장했다. 비트코인 가격 상승도 힘이 됐다.",
        True,
    ),
    (
        "마이크로스트래티지, 나스닥100 지수 편입",
        "비트코인을 대량 보유한 회사가 지수에 들어간다. 가상자산 기업이다.",
        True,
    ),
    (
        "'이더 트레저리' 샤프링크, 나스닥서 하루 30% 급등",
        "이더리움을 보유한 샤프링크가 급등했다. 가상자산 투자 기업이다.",
        True,
    ),
]


@pytest.mark.parametrize(
    ("topic", "title", "text", "kept"),
    [("ai", *case) for case in _AI_HEADLINES]
    + [("sme", *case) for case in _SME_HEADLINES]
    + [("crypto", *case) for case in _CRYPTO_HEADLINES],
)
def test_the_headline_sets_the_context_for_a_topics_words(
    topic: str, title: str, text: str, kept: bool
) -> None:
    """Market, device, memory, robot, reshuffle, crime, loan and stock-market headlines: the
    words of a topic that the headline makes context stop counting."""
    assert (topic in classify(RULES, title, text).labels) is kept


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("우체국서 제로페이 가맹점 신청 받는다", "전국 우체국이 제로페이 가맹점 신청을 받는다."),
        ("청년몰 점포 65% 폐업", "2017년 문을 연 청년몰 점포 다수가 문을 닫았다."),
        ("새출발기금 신청 20만명 돌파", "채무조정 신청액이 30조원을 넘었다."),
        ("스마트공방 4.6대 1 경쟁…소공인 1000곳 선정", "스마트공방 보급 대상이 정해졌다."),
        ("지역사랑상품권 발행 10조로 확대", "정부가 소상공인 매출을 돕는 상품권 발행을 늘린다."),
        ("이노비즈기업 절반 AI 도입", "이노비즈협회 조사에서 중소기업 다수가 AI를 쓴다고 답했다."),
    ],
)
def test_a_programme_named_without_the_generic_words_is_sme(title: str, text: str) -> None:
    assert "sme" in classify(RULES, title, text).labels


def test_a_programme_word_is_evidence_for_the_model_but_not_enough_alone() -> None:
    verdict = classify(
        RULES,
        "부산시, 블록체인 특구 지정 신청",
        "부산시가 블록체인 기업을 모으겠다며 정부에 신청서를 냈다. 바우처도 검토한다.",
    )
    assert "sme" not in verdict.labels
    assert verdict.scores["sme"] > 0  # evidence below the threshold: the model may add sme


def test_a_scam_or_a_payment_app_around_local_gift_certificates_is_not_sme() -> None:
    scam = classify(
        RULES,
        "지역사랑상품권 '깡' 일당 적발…30억 부정 환전",
        "지역사랑상품권을 부정 환전한 일당이 잡혔다. 소상공인 가맹점을 끼고 환전했다.",
    )
    app = classify(
        RULES, "카카오페이, 지역사랑상품권 결제 지원", "카카오페이가 지역사랑상품권 결제를 붙인다."
    )
    assert "sme" not in scam.labels and "sme" not in app.labels


def test_card_fee_words_are_evidence_for_the_model_but_not_enough_alone() -> None:
    """Small merchants' card fees are policy, but the same words lead card companies' results
    and a retailer's fee fight: the rules leave the decision to the model."""
    results = classify(
        RULES,
        "비씨카드 순이익 12% 감소…카드수수료 인하 여파",
        "카드수수료 인하로 가맹점 수수료 수익이 줄었다.",
    )
    policy = classify(
        RULES,
        "영세·중소 가맹점 카드수수료 또 내린다",
        "금융당국이 영세가맹점 우대 구간을 넓힌다.",
    )
    assert "sme" not in results.labels
    sme = next(rule for rule in RULES if rule.id == "sme")
    assert results.scores["sme"] > 0
    assert 0 < policy.scores["sme"] < sme.threshold


def test_every_specific_ai_term_is_a_name_that_keeps_a_product_headline_on_topic() -> None:
    """The product, parts, memory and robot headline rules switch the generic AI words and the
    AI names off unless the headline names a model, a lab or a product: every AI term must be
    generic, a name or a method (methods and misuses, such as deepfakes, count in any
    headline), or a product headline naming it would lose its only subject."""
    from feedbot.curate.defaults import _AI_METHODS, _AI_NAME_TERMS, _GENERIC_AI, DEFAULT_TOPICS

    terms = set(DEFAULT_TOPICS["ai"]["terms"])
    assert terms == set(_GENERIC_AI) | set(_AI_NAME_TERMS) | set(_AI_METHODS)
    kept = classify(RULES, "갤럭시 S26에 제미나이 탑재", "AI 기능이다.")
    dropped = classify(RULES, "갤럭시 S26 출시", "제미나이 LLM을 넣었다.")
    deepfake = classify(RULES, "스마트폰 앱 딥페이크 확산", "딥페이크 성착취물이 퍼진다.")
    assert "ai" in kept.labels and dropped.scores["ai"] == 0 and deepfake.scores["ai"] > 0


def _blind(rule: TopicRule) -> TopicRule:
    """The rule with every prefilter removed: each pattern runs in every zone."""

    def bare(pattern: Pattern) -> Pattern:
        return dataclasses.replace(pattern, needs=())

    return dataclasses.replace(
        rule,
        terms=tuple(
            dataclasses.replace(t, pattern=bare(t.pattern), key="", rest=()) for t in rule.terms
        ),
        exclude=tuple(bare(p) for p in rule.exclude),
        negatives=tuple(
            dataclasses.replace(
                n, pattern=bare(n.pattern), unless=bare(n.unless) if n.unless else None
            )
            for n in rule.negatives
        ),
    )


BLIND = tuple(_blind(rule) for rule in RULES)
# what the built-in patterns need (their `re:` ones too: headline rules, traps, exemptions),
# so that generated stories hold them, and the lookalikes case-folding could confuse
_PIECES = sorted(
    {t for spec in Config().topics for t, _ in spec.terms if not t.startswith("re:")}
    | {
        text
        for rule in RULES
        for p in (
            *(t.pattern for t in rule.terms),
            *rule.exclude,
            *(n.pattern for n in rule.negatives),
            *(n.unless for n in rule.negatives if n.unless),
        )
        for group in p.needs
        for text in group
    }
)


@given(
    st.lists(
        st.one_of(
            st.sampled_from(_PIECES),
            st.sampled_from(
                [
                    "ａｉ",
                    "Ai",
                    "ＡＩ",
                    "Aı",
                    "İ",
                    "ſ",
                    "K",
                    "Gemİni",  # İ lowers to two characters: inside a word, a key would miss
                    "TİPS",
                    "I\u0307",  # I + combining dot: NFKC makes it İ
                    "인공 지능",
                    "코인 노래방",
                    "·",
                    " ",
                    ", ",
                    "등 ",
                    "\n",
                    "\n\n",
                ]
            ),
            st.text(max_size=8),
        ),
        max_size=25,
    ).map("".join)
)
def test_the_pattern_prefilter_never_changes_a_verdict(text: str) -> None:
    """Each pattern (term, trap, negative rule, exemption) is run only where the text it needs
    occurs (`Pattern.needs`); with that removed, every story gets the same labels, scores and
    reasons."""
    title, body = text[:40], text[40:]
    a, b = classify(RULES, title, body), classify(BLIND, title, body)
    assert (a.labels, a.scores, a.why) == (b.labels, b.scores, b.why)


def test_the_pattern_prefilter_never_changes_a_verdict_on_the_corpus() -> None:
    """The same on real stories (every tenth of the corpus, and article-length runs of them),
    where the headline rules, traps and exemptions really fire."""
    rows = [json.loads(line) for line in (DATA / "topics-real.jsonl").open(encoding="utf-8")]
    stories = [(r["title"], r["text"]) for r in rows[::10]]
    stories += [
        (rows[i]["title"], "\n\n".join(r["text"] for r in rows[i : i + 12]))
        for i in range(0, len(rows), 200)
    ]
    fired = 0
    for title, body in stories:
        a, b = classify(RULES, title, body), classify(BLIND, title, body)
        assert (a.labels, a.scores, a.why) == (b.labels, b.scores, b.why), title
        fired += any("negative context" in line for lines in a.why.values() for line in lines)
    assert fired > 20  # the negative rules were exercised, not only skipped


def test_no_built_in_term_or_trap_starts_with_a_look_behind() -> None:
    """A pattern that starts with a look-behind gives the regex engine no literal to search for,
    so it is tried at every position of every story (50–65 µs on 3,000 characters, a tenth of a
    long story's rules time); the look-behind goes after the literal instead (`코인(?<![가-힣]코인)형`)."""
    from feedbot.curate.defaults import DEFAULT_TOPICS

    for topic, spec in DEFAULT_TOPICS.items():
        patterns = [t for t in spec.get("terms", {}) if t.startswith("re:")]
        patterns += [t for t in spec.get("exclude", []) if t.startswith("re:")]
        for pattern in patterns:
            assert not pattern[3:].startswith("(?<"), (topic, pattern)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (r"(?<![A-Za-z0-9])AI(?![A-Za-z])", (("ai",),)),
        (r"(?:AI|인공지능)\s?(?:폰|스마트폰)", (("ai", "인공지능"), ("스마트폰", "폰"))),
        (r"\A[^\n]*?(?:가상자산|가상화폐|비트)", (("가상자산", "가상화폐", "비트"),)),
        (r"코인(?<![가-힣]코인)형(?!태|제)", (("코인",), ("형",))),  # lookarounds split a run
        (r"ab?c+d*", (("a",), ("c",))),  # what may be absent is not needed
        (r"(?=.*공정위)하도급", (("공정위",), ("하도급",))),  # a lookahead's text is in the text
        (r"(?!.*공정위)하도급", (("하도급",),)),
        (r"조류\s*인플루엔자|살처분", (("살처분", "인플루엔자"),)),
        (r"AI|[가-힣]+", ()),  # one alternative needs nothing: nothing is known
        (r"(AI)\1", (("ai",),)),
        (r"(?:abc){e<=1}", ()),  # fuzzy matching in `regex`, plain text to `re`
        (r"\p{Hangul}AI", ()),  # `regex` syntax `re` cannot read
        (r"[[:alpha:]]AI", ()),  # a POSIX class to `regex`; `re` warns
        (r"é·AI", (("ai",),)),  # only ASCII letters, digits and Hangul are keys
        (r"x{2,3}", (("x",),)),
        # verbose mode: `regex` skips an ideographic space, `re` reads it, and `?` binds to b
        ("(?x)ab\u3000?", ()),
        ("(?x)ab ?", (("a",),)),
    ],
)
def test_what_a_pattern_needs(expression: str, expected: tuple[tuple[str, ...], ...]) -> None:
    assert needs(expression) == expected


_ATOMS = ["a", "b", "A", "가", "나", "ai", "가나", r"\s", ".", "[ab]", "[가-힣]", r"\d"]


@st.composite
def _expressions(draw: st.DrawFn, depth: int = 0) -> str:
    """Small regular expressions over a few letters: sequences, optional and repeated parts,
    groups, branches, lookarounds."""
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["atom", "atom", "atom", "group"] if depth < 2 else ["atom"]))
        part = draw(st.sampled_from(_ATOMS)) if kind == "atom" else None
        if part is None:
            inner = [draw(_expressions(depth + 1)) for _ in range(draw(st.integers(1, 3)))]
            opener = draw(st.sampled_from(["(?:", "(", "(?=", "(?!", "(?>", "(?i:", "(?-i:"]))
            part = opener + "|".join(inner) + ")"
        part += draw(st.sampled_from(["", "", "?", "*", "+", "{2}", "{0,2}", "+?", "*+"]))
        parts.append(part)
    return "".join(parts)


@given(_expressions(), st.lists(st.sampled_from(["a", "b", "A", "B", "가", "나", " ", "1", "ai"])))
def test_a_text_a_pattern_matches_in_holds_what_it_needs(
    expression: str, pieces: list[str]
) -> None:
    """Whatever the expression, a text it matches in (with `re` or `regex`, case ignored)
    holds one string of every group `needs` names."""
    text = "".join(pieces)
    found = [
        engine.compile(expression, engine.IGNORECASE).search(text) is not None
        for engine in (re, regex)
    ]
    if any(found):
        assert not _lacks(needs(expression), text.lower()), (expression, text)
