"""The replica's stories: written by us in the style of 팩플, with the site's variations.

Each story says which markup quirks its page shows (the variations docs/site-markup.md
describes). Topics are what an editor would label them; tests of the curation issue read
`topics` as the answer key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

KST = ZoneInfo("Asia/Seoul")

PDS = "https://pds.joongang.co.kr/news/component/htmlphoto_mmdata"


@dataclass(frozen=True)
class Photo:
    src: str  # original pds URL
    caption: str


@dataclass(frozen=True)
class Story:
    id: int
    published: datetime
    title: str  # without the [팩플] tag
    description: str
    blocks: tuple[str | Photo, ...]  # "## 소제목" marks a subheading, "Q: …\nA: …" a Q&A box
    topics: frozenset[str]
    tag: str | None = "suffix"  # where [팩플] sits: "prefix", "suffix" or None
    updated: datetime | None = None
    authors: tuple[tuple[str, str | None], ...] = (("김민지", "kim.minji@joongang.co.kr"),)
    era: str = "2025"  # "2022" markup (text dates, bare <p>) or "2025" (time[itemprop], data-divno)
    jsonld: bool = False
    og: bool = True
    window_article: bool = True
    member_only: bool = False
    tags: tuple[str, ...] = ()
    image: Photo | None = None
    subsection: str = "IT·과학"
    extras: frozenset[str] = field(default_factory=frozenset)  # "qa", "box", "vod", "letter", ...


def _t(day: int, hour: int, minute: int, month: int = 11, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=KST)


def _img(day: int, name: str, caption: str, month: int = 11) -> Photo:
    return Photo(f"{PDS}/2026{month:02d}/{day:02d}/{name}.jpg", caption)


SEED_ID = 25163321

SEED = Story(
    id=SEED_ID,
    published=_t(15, 5, 0, month=5, year=2023),
    title="코인으로 기본소득?…6월 9일 방한 '챗GPT' 알트만의 큰 그림",
    description="챗GPT 개발사인 오픈AI의 샘 알트만 최고경영자(CEO)가 다음달 9일 서울에서 이영 "
    "중소벤처기업부 장관과 만난다.",
    blocks=(),  # rendered from the seed text itself, see replica.seed
    topics=frozenset({"ai", "crypto", "sme"}),
    authors=(),
    era="seed",
    window_article=False,
    subsection="IT·과학",
)

# Ids rise with time, as on the real site. Newest first.
STORIES: tuple[Story, ...] = (
    Story(
        25401480,
        _t(24, 18, 30),
        "국가 AI 컴퓨팅센터 GPU 1만 장 확보…중소 AI 기업에 우선 배분",
        "과학기술정보통신부가 국가 AI 컴퓨팅센터에 GPU 1만 장을 들여와 중소 AI 기업에 먼저 나눠준다.",
        (
            _img(
                24,
                "a1f0c2d4-gpu",
                "경기도의 한 데이터센터에서 직원이 GPU 서버를 점검하고 있다. 연합뉴스",
            ),
            "과학기술정보통신부는 24일 국가 AI 컴퓨팅센터에 엔비디아 GPU 1만 장을 확보했다고 밝혔다. "
            "정부는 이 가운데 40%를 스타트업과 중소 AI 기업에 우선 배분할 계획이다.",
            "## “연산 자원이 AI 경쟁력의 출발점”",
            "업계는 대형 언어모델(LLM)을 학습시킬 GPU가 부족해 해외 클라우드에 의존해 왔다. "
            "한 AI 스타트업 대표는 “학습 비용의 절반 이상이 GPU 임대료”라고 말했다.",
            "정부는 내년 상반기까지 추가로 GPU 8000장을 들여오고, 국산 AI 반도체 실증도 병행한다.",
        ),
        frozenset({"ai"}),
        jsonld=True,
        updated=_t(24, 21, 5),
        authors=(("김민지", "kim.minji@joongang.co.kr"), ("박준호", "park.junho@joongang.co.kr")),
        tags=("AI", "GPU", "과기정통부"),
        image=_img(24, "a1f0c2d4-gpu", "GPU 서버 점검"),
        extras=frozenset({"related", "ads"}),
    ),
    Story(
        25401455,
        _t(24, 15, 10),
        "업비트 해킹 의심 거래 포착…닥사 “출금 일시 중단”",
        "국내 최대 가상자산 거래소 업비트에서 해킹이 의심되는 이상 출금이 포착됐다.",
        (
            "가상자산 거래소 업비트는 24일 오전 일부 지갑에서 이상 출금 정황을 발견해 입출금을 일시 "
            "중단했다고 공지했다. 유출 규모는 약 340억원어치로 추정된다.",
            "디지털자산거래소 공동협의체(DAXA·닥사)는 회원사들에 해당 코인의 입금을 막아 달라고 "
            "요청했다. 업비트는 피해 자산 전액을 회사 자산으로 보전하겠다고 밝혔다.",
            "금융당국은 가상자산이용자보호법에 따라 거래소의 보안 관리 실태를 점검할 방침이다.",
        ),
        frozenset({"crypto"}),
        updated=_t(24, 17, 40),
        tags=("업비트", "가상자산", "해킹"),
        authors=(("이서연", "lee.seoyeon@joongang.co.kr"),),
        extras=frozenset({"ads"}),
    ),
    Story(
        25401431,
        _t(24, 9, 0),
        "소상공인 배달비 부담 낮춘다…배달앱 상생안 최종 합의",
        "배달앱 플랫폼과 입점 업체가 중개수수료를 매출에 따라 차등 적용하는 상생안에 합의했다.",
        (
            "배달플랫폼-입점업체 상생협의체는 24일 매출 하위 업체의 중개수수료를 2%대로 낮추는 "
            "상생안에 최종 합의했다. 소상공인 단체들은 배달비 부담이 줄어들 것으로 기대했다.",
            "중소벤처기업부는 상생안 이행 상황을 분기마다 점검하고, 소상공인 배달비 지원 사업도 "
            "내년까지 연장하기로 했다.",
        ),
        frozenset({"sme"}),
        tags=("소상공인", "배달앱", "중기부"),
        authors=(("정다은", "jung.daeun@joongang.co.kr"),),
        subsection="산업",
    ),
    Story(
        25401402,
        _t(23, 20, 15),
        "동네 코인노래방 매출 회복세…“주말엔 대기 손님까지”",
        "코로나19 이후 문을 닫았던 코인노래방이 다시 늘고 있다.",
        (
            "서울 마포구에서 코인노래방을 운영하는 A씨는 “요즘은 주말 저녁에 대기 손님까지 생겼다”고 "
            "말했다. 한 곡에 500원을 넣는 코인노래방은 10대와 20대 사이에서 다시 인기를 끌고 있다.",
            "업계에 따르면 올해 새로 문을 연 코인노래방은 지난해보다 12% 늘었다.",
        ),
        frozenset(),
        tag=None,
        authors=(("한지훈", None),),
        subsection="생활",
    ),
    Story(
        25401377,
        _t(23, 11, 20),
        "네이버 하이퍼클로바X, 추론 모델 공개…“수학·코딩 성능 두 배”",
        "네이버가 하이퍼클로바X 기반의 추론 특화 모델을 공개했다.",
        (
            _img(23, "b7e1-hyperclova", "네이버 하이퍼클로바X 발표 현장. 사진 네이버"),
            "네이버는 23일 개발자 행사에서 생성 AI 모델 ‘하이퍼클로바X 씽크’를 공개했다. "
            "수학과 코딩 과제에서 이전 모델보다 두 배 높은 점수를 냈다는 설명이다.",
            "네이버는 이 모델을 검색과 쇼핑 서비스에 차례로 붙이고, 기업용 API로도 판매한다.",
            "Q: 기존 모델과 무엇이 다른가\nA: 답을 내기 전에 여러 단계로 생각하는 추론 과정을 거친다.",
        ),
        frozenset({"ai"}),
        jsonld=True,
        tags=("네이버", "하이퍼클로바X", "생성AI"),
        image=_img(23, "b7e1-hyperclova", "하이퍼클로바X"),
        extras=frozenset({"qa", "related"}),
    ),
    Story(
        25401350,
        _t(23, 7, 0),
        "고병원성 AI 확진 잇따라…전남 가금 농장 3곳 살처분",
        "전남 지역 가금 농장에서 고병원성 조류인플루엔자(AI)가 잇따라 확진됐다.",
        (
            "농림축산식품부는 23일 전남 나주와 영암의 오리 농장 3곳에서 고병원성 AI 항원이 검출돼 "
            "사육 중인 가금류를 살처분했다고 밝혔다.",
            "방역 당국은 철새 도래지 주변의 AI 확산을 막기 위해 일시 이동중지 명령을 내렸다. "
            "올겨울 들어 고병원성 AI 확진 농장은 모두 11곳이다.",
        ),
        frozenset(),
        tag=None,
        authors=(("오세훈", "oh.sehoon@joongang.co.kr"),),
        subsection="사회",
    ),
    Story(
        25401322,
        _t(22, 16, 45),
        "원화 스테이블코인 법제화 속도…한은 “은행 중심으로”",
        "원화 기반 스테이블코인 발행 주체를 두고 한국은행과 금융위원회가 이견을 좁히고 있다.",
        (
            "국회에 발의된 디지털자산기본법 개정안은 원화 스테이블코인 발행을 허용하는 내용을 담았다. "
            "한국은행은 은행 중심의 발행이 통화 안정에 유리하다는 입장이다.",
            "핀테크 업계는 스테이블코인이 결제 비용을 낮출 것이라고 기대한다. 한은은 예금토큰 실험과 "
            "CBDC 연구도 이어가고 있다.",
        ),
        frozenset({"crypto"}),
        era="2022",
        tag="prefix",
        jsonld=True,
        tags=("스테이블코인", "CBDC"),
        authors=(("이서연", "lee.seoyeon@joongang.co.kr"),),
        subsection="금융",
    ),
    Story(
        25401298,
        _t(22, 10, 5),
        "중기 재정계획 발표…국가채무 비율 50% 넘어선다",
        "기획재정부가 2026~2030년 국가재정운용계획을 내놨다.",
        (
            "기획재정부는 22일 중기 재정계획을 통해 국가채무 비율이 2028년 50%를 넘어설 것으로 "
            "내다봤다. 중기 재정지출 증가율은 연평균 4.1%로 잡았다.",
            "정부는 재정준칙 법제화를 다시 추진하겠다고 밝혔다.",
        ),
        frozenset(),
        tag=None,
        authors=(("최유리", None),),
        subsection="경제",
    ),
    Story(
        25401271,
        _t(21, 19, 30),
        "TIPS 선정 스타트업 500곳 돌파…모태펀드 예산은 제자리",
        "민간투자주도형 기술창업 지원사업(TIPS)에 선정된 스타트업이 올해 500곳을 넘었다.",
        (
            "중소벤처기업부는 21일 올해 TIPS 선정 기업이 512곳이라고 밝혔다. 지원 규모는 "
            "기업당 최대 5억원이다.",
            "## 벤처투자 혹한기, 정책 자금이 버팀목",
            "반면 내년 모태펀드 출자 예산은 올해와 같은 수준에 머물렀다. 벤처캐피털 업계는 "
            "“민간 출자가 줄어든 상황에서 정책 자금마저 늘지 않으면 초기 투자가 위축된다”고 말했다.",
        ),
        frozenset({"sme"}),
        updated=_t(22, 8, 10),
        tags=("TIPS", "모태펀드", "스타트업"),
        authors=(("정다은", "jung.daeun@joongang.co.kr"), ("김민지", "kim.minji@joongang.co.kr")),
        extras=frozenset({"box"}),
    ),
    Story(
        25401244,
        _t(21, 13, 0),
        "카카오 ‘카나나’ 전면 개편…AI 에이전트가 예약까지",
        "카카오가 AI 서비스 카나나를 에이전트 형태로 개편했다.",
        (
            "카카오는 21일 카나나가 사용자의 대화를 이해해 식당 예약과 선물하기까지 대신 처리한다고 "
            "밝혔다. 자체 개발한 언어모델에 오픈AI의 모델을 함께 쓴다.",
            "카카오는 AI 에이전트 서비스를 카카오톡 안에 넣어 이용자를 늘린다는 전략이다.",
        ),
        frozenset({"ai"}),
        tags=("카카오", "카나나"),
        member_only=True,
        authors=(("박준호", "park.junho@joongang.co.kr"),),
    ),
    Story(
        25401219,
        _t(20, 17, 20),
        "AIA생명, 3분기 순이익 12% 증가",
        "AIA생명이 보장성 보험 판매 호조로 3분기 실적이 개선됐다.",
        (
            "AIA생명은 20일 3분기 순이익이 1120억원으로 지난해 같은 기간보다 12% 늘었다고 공시했다.",
            "회사 측은 건강보험 신상품 판매가 늘었다고 설명했다.",
        ),
        frozenset(),
        tag=None,
        authors=(("최유리", None),),
        subsection="금융",
    ),
    Story(
        25401190,
        _t(20, 9, 40),
        "빗썸, 코스닥 상장 재추진…가상자산 거래소 첫 IPO 되나",
        "가상자산 거래소 빗썸이 코스닥 상장 절차를 다시 밟는다.",
        (
            "빗썸은 20일 한국거래소에 상장 예비심사를 청구했다. 가상자산 거래소가 국내 증시에 "
            "상장하는 첫 사례가 될지 관심이 쏠린다.",
            "빗썸은 거래 수수료에 치우친 수익 구조를 바꾸기 위해 수탁과 토큰증권(STO) 사업을 "
            "키우겠다고 밝혔다.",
        ),
        frozenset({"crypto"}),
        tags=("빗썸", "IPO"),
        authors=(("이서연", "lee.seoyeon@joongang.co.kr"),),
        og=False,
    ),
    Story(
        25401163,
        _t(19, 14, 0),
        "AI 기본법 시행령 입법예고…고영향 AI 사업자 의무 구체화",
        "과기정통부가 AI 기본법 시행령 제정안을 입법예고했다.",
        (
            "시행령은 채용, 대출 심사 등에 쓰이는 고영향 AI의 범위와 사업자 의무를 정했다. "
            "생성 AI 결과물에는 워터마크 표시가 의무화된다.",
            "스타트업 업계는 규제 부담을 우려한다. 한 AI 스타트업 대표는 “과태료 유예 기간을 "
            "충분히 둬야 한다”고 말했다.",
        ),
        frozenset({"ai"}),
        era="2022",
        tag="prefix",
        updated=_t(19, 18, 0),
        tags=("AI기본법", "규제"),
        authors=(("김민지", "kim.minji@joongang.co.kr"),),
        extras=frozenset({"related", "ads"}),
    ),
    Story(
        25401137,
        _t(19, 8, 30),
        "드라마 ‘스타트업’ 배우들 5년 만에 재회…OTT 역주행",
        "창업 이야기를 다룬 드라마 ‘스타트업’이 OTT에서 다시 인기다.",
        (
            "2020년 방영된 드라마 스타트업의 주연 배우들이 예능 프로그램에서 5년 만에 다시 만났다. "
            "방송 이후 드라마는 OTT 인기 순위 3위까지 올랐다.",
            "드라마는 가상의 창업 지원 공간 ‘샌드박스’를 배경으로 청춘들의 도전을 그렸다.",
        ),
        frozenset(),
        tag=None,
        authors=(("한지훈", None),),
        subsection="문화",
    ),
    Story(
        25401110,
        _t(18, 16, 10),
        "중소기업 외국인력 쿼터 16만 명으로 확대…“구인난 숨통”",
        "정부가 내년 고용허가제 외국인력 도입 규모를 16만 명으로 늘린다.",
        (
            "고용노동부와 중소벤처기업부는 18일 중소 제조업의 인력난을 덜기 위해 외국인력 쿼터를 "
            "확대한다고 밝혔다. 뿌리산업 중소기업에는 고용 한도를 20% 더 얹어준다.",
            "중소기업중앙회는 “현장 구인난에 숨통이 트일 것”이라고 환영했다.",
        ),
        frozenset({"sme"}),
        tags=("외국인력", "중소기업"),
        authors=(("정다은", "jung.daeun@joongang.co.kr"),),
        subsection="산업",
    ),
    Story(
        25401084,
        _t(18, 10, 0),
        "삼성전자 HBM4 양산…“AI 수요가 메모리 판 바꿨다”",
        "삼성전자가 AI 가속기용 6세대 고대역폭메모리(HBM4) 양산에 들어갔다.",
        (
            _img(18, "c3d9-hbm4", "삼성전자 HBM4 제품. 사진 삼성전자"),
            "삼성전자는 18일 HBM4 양산을 시작했다고 밝혔다. 생성 AI 학습용 가속기 수요가 늘면서 "
            "HBM 시장은 해마다 두 배 가까이 커지고 있다.",
            "업계는 AI 데이터센터 투자가 이어지는 한 메모리 호황이 계속될 것으로 본다.",
        ),
        # a memory maker's product riding AI demand: not ai by tests/data/topics/RULES.md
        # (labelled ai when it was written, before those rules)
        frozenset(),
        jsonld=True,
        tags=("삼성전자", "HBM", "AI반도체"),
        image=_img(18, "c3d9-hbm4", "HBM4"),
        authors=(("박준호", "park.junho@joongang.co.kr"),),
    ),
    Story(
        25401058,
        _t(17, 20, 0),
        "코인빨래방 창업 늘지만…폐업률도 최고",
        "무인 코인빨래방 창업이 늘고 있지만 폐업도 많다.",
        (
            "무인 코인세탁 업종은 인건비가 들지 않아 은퇴자 창업 아이템으로 꼽힌다. "
            "그러나 상권 분석 없이 문을 열었다가 1년 안에 폐업하는 곳도 많다.",
            "한 창업 컨설턴트는 “초기 설비 비용이 1억원을 넘는다”고 말했다.",
        ),
        frozenset(),
        tag=None,
        authors=(("오세훈", "oh.sehoon@joongang.co.kr"),),
        subsection="생활",
    ),
    Story(
        25401031,
        _t(17, 11, 30),
        "오픈AI, 한국 법인 설립…“국내 기업과 AI 인프라 협력”",
        "챗GPT 개발사 오픈AI가 한국 법인을 세우고 국내 기업과 협력을 넓힌다.",
        (
            "오픈AI는 17일 서울에 한국 법인을 설립했다고 밝혔다. 한국은 챗GPT 유료 구독자 수가 "
            "미국 다음으로 많은 나라다.",
            "오픈AI는 국내 통신사, 반도체 기업과 AI 데이터센터 협력도 논의 중이다.",
        ),
        frozenset({"ai"}),
        era="2022",
        tag="prefix",
        tags=("오픈AI", "챗GPT"),
        authors=(("김민지", "kim.minji@joongang.co.kr"),),
        extras=frozenset({"ads", "vod"}),
    ),
    Story(
        25401005,
        _t(16, 15, 0),
        "동전주 급등락 주의보…금감원 “테마주 추종 매매 위험”",
        "주가가 1000원 미만인 동전주가 테마에 따라 급등락하고 있다.",
        (
            "금융감독원은 16일 동전주 투자 주의보를 내렸다. 일부 종목은 NFT, 로봇 같은 테마에 "
            "엮여 하루 30% 가까이 오르내렸다.",
            "금감원은 “실적과 무관한 테마주 추종 매매는 손실 위험이 크다”고 경고했다.",
        ),
        frozenset(),
        tag=None,
        authors=(("최유리", None),),
        subsection="증권",
    ),
    Story(
        25400979,
        _t(16, 9, 20),
        "복수의결권 도입 1년…벤처 창업자 23곳 활용",
        "비상장 벤처기업 창업주에게 1주당 최대 10개의 의결권을 주는 복수의결권 제도가 도입 1년을 맞았다.",
        (
            "중소벤처기업부에 따르면 지난 1년간 23개 벤처기업이 복수의결권 주식을 발행했다. "
            "투자 유치 과정에서 창업자의 경영권을 지키는 장치다.",
            "벤처기업협회는 적용 대상을 상장 이후까지 넓혀 달라고 요구하고 있다.",
        ),
        frozenset({"sme"}),
        era="2022",
        tag="prefix",
        tags=("복수의결권", "벤처"),
        authors=(("정다은", "jung.daeun@joongang.co.kr"),),
    ),
    Story(
        25400952,
        _t(15, 18, 0),
        "“AI 교과서 효과 있나” 도입 1년 만에 지위 논란",
        "AI 디지털교과서가 도입 1년 만에 교육자료로 격하될 위기에 놓였다.",
        (
            "교육부는 15일 AI 디지털교과서 활용 실태 조사 결과를 발표했다. 학생의 학습 시간은 "
            "늘었지만 성취도 변화는 뚜렷하지 않았다.",
            "국회에서는 AI 교과서를 교과서가 아닌 교육자료로 바꾸는 법안이 논의되고 있다.",
        ),
        frozenset({"ai"}),
        tags=("AI교과서", "교육"),
        authors=(("한지훈", None),),
        subsection="사회",
        extras=frozenset({"letter"}),
    ),
    Story(
        25400926,
        _t(15, 10, 40),
        "한은 CBDC 2차 실험 착수…예금토큰으로 전기차 보조금 지급",
        "한국은행이 예금토큰을 활용한 CBDC 2차 실험에 나선다.",
        (
            "한국은행은 15일 은행 7곳과 함께 예금토큰으로 정부 보조금을 지급하는 실험을 시작한다고 "
            "밝혔다. 블록체인 기반의 디지털화폐가 실제 정책 집행에 쓰이는 첫 사례다.",
            "한은은 실험 결과를 바탕으로 CBDC 도입 여부를 결정할 계획이다.",
        ),
        frozenset({"crypto"}),
        updated=_t(15, 14, 30),
        tags=("CBDC", "예금토큰", "한국은행"),
        authors=(("이서연", "lee.seoyeon@joongang.co.kr"),),
        subsection="금융",
    ),
    Story(
        25400900,
        _t(14, 17, 30),
        "스마트상점 기술 보급 2만 곳…소상공인 키오스크 지원 확대",
        "중기부가 소상공인 스마트상점 기술 보급 사업을 확대한다.",
        (
            "중소벤처기업부는 14일 내년 스마트상점 기술 보급 대상을 2만 곳으로 늘린다고 밝혔다. "
            "키오스크와 서빙로봇 도입 비용의 최대 70%를 지원한다.",
            "소상공인연합회는 고령 점주를 위한 교육도 함께 늘려 달라고 요청했다.",
        ),
        frozenset({"sme"}),
        jsonld=True,
        tags=("스마트상점", "소상공인"),
        authors=(("정다은", "jung.daeun@joongang.co.kr"),),
        subsection="산업",
    ),
    Story(
        25400873,
        _t(14, 9, 0),
        "전기차 배터리 화재 막는다…LFP 안전성 시험 강화",
        "정부가 전기차 배터리 안전성 인증 기준을 강화한다.",
        (
            "국토교통부는 14일 전기차 배터리의 열폭주 시험을 의무화하는 규칙 개정안을 내놨다.",
            "배터리 업계는 LFP 배터리의 안전성이 높다며 시험 기준을 반겼다.",
        ),
        frozenset(),
        authors=(("박준호", "park.junho@joongang.co.kr"),),
        subsection="산업",
    ),
    Story(
        25400847,
        _t(13, 16, 0),
        "가상자산 법인 계좌 허용 1년…상장사 38곳 코인 샀다",
        "법인의 가상자산 거래가 허용된 지 1년, 상장사 38곳이 비트코인 등을 사들였다.",
        (
            "금융위원회에 따르면 법인 실명계좌를 튼 상장사 38곳이 비트코인과 이더리움을 합쳐 "
            "약 1조2000억원어치를 보유하고 있다.",
            "코인 가격이 크게 흔들리면서 일부 기업은 평가손실을 냈다.",
        ),
        frozenset({"crypto"}),
        tags=("가상자산", "법인계좌", "비트코인"),
        authors=(("이서연", "lee.seoyeon@joongang.co.kr"),),
        window_article=False,
    ),
    Story(
        25400820,
        _t(13, 10, 10),
        "딥시크 쇼크 그 후…중국 오픈소스 LLM, 국내 기업도 쓴다",
        "중국 딥시크의 오픈소스 언어모델을 국내 기업들이 사내 업무에 도입하고 있다.",
        (
            "딥시크(DeepSeek)의 LLM은 성능에 비해 비용이 낮아 국내 중소 IT 기업들이 많이 쓴다. "
            "다만 데이터 유출 우려로 공공기관은 사용을 막았다.",
            "전문가들은 “오픈소스 AI를 쓰더라도 서버를 국내에 두는 방식이 안전하다”고 조언한다.",
        ),
        frozenset({"ai"}),
        era="2022",
        tag="prefix",
        tags=("딥시크", "LLM"),
        authors=(("김민지", "kim.minji@joongang.co.kr"),),
    ),
    Story(
        25400794,
        _t(12, 18, 20),
        "반도체 장비 국산화율 30% 돌파",
        "국내 반도체 장비 국산화율이 처음으로 30%를 넘었다.",
        (
            "한국반도체산업협회는 12일 올해 장비 국산화율이 31.2%라고 밝혔다. 식각과 세정 장비에서 "
            "국산 비중이 크게 늘었다.",
            "노광 장비는 여전히 전량 수입에 의존한다.",
        ),
        frozenset(),
        authors=(("박준호", "park.junho@joongang.co.kr"),),
        subsection="산업",
    ),
    Story(
        25400768,
        _t(12, 11, 0),
        "납품대금 연동제 2년…중소기업 “원자재 가격 반영 체감”",
        "원자재 가격이 오르면 납품대금도 올려주는 납품대금 연동제가 시행 2년을 맞았다.",
        (
            "중소벤처기업부 조사에 따르면 수탁기업의 62%가 연동제로 납품대금이 올랐다고 답했다.",
            "중소기업 옴부즈만은 연동제 적용 예외 조항을 악용하는 사례를 점검하겠다고 밝혔다.",
        ),
        frozenset({"sme"}),
        updated=_t(12, 15, 45),
        tags=("납품대금연동제", "중소기업"),
        authors=(("정다은", "jung.daeun@joongang.co.kr"),),
        subsection="산업",
    ),
    Story(
        25400741,
        _t(11, 20, 30),
        "NFT 시장 다시 꿈틀…게임사들 블록체인 게임 재출시",
        "침체했던 NFT 시장이 블록체인 게임을 중심으로 살아나고 있다.",
        (
            "위메이드와 넷마블 등 게임사들은 NFT 아이템을 거래할 수 있는 블록체인 게임을 다시 "
            "내놓고 있다. 국내에서는 사행성 우려로 서비스가 막혀 해외에서만 출시한다.",
            "업계는 가상자산 시장 회복으로 NFT 거래량이 석 달 새 두 배로 늘었다고 본다.",
        ),
        frozenset({"crypto"}),
        tags=("NFT", "블록체인게임"),
        authors=(("한지훈", None),),
        subsection="게임",
    ),
    Story(
        25400715,
        _t(11, 9, 30),
        "AI 저작권 첫 판결…“AI가 만든 그림, 저작물 아니다”",
        "생성 AI가 만든 이미지의 저작권을 다툰 국내 첫 판결이 나왔다.",
        (
            "서울중앙지법은 11일 이미지 생성 AI로 만든 그림은 사람의 창작적 기여가 없어 저작물로 "
            "볼 수 없다고 판결했다.",
            "다만 사람이 AI 결과물을 상당 부분 고쳤다면 그 부분은 보호받을 수 있다고 덧붙였다.",
        ),
        frozenset({"ai"}),
        jsonld=True,
        updated=_t(11, 16, 0),
        tags=("AI저작권", "생성AI"),
        authors=(("김민지", "kim.minji@joongang.co.kr"), ("오세훈", "oh.sehoon@joongang.co.kr")),
        subsection="사회",
    ),
    Story(
        25400688,
        _t(10, 17, 0),
        "자동차 부품사 조인트벤처 설립…멕시코 공장 공동 운영",
        "국내 자동차 부품사 두 곳이 멕시코에 조인트벤처를 세운다.",
        (
            "두 회사는 10일 멕시코 누에보레온주에 50대 50 지분의 조인트벤처를 설립한다고 공시했다.",
            "조인트벤처는 2028년부터 전기차용 부품을 생산한다.",
        ),
        frozenset(),
        tag=None,
        authors=(("최유리", None),),
        subsection="산업",
    ),
    Story(
        25400662,
        _t(10, 10, 0),
        "중소기업 중대재해법 유예 재논의…여야 “영세 사업장 지원 먼저”",
        "50인 미만 사업장의 중대재해처벌법 적용을 두고 국회 논의가 다시 시작됐다.",
        (
            "중소기업계는 안전관리 인력을 구하기 어렵다며 적용 유예를 요구하고 있다. "
            "중소벤처기업부는 영세 사업장의 안전설비 지원 예산을 늘리겠다고 밝혔다.",
            "노동계는 유예가 반복되면 법의 취지가 무너진다고 반발한다.",
        ),
        frozenset({"sme"}),
        era="2022",
        tag="prefix",
        tags=("중대재해법", "중소기업"),
        authors=(("정다은", "jung.daeun@joongang.co.kr"),),
        subsection="산업",
    ),
    Story(
        25400635,
        _t(9, 15, 30),
        "[속보] 코인원, 위믹스 상장 폐지 결정",
        "가상자산 거래소 코인원이 위믹스의 상장 폐지를 결정했다.",
        (
            "코인원은 9일 유통량 공시 위반을 이유로 위믹스를 다음 달 상장 폐지한다고 공지했다. "
            "닥사 회원 거래소들도 같은 결정을 내릴 것으로 보인다.",
        ),
        frozenset({"crypto"}),
        tags=("코인원", "상장폐지"),
        authors=(("이서연", "lee.seoyeon@joongang.co.kr"),),
    ),
    Story(
        25400609,
        _t(9, 9, 0),
        "AI 스타트업 투자 한파…‘모태펀드 AI 전용 계정’ 신설",
        "벤처투자 시장이 얼어붙자 정부가 AI 스타트업 전용 모태펀드 계정을 만든다.",
        (
            "중소벤처기업부는 9일 모태펀드에 AI 전용 계정을 새로 만들어 1500억원을 출자한다고 밝혔다. "
            "생성 AI와 AI 반도체 스타트업이 주요 투자 대상이다.",
            "정부는 AI 스타트업의 해외 진출을 돕는 글로벌 펀드도 함께 조성한다.",
        ),
        frozenset({"ai", "sme"}),
        jsonld=True,
        tags=("모태펀드", "AI스타트업"),
        authors=(("김민지", "kim.minji@joongang.co.kr"), ("정다은", "jung.daeun@joongang.co.kr")),
    ),
    Story(
        25400582,
        _t(8, 14, 20),
        "[팩플레터] 이번 주 테크 업계를 흔든 세 장면",
        "팩플 뉴스레터가 이번 주 테크 업계 소식을 정리했다.",
        (
            "이번 주에는 배터리 화재 안전 기준, 위성 인터넷 서비스 출시, 통신요금 개편이 "
            "화제였습니다. 팩플레터 구독자에게는 매주 금요일 아침 소식을 보내 드립니다.",
        ),
        frozenset(),
        tag=None,
        authors=(("팩플팀", None),),
    ),
    Story(
        25400556,
        _t(8, 9, 10),
        "소상공인 손실보상 환수 논란…중기부 “분할 납부 허용”",
        "코로나19 손실보상금 환수를 두고 소상공인 반발이 커지자 정부가 분할 납부를 허용했다.",
        (
            "중소벤처기업부는 8일 손실보상금 과다 지급분을 최대 5년에 걸쳐 나눠 낼 수 있게 했다. "
            "환수 대상 소상공인은 약 3만 명이다.",
        ),
        frozenset({"sme"}),
        tags=("손실보상", "소상공인"),
        authors=(("정다은", "jung.daeun@joongang.co.kr"),),
        og=False,
        window_article=False,
    ),
    Story(
        25400530,
        _t(7, 17, 40),
        "위성 인터넷 국내 출시…산간·해상서도 100Mbps",
        "저궤도 위성 인터넷 서비스가 국내에 출시됐다.",
        (
            "위성 인터넷은 산간 지역과 선박에서도 초당 100메가비트 속도를 낸다. 월 이용료는 "
            "8만원대부터다.",
            "통신 업계는 재난 상황의 통신 백업망으로도 쓸 수 있다고 본다.",
        ),
        frozenset(),
        authors=(("박준호", "park.junho@joongang.co.kr"),),
    ),
    Story(
        25400503,
        _t(7, 10, 30),
        "토큰증권 법안 국회 통과…STO 장외거래소 내년 문 연다",
        "토큰증권(STO) 발행과 유통을 허용하는 자본시장법 개정안이 국회를 통과했다.",
        (
            "개정안은 블록체인 분산원장으로 증권을 발행하고, 장외거래소에서 사고팔 수 있게 했다. "
            "증권사와 가상자산 업계가 함께 시장을 준비하고 있다.",
            "금융위원회는 내년 하반기 첫 장외거래소 인가를 내줄 계획이다.",
        ),
        frozenset({"crypto"}),
        updated=_t(8, 9, 0),
        tags=("STO", "토큰증권"),
        authors=(("이서연", "lee.seoyeon@joongang.co.kr"),),
        subsection="금융",
    ),
    Story(
        25400477,
        _t(6, 16, 0),
        "정부 R&D 중기 경영전략 수립…“예산 효율화가 핵심”",
        "과기정통부가 산하 연구기관의 중기 경영전략을 새로 짰다.",
        (
            "과기정통부는 6일 출연연의 5개년 중기 경영전략을 발표했다. 중복 과제를 줄이고 "
            "대형 연구에 예산을 몰아주는 내용이 담겼다.",
        ),
        frozenset(),
        tag=None,
        authors=(("최유리", None),),
        subsection="과학",
    ),
    Story(
        25400450,
        _t(6, 9, 40),
        "김치프리미엄 다시 5%…가상자산 거래대금 주식시장 넘었다",
        "국내 가상자산 거래대금이 코스피 거래대금을 넘어섰다.",
        (
            "업비트와 빗썸의 하루 거래대금이 20조원을 넘으며 코스피를 웃돌았다. 비트코인의 국내 "
            "가격이 해외보다 5% 높은 김치프리미엄도 다시 나타났다.",
            "금융당국은 이상 거래 감시를 강화하겠다고 밝혔다.",
        ),
        frozenset({"crypto"}),
        jsonld=True,
        tags=("비트코인", "김치프리미엄"),
        authors=(("이서연", "lee.seoyeon@joongang.co.kr"),),
        subsection="금융",
    ),
    Story(
        25400424,
        _t(5, 15, 0),
        "“AI가 일자리 뺏나” 콜센터 상담원 30% 줄었다",
        "AI 상담 도입으로 금융권 콜센터 상담 인력이 크게 줄었다.",
        (
            "금융권 콜센터 상담원 수는 3년 새 30% 감소했다. 은행들은 생성 AI 상담 챗봇이 단순 "
            "문의의 70%를 처리한다고 밝혔다.",
            "노동계는 AI 도입에 따른 고용 영향 평가를 의무화해야 한다고 주장한다.",
        ),
        frozenset({"ai"}),
        tags=("AI", "일자리"),
        authors=(("한지훈", None),),
        subsection="사회",
    ),
    Story(
        25400398,
        _t(5, 8, 0),
        "통신 3사 5G 요금 인하…최저 2만원대",
        "통신 3사가 5G 최저 요금제를 2만원대로 낮췄다.",
        (
            "SK텔레콤, KT, LG유플러스는 5일 데이터 제공량이 적은 5G 요금제를 새로 내놨다.",
            "알뜰폰 업계는 가입자 이탈을 우려한다.",
        ),
        frozenset(),
        authors=(("박준호", "park.junho@joongang.co.kr"),),
    ),
    Story(
        25400371,
        _t(4, 14, 30),
        "벤처기업 확인제도 개편…‘혁신성 평가’ 민간에 맡긴다",
        "벤처기업 확인 업무가 민간 전문기관으로 넘어간다.",
        (
            "중소벤처기업부는 4일 벤처기업 확인 기준에 기술 혁신성 평가를 넣고, 평가를 민간 "
            "벤처기업확인기관에 맡긴다고 밝혔다.",
            "벤처업계는 확인 절차가 빨라질 것으로 기대한다.",
        ),
        frozenset({"sme"}),
        tags=("벤처확인", "중기부"),
        authors=(("정다은", "jung.daeun@joongang.co.kr"),),
    ),
    Story(
        25400345,
        _t(3, 18, 0),
        "코인 뒷돈 받은 공무원 기소…가상자산 보유 신고 누락",
        "가상자산으로 뇌물을 받은 공무원이 재판에 넘겨졌다.",
        (
            "검찰은 3일 업체 편의를 봐주고 코인 3억원어치를 받은 혐의로 공무원 A씨를 기소했다. "
            "A씨는 재산 신고에서 가상자산 보유 사실을 빠뜨렸다.",
            "정부는 공직자 가상자산 보유 신고 제도를 손질하기로 했다.",
        ),
        frozenset({"crypto"}),
        tags=("가상자산", "뇌물"),
        authors=(("오세훈", "oh.sehoon@joongang.co.kr"),),
        subsection="사회",
    ),
)


@dataclass(frozen=True)
class Special:
    """A list card whose article page is not a normal article."""

    id: int
    published: datetime
    title: str
    kind: str  # "missing" (404), "notice" (200, not an article), "redirect" (to another id)
    target: int | None = None


SPECIALS: tuple[Special, ...] = (
    Special(25401010, _t(16, 20, 0), "삭제된 기사입니다", "missing"),
    Special(25400690, _t(10, 18, 0), "서비스 점검 안내", "notice"),
    Special(25400400, _t(5, 9, 0), "통신 3사 5G 요금 인하 (재송고)", "redirect", target=25400398),
)
