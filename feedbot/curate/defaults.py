"""Built-in topic definitions, in the same shape as a `[topics.<id>]` table of config.toml.

They pass through the same validation as a curator's tables; a `[topics.ai]` table in the config
replaces the keys it names and keeps the rest. Weights: 4 = the term alone nearly decides
(중기부, 가상자산, 챗GPT), 2–3 = strong but ambiguous, 1–1.5 = supporting context only.
Thresholds: a term of weight 3 in the title (×3 = 9) is enough; in the lead (×2) it needs
support; a lone mention in the body (×1) never is.
"""

from __future__ import annotations

from typing import Any

# the words any AI-adjacent story uses; a named model or AI company is not among them
_GENERIC_AI = ["AI", "인공지능", "생성형", "GPU", "엔비디아", "HBM", "데이터센터", "추론", "NPU"]
# AI labs: a market headline naming one is about that lab's business
_AI_LABS = "오픈AI|OpenAI|앤트로픽|딥시크"
# companies whose own results or products are AI news, whatever the headline's kind
_AI_COMPANIES = f"엔비디아|{_AI_LABS}"
# The AI terms that name a model, a lab or an AI product (RULES.md: a named model is an AI
# subject), and their points. A product, parts, memory or robot headline that names none of
# them makes every one of them context (a model named only in the lead is the product's
# feature); tests/test_topics.py checks every other AI term is generic or a method.
_AI_NAME_TERMS: dict[str, float] = {
    "챗GPT": 4.0,
    "ChatGPT": 4.0,
    "챗지피티": 4.0,
    "GPT": 3.0,
    "오픈AI": 4.0,
    "OpenAI": 4.0,
    "LLM": 4.0,
    "언어모델": 4.0,
    "하이퍼클로바": 4.0,
    # (a platform's translation feature is named by it as often as the service's own news)
    "파파고": 2.0,
    "카나나": 3.0,
    "에이닷": 3.0,
    "익시오": 2.0,
    "어니봇": 3.0,
    "딥시크": 4.0,
    "DeepSeek": 4.0,
    "제미나이": 4.0,
    "제미니": 3.0,
    "Gemini": 3.0,
    "클로드": 2.0,
    "Claude": 2.0,
    "코파일럿": 3.0,
    "Copilot": 3.0,
    "Llama": 3.0,
    "Sora": 2.0,
    "알트만": 3.0,
    "미드저니": 3.0,
    "Midjourney": 3.0,
    "파운데이션 모델": 3.0,
    # AI labs and their model families
    "앤트로픽": 4.0,
    "Anthropic": 4.0,
    "딥마인드": 3.0,
    "DeepMind": 3.0,
    "미스트랄": 3.0,
    # 큐원 is also a sugar brand: the model family is named with its version
    "re:큐원\\s?\\d": 3.0,
    "Qwen": 3.0,
    "엑사원": 4.0,
    "EXAONE": 4.0,
    "퍼플렉시티": 3.0,
    "xAI": 3.0,
    "그록": 3.0,
}
# AI methods and misuses named as the news (RULES.md: deepfakes, chatbots, AI research): they
# count in a product headline too (a deepfake made with a phone app is still a deepfake story)
_AI_METHODS = ["딥러닝", "머신러닝", "챗봇", "딥페이크", "학습 데이터", "워터마크", "에이전트"]
# what a headline names when it is about an AI model or product: the name terms, and spellings
# and products that are no term of their own (클로바 would count twice inside 하이퍼클로바)
_AI_NAMES = "|".join(
    [t[3:] if t.startswith("re:") else t.replace(" ", "\\s?") for t in _AI_NAME_TERMS]
    + ["(?<!하이퍼)클로바", "젬마", "가우스", "라마\\s?\\d", "AI\\s?파트너"]
)
# an AI law or regulation, whatever products it covers, is AI policy (RULES.md)
_AI_LAW = "(?:AI|인공지능)\\s?(?:기본)?법|(?:AI|인공지능)\\s?규제"
# a product, parts, memory or robot headline without an AI name: every AI word but the methods
_PRODUCT_CONTEXT = [*_GENERIC_AI, *_AI_NAME_TERMS]
# Nvidia as the headline's subject (after a tag such as [단독] or a country): its own products
# are AI news
_NVIDIA_LEADS = "\\A(?:\\[[^\\]\\n]*\\]\\s*)?(?:美|미국)?\\s*엔비디아"
# Nvidia's own results: AI news (RULES.md), in a market headline too
_NVIDIA_RESULTS = "엔비디아\\s?(?:\\S+\\s?)?(?:분기|실적|매출)"
# an antitrust case framed around AI is AI news, one about a chip maker's merger is not (RULES.md)
_AI_ANTITRUST = "(?:AI|인공지능)[^\\n]{0,30}(?:반독점|독점\\s?금지)|(?:반독점|독점\\s?금지)[^\\n]{0,30}(?:AI|인공지능)"
# a government controlling exports: the verbs after 수출 (and a particle) that make it so
_CONTROLS = "통제|규제|허가|허용|재개|제한|금지|중단|막(?:는|아|겠|기로|으려)"
_EXPORT_CONTROL = f"수출[도을은이만]?\\s?(?:{_CONTROLS})"
# what keeps a market headline AI news whoever leads it: an accelerator by name, one set against
# Nvidia's, export control of AI chips (with a particle, 수출도 막는다; a government blocking it,
# not exports that 막혔다 on tariffs), an antitrust case about AI, a generative-AI product,
# an AI-chip company's own shares (RULES.md: an AI company's listing or share swing is ai)
_MARKET_EXEMPT = (
    f"블랙웰|루빈|호퍼|H100|H20|GB200|대항마?|추격|{_EXPORT_CONTROL}|{_AI_ANTITRUST}|"
    "생성형\\s?AI\\s?(?:검색|서비스|모델|챗봇)|리벨리온|퓨리오사"
)
# 중소·중견기업 (중소·중견 수출기업) shares its head word: the SMEs are named, and no 중소기업 is
# written (every middle dot reads as ·); not 중소·중견 건설사 or 협력사, which name an industry's
# firms or a big firm's suppliers, as 중소 건설사 does
_SMES_AND_MID_SIZED = "re:중소\\s?[·,]\\s?중견\\s?(?:[가-힣]{1,3}\\s?)?기업"
_SMALL_MERCHANTS = "re:영세\\s?(?:·\\s?중소\\s?)?가맹점"  # a card fee's policy name for them
# the words any story that touches small firms uses; a ministry, an agency or a programme's own
# name is not among them
_GENERIC_SME = [
    "중소기업",
    "소상공인",
    "자영업",
    "벤처기업",
    "벤처",
    "스타트업",
    "창업",
    "정책자금",
    # the compounds of those words, which would otherwise bring back what their head lost
    "스타트업 투자",
    "벤처펀드",
    "청년창업",
    "창업 지원",
    "창업보육",
    "데모데이",
    _SMES_AND_MID_SIZED,
    "새출발기금",  # fraud that abuses the fund counts its victims too
    "카드수수료",
    _SMALL_MERCHANTS,
    "지역사랑상품권",  # and so does a scam around it ('깡', smishing)
]


def _headline(words: str, unless: str = "") -> dict[str, str]:
    """A negative rule that fires when the title holds one of `words` and none of `unless`: the
    classifier searches title, lead and body joined by newlines, title first, so the title is
    the text from \\A to the first newline; `unless` is searched in the title alone."""
    rule = {"pattern": f"re:\\A[^\\n]*?(?:{words})"}
    if unless:
        rule["unless"] = f"re:(?:{unless})"
    return rule


DEFAULT_TOPICS: dict[str, dict[str, Any]] = {
    "ai": {
        "title": "AI",
        "title_en": "Artificial intelligence",
        "subtitle": "팩플의 인공지능 기사: 생성 AI, 거대언어모델, AI 정책과 규제, AI 반도체",
        "threshold": 8.0,
        "terms": {
            "AI": 3.0,
            "인공지능": 3.0,
            "생성형": 1.5,
            **_AI_NAME_TERMS,
            "딥러닝": 3.0,
            "머신러닝": 3.0,
            "챗봇": 2.5,
            "에이전트": 1.0,
            "GPU": 2.0,
            "엔비디아": 2.0,
            "HBM": 1.5,
            "데이터센터": 1.0,
            "추론": 1.0,
            "학습 데이터": 2.0,
            "워터마크": 1.0,
            # named in RULES.md as AI's own subjects
            "딥페이크": 3.0,
            "NPU": 2.0,
        },
        # AI as the brand or feature of a product (a phone, an appliance, a PC) or as the reason
        # for demand in a market story: RULES.md calls these device and earnings news
        "exclude": [
            "re:(?:AI|인공지능)\\s?(?:폰|스마트폰|노트북|PC|TV|가전|세탁기|건조기|세탁건조기|냉장고|"
            "에어컨|청소기|로봇청소기|이어폰|카메라|콤보|스팀|오븐|기능)",
            "re:(?:AI|인공지능)\\s?(?:수요|열풍|붐|특수|수혜|호황|랠리|관련주|테마)",
        ],
        # Avian influenza is "AI" in Korean news too (고병원성 AI, AI 항원): its vocabulary
        # switches the bare "AI" off; 인공지능 and named models still count.
        "negatives": [
            {
                "pattern": "re:조류\\s*인플루엔자|고병원성|살처분|가금|철새|산란계|오리\\s*농장|"
                "닭\\s*농장|AI\\s*항원|방역\\s*당국|이동\\s*중지",
                "suppress": ["AI"],
            },
            # A headline about results, share prices, orders or exports is market news: AI in
            # it is the reason for demand (RULES.md), so the generic words stop counting and
            # only a named model or AI company can make it an AI story; an AI company's own
            # results (Nvidia's, OpenAI's) are AI news.
            {
                **_headline(
                    "영업익|영업이익|매출|순이익|실적|주가|시총|시가총액|수주|급등|급락|신고가|"
                    "신저가|상한가|목표가|코스피|코스닥|나스닥|증시|흑자|적자|성과급|강세|약세|등락|"
                    # (메리츠 holds 리츠; 이익 is a profit only with a figure or a change, not in
                    # 이익단체 or "빅테크만 이익"; a blocked export is export control, an export
                    # road opening is trade)
                    # (a stock group's 주 ends its word or takes a particle: not 관련주민,
                    # 관련주요, 관련주체, 테마주간)
                    "특징주|(?:수혜|관련|테마)주(?![가-힣]|[가는도를의에와만로][가-힣])|[↑↓]|"
                    "순매수|순매도|(?<![가-힣])리츠|"
                    "(?<![가-힣])이익(?=\\s?(?:\\d|급|감소|증가|늘|줄|개선|악화|전망|반토막|최대|최저))|"
                    f"수출(?![도을은이만]?\\s?(?:{_CONTROLS}|길\\s?(?:막|끊)))",
                    # (an AI lab, Nvidia as the subject or by its own results, one of its accelerators
                    # by name, an accelerator set against Nvidia's, export control of AI chips, or a
                    # generative-AI product keep it AI news; "AI 반도체" alone is a theme stock, a
                    # foundry's accelerator order is the foundry's)
                    unless=f"{_AI_LABS}|{_NVIDIA_LEADS}|{_NVIDIA_RESULTS}|{_MARKET_EXEMPT}",
                ),
                "suppress": _GENERIC_AI,
            },
            # A headline about a share price or a market value is market news even when Nvidia
            # leads it (RULES.md: Nvidia passing a market-value mark, or falling on "AI 거품론", is
            # a stock record), unless an AI lab or model moved it (DeepSeek's shock), it is
            # Nvidia's own results (not their preview), an antitrust case Nvidia's shares fell on
            # (when Nvidia leads, the rule above let it through), or the market rule's exemptions.
            # (폭락 and 폭등 are not among its words: they are also a GPU's price and AI pay.)
            {
                **_headline(
                    "주가|시총|시가\\s?총액|신고가|신저가|상한가|하한가",
                    unless=f"{_AI_LABS}|{_AI_NAMES}|{_MARKET_EXEMPT}|반독점|독점\\s?금지|"
                    f"{_NVIDIA_RESULTS}(?![^\\n]{{0,8}}(?:앞두|전망|예상|컨센서스))",
                ),
                "suppress": _GENERIC_AI,
            },
            # A headline about memory (HBM, DRAM, NAND) is a memory maker's story: AI demand is
            # its reason (RULES.md), and Nvidia in it is the customer whose tests and schedule
            # it meets; an AI lab named in it, an accelerator, or Nvidia as the headline's
            # subject makes it AI news.
            {
                **_headline(
                    # (비메모리 is every chip but memory)
                    "HBM|D램|디램|낸드|(?<!비)메모리",
                    # (memory "for GPUs" is still the memory's story; a tag or a country before
                    # the subject leaves Nvidia the subject)
                    unless=f"{_AI_NAMES}|(?:GPU|TPU|NPU|가속기|AI\\s?(?:칩|반도체))(?!\\s?용)|"
                    f"{_NVIDIA_LEADS}",
                ),
                "suppress": _PRODUCT_CONTEXT,
            },
            # A headline about a phone, PC, appliance or car is a product story (RULES.md:
            # devices with AI features are not ai), whatever AI it is marketed with, unless it
            # names the model (a model deal).
            {
                **_headline(
                    # (국가전략 is not 가전)
                    "갤럭시|아이폰|폴더블|노트북(?!\\s?LM)|올레드|에어컨|세탁기|냉장고|건조기|청소기|(?<!국)가전|"
                    "이어폰|스마트폰|스마트워치|헤드셋|스마트\\s?안경|전기차|신차|"
                    "(?<![A-Za-z])(?:PC|TV|XR|SDV)(?![A-Za-z])",
                    unless=f"{_AI_NAMES}|{_AI_LAW}",
                ),
                # a model named only in the lead is the product's feature (RULES.md: the
                # exception, a model deal, names the model in the headline)
                "suppress": _PRODUCT_CONTEXT,
            },
            # A headline about power, cooling, batteries or boards is an energy or parts story:
            # AI data centres are the customers whose demand it serves (RULES.md), unless the
            # headline names an AI company.
            {
                **_headline(
                    # (냉각되다 is a market cooling down; 방송전략 holds 송전; Latin edges keep
                    # Business and Wireless from being ESS)
                    "냉각(?!\\s?(?:되|하|기류|국면))|쿨링|변압기|전력망|(?<!방)송전|초전도|배터리|"
                    "기판|(?<![A-Za-z])(?:SMR|ESS)(?![A-Za-z])",
                    unless=f"{_AI_COMPANIES}|{_AI_NAMES}",
                ),
                "suppress": _PRODUCT_CONTEXT,
            },
            # A headline about a robot, a humanoid or a drone is a product story (RULES.md: a
            # robot launch or deal with "physical AI" as an attribute is not ai), unless it is
            # about the model that drives the robot, an AI chip for it, a robot-AI company or AI
            # regulation. (카드론 is a card loan; 모델Y is a car.)
            {
                **_headline(
                    "로봇|휴머노이드|(?<!카)드론",
                    unless="(?:파운데이션|언어|월드|행동|AI)\\s?모델|두뇌|칩|"
                    f"반도체|가속기|NPU|로봇\\s?AI|규제|킬러|{_NVIDIA_LEADS}|{_AI_NAMES}",
                ),
                "suppress": _PRODUCT_CONTEXT,
            },
            # A headline about a reshuffle, appointments, a new-year address, a speech or an
            # event's opening: AI named as the direction is "AI later" (RULES.md), the news is
            # the people, the plan or the event.
            {
                **_headline(
                    # (not 구축사업, 건축사, 개인사업자)
                    "조직\\s?개편|(?<!개)인사(?!이트)|임원|신년사|신년\\s?메시지|승진|취임|내정|"
                    "(?<![가-힣])축사|"
                    "기조\\s?연설|개막"
                ),
                "suppress": _GENERIC_AI,
            },
            # A headline about a ministry's or a regulator's whole budget or plan: AI among its
            # lines is the direction (RULES.md: a ministry's whole plan naming AI is not ai),
            # unless the budget or plan is AI's own.
            {
                **_headline(
                    "예산안|업무\\s?계획|실현\\s?계획|추진\\s?계획|종합\\s?계획|기본\\s?계획|"
                    "중점\\s?(?:과제|추진|점검|조사)",
                    unless="(?:AI|인공지능)\\s?(?:예산|전략|계획|정책|로드맵|기본법|법)",
                ),
                "suppress": _GENERIC_AI,
            },
        ],
    },
    "crypto": {
        "title": "가상자산",
        "title_en": "Crypto",
        "subtitle": "팩플의 가상자산 기사: 거래소, 스테이블코인, 블록체인, CBDC, 토큰증권",
        "threshold": 8.0,
        "terms": {
            "가상자산": 4.0,
            "암호화폐": 4.0,
            "가상화폐": 4.0,
            "디지털자산": 3.0,
            "코인": 2.0,
            "비트코인": 4.0,
            "이더리움": 4.0,
            "리플": 2.0,
            "스테이블코인": 4.0,
            "업비트": 4.0,
            "빗썸": 4.0,
            "코인원": 4.0,
            "코빗": 4.0,
            "고팍스": 4.0,
            "두나무": 4.0,
            "re:닥사(?<!코스닥사)": 4.0,  # the exchanges' alliance, not 코스닥사 (KOSDAQ firms)
            "DAXA": 4.0,
            "블록체인": 3.0,
            "CBDC": 4.0,
            "디지털화폐": 3.0,
            "예금토큰": 4.0,
            "토큰증권": 4.0,
            "STO": 4.0,
            "NFT": 2.5,
            "웹3": 2.5,
            "김치프리미엄": 3.0,
            "월드코인": 4.0,
            "디파이": 3.0,
            "DeFi": 3.0,
            "토큰": 1.5,
            "채굴": 1.5,
            "상장 폐지": 1.0,
            "거래소": 1.0,
            "지갑": 1.0,
            "분산원장": 2.5,
            "테더": 4.0,
            "USDT": 4.0,
            "USDC": 4.0,
            # the largest exchanges abroad and the coins named without the generic words
            "바이낸스": 4.0,
            "코인베이스": 4.0,
            "FTX": 3.0,
            "솔라나": 4.0,
            "도지코인": 4.0,
            # central-bank digital currencies named by name, and play-to-earn games' tokens
            "디지털 유로": 4.0,
            "디지털위안": 3.0,
            "P2E": 3.0,
            # a stablecoin described without the word: "원화 연동 (디지털) 토큰"
            "re:(원화|달러)\\s*(연동|기반|표시)\\s*(디지털\\s*)?토큰": 4.0,
        },
        # Coin-operated things are 코인 too.
        "exclude": [
            "코인노래방",
            "코인노래연습장",
            "코인빨래방",
            "코인세탁",
            "코인육수",
            "코인세차",
            "코인 던지기",
            # a coin-operated room of any kind (코인노래방, 코인PC방, '코인ㅇㅇ방'), not a 코인 리딩방
            "re:코인\\s?(?!리딩)[가-힣ㅇA-Za-z]{0,4}방",
            # coin-shaped things: a coin cell (버튼형·코인형 전지, 리튬코인건전지) is a battery
            # (the look-behind that starts a word follows the literal, which the search finds
            # fast: written first, it cost a scan of every story, a tenth of a long one's time)
            "re:코인(?<![가-힣]코인)형(?!태|제|사|량|님|벌)",
            "re:코인(?<![가-힣]코인)\\s?(?:전지|건전지|배터리|리튬|셀(?!럽|러|카|프|린|링))",
            "re:리튬\\s?코인",
            # words that contain 리플 (Ripple) and are something else
            "트리플",
            "리플레이",
        ],
        # Penny stocks (동전주) and theme-stock lists name NFT in passing.
        "negatives": [
            {"pattern": "re:동전주|테마주|급등락", "suppress": ["NFT", "거래소", "상장 폐지"]},
            # A stock-market headline that names no crypto word is a market story: a paragraph
            # on bitcoin in it is context (RULES.md: a general market story with one paragraph
            # on bitcoin is not crypto)
            {
                **_headline(
                    # (a company's listing on an exchange or its entry to an index is that company's
                    # news, whatever it is)
                    "(?:코스피|코스닥|증시|나스닥|다우지수|뉴욕증시|S&P\\s?500|S&P)"
                    "(?!\\s?(?:\\d+\\s?)?(?:상장|입성|데뷔|직상장|편입|지수\\s?편입))",
                    # (a crypto word the headline says moved "too", 코인도 or 비트코인·금도 at the
                    # end of a list, is one of the assets that moved with the market: RULES.md)
                    unless="(?:코인|비트|가상자산|암호화폐|가상화폐|이더|크립토|스테이블|디지털자산|"
                    "업비트|빗썸|두나무|코인원|코빗|고팍스|바이낸스|코인베이스|제미니|리플|XRP|"
                    "솔라나|테더|USDT|USDC|서클|트레저리|채굴|블록체인|NFT)"
                    # (NFKC has made … three dots; 도 with another verb, 코인도 제도권으로 or
                    # 코인과세도 유예, is crypto news told against the market's)
                    "(?![^\\s.]*도\\s?(?:동반\\s?)?(?:약세|강세|급락|급등|하락|상승|출렁|흔들|폭락|"
                    "폭등|반등|보합|주춤|들썩|휘청|뚝|털썩|내려|올라|떨어|밀려))",
                ),
                # every crypto word of the story off (RULES.md: the paragraph is context)
            },
        ],
    },
    "sme": {
        "title": "중소기업·스타트업 정책",
        "title_en": "SME and startup policy",
        "subtitle": "팩플의 중소벤처기업 정책 기사: 중기부, 소상공인, 스타트업·벤처 생태계",
        "threshold": 8.0,
        "terms": {
            "중소벤처기업부": 4.0,
            "중기부": 4.0,
            # the ministry's names before 2017 (RULES.md: 중기부 and 중기청 programmes), written
            # as patterns so that they do not match across spaces (중기 청사진) and not as the
            # youth housing loan nicknamed 중기청 대출; 중소기업청 adds to 중소기업's points
            "re:중소기업청(?!년)": 1.5,
            "re:중기청(?!\\s?(?:대출|전세|전월세))": 4.0,
            "중소기업": 2.5,
            _SMES_AND_MID_SIZED: 2.5,
            "소상공인": 3.5,
            "소상공인연합회": 4.0,
            "소공연": 3.5,
            # small merchants' fees on platforms (RULES.md: sme when their fees are the subject)
            "배달앱 수수료": 2.5,
            "중개수수료": 2.0,
            "결제수수료": 2.5,
            "우대수수료": 2.5,
            "수수료 상한": 2.5,
            "자영업": 2.0,
            # businesses counted as they close (국세청's 폐업 사업자, 폐업자): the statistics of
            # the self-employed and small firms (RULES.md), whatever word the lead uses for them
            "re:폐업\\s?(?:한\\s?)?사업자|폐업자": 3.0,
            "벤처기업": 3.0,
            "벤처": 1.5,
            "스타트업": 1.5,
            "창업": 1.0,
            "모태펀드": 4.0,
            "TIPS": 4.0,
            "팁스": 4.0,
            "연동제": 3.0,
            "복수의결권": 4.0,
            "스마트상점": 4.0,
            "손실보상": 3.0,
            "새출발기금": 3.0,
            "상생": 1.5,
            "정책자금": 3.0,
            "중소기업중앙회": 3.0,
            "중기중앙회": 3.0,
            "소진공": 4.0,
            "소상공인시장진흥공단": 4.0,
            "옴부즈만": 2.0,
            "벤처투자": 2.5,
            "외국인력": 1.5,
            "고용허가제": 1.5,
            "뿌리산업": 2.0,
            "전통시장": 2.0,
            "온누리상품권": 3.0,
            # a region's own gift certificate, spent only in its small shops: evidence for the
            # model, not enough alone (RULES.md: its issuance is sme, consumption coupons paid
            # in it are not, nor a payment app's business with it)
            "지역사랑상품권": 1.0,
            # the certified innovative SMEs (중기부's Innobiz) and their association
            "re:이노비즈(?!니스)": 1.5,
            "창업진흥원": 3.0,
            "기술보증기금": 3.0,
            "신용보증": 2.0,
            "수출바우처": 3.0,
            "벤처확인": 3.0,
            "중대재해": 1.0,
            # a workplace-size line of labour or safety law drawn under small firms (5인 미만 근로기준법,
            # 50인 미만 중대재해처벌법, 30인 미만 추가연장근로) or extended down to them (주52시간 5인
            # 이상 사업장으로 확대): the vocabulary of SME labour policy (RULES.md); not a school's or
            # a venue's size, nor a survey's count of workplaces with five staff or more
            "re:\\b(?:(?:[1-9]\\d?|[12]\\d\\d|300)\\s?인\\s?(?:미만|이하)\\s?(?:의\\s?)?"
            "(?:(?:영세|중소|소규모)\\s?)?(?:사업장|기업|사업체|업체|사업주)|"
            "[1-9]\\d?\\s?[~∼–-]\\s?(?:[1-9]\\d?|[12]\\d\\d)\\s?인\\s?(?:사업장|기업|사업체)|"
            "[2-9]\\s?인\\s?이상\\s?(?:모든\\s?)?(?:사업장|기업|사업체)(?:으로|까지|에도|에)?\\s?"
            "(?:확대|적용|의무화|시행))": 2.0,
            # big marts' closure days moved, kept or abolished: the 골목상권 protection of the
            # 유통산업발전법 (RULES.md), not a shopper's notice of which stores close on Sunday
            # (within a clause: a comma ends the policy and begins the notice)
            "re:(?:마트|SSM|대규모\\s?점포)[^.,\\n]{0,10}?의무\\s?휴(?:업|무)[^.,\\n]{0,15}?(?:전환|"
            "폐지|폐기|변경|규제|완화|유지|재추진|원칙|조례|도입|확대|축소|부활|평일로)": 3.0,
            # the weaker side of a business relation, whose protection is SME policy (RULES.md:
            # 가맹사업법, 하도급법, 기술탈취, platform merchants), and the startup programmes'
            # own words
            "가맹사업법": 3.0,
            "가맹점주": 1.5,
            "가맹점사업자": 2.0,
            "re:가맹\\s?본(?:부|사)": 1.5,  # the franchisor, in 가맹사업법's word and the press's
            "하도급": 1.5,
            "수급사업자": 2.5,
            "기술탈취": 3.0,
            # the same misappropriation in 하도급법's and the courts' words
            # (유용 is also "useful": 유용성, 유용하게, 유용할 …)
            "re:기술\\s?(?:유용|도용)(?!성|하[게다며고지]|할|해|했|함|합)|기술\\s?자료[^.\\n]{0,8}?요구": 3.0,
            "입점업체": 1.5,
            "납품업자": 1.5,
            "대규모유통업법": 3.0,
            # small shops' leases and districts (RULES.md: rent and merchant support)
            "상가임대차": 3.0,
            "권리금": 1.5,
            "골목상권": 2.5,
            "동네상권": 2.5,
            # programmes and bodies of small-merchant and SME policy named without the generic
            # words (RULES.md: 제로페이, 청년몰, smart factories and workshops, special zones)
            "제로페이": 3.0,
            "청년몰": 3.0,
            "소공인": 3.0,
            "스마트공방": 3.0,
            # (a big firm's own smart factory, a zone named as a pilot's place and a chips law's
            # 52-hour exemption are no SME policy: these only let the model judge)
            "스마트공장": 1.0,
            # (small merchants' card fees are policy, but the same words lead card companies'
            # results, a retailer's fee fight and travel cards' offers)
            "카드수수료": 1.0,
            _SMALL_MERCHANTS: 1.0,
            "규제자유특구": 1.0,
            "주52시간": 0.5,
            "예비유니콘": 2.0,
            "창업기획자": 1.0,
            "재창업": 2.5,
            "예비창업": 2.5,
            "창업기업": 2.5,
            "유니콘": 1.5,
            # the ecosystem counted (유니콘 13개, 누적 41곳), not one firm called a unicorn
            "re:유니콘\\s?(?:기업\\s?)?(?:수\\s?)?(?:누적\\s?)?\\d[\\d,]*\\s?(?:개|곳)": 2.0,
            # new firms and their survival (통계청's 기업생멸, the startups' "death valley")
            "re:신생\\s?기업": 2.5,
            "re:데스\\s?밸리": 2.0,
            # the startup ecosystem's own institutions and aggregates (RULES.md: venture
            # investment statistics of the whole market, startup programmes); a compound's
            # points add to its head word's (스타트업 투자 = 스타트업 1.5 + 1.0)
            "벤처펀드": 1.0,
            "스타트업 투자": 1.0,
            "창조경제혁신센터": 3.0,
            "창업보육": 1.0,
            "청년창업": 1.0,
            "창업 지원": 0.5,
            "데모데이": 1.5,
            # support-programme words: one or two are not enough, they let the model judge a
            # regional or sector programme for local firms that names no SME word (a special
            # zone, a voucher). Not 공모 (공모가, 공모주: an IPO) nor 클러스터 (an industrial
            # cluster is built for big firms too); forward-chained by wave on the tuning part,
            # each of these choices is within noise of the others.
            "지원사업": 1.0,
            "사업화": 1.0,
            "바우처": 1.0,
            "특구": 1.0,
        },
        # 조인트벤처 is a joint venture, not the venture ecosystem; a group's 사내벤처 is its own
        # programme (RULES.md: a big company's programme is not policy)
        # 팁스터 is a leaker of product news (a tipster), not the TIPS programme
        # an app store's in-app payment fee is platform regulation for app developers, not a
        # small merchant's payment fee
        "exclude": [
            "조인트벤처",
            "합작벤처",
            # (not 구청사 내 창업보육센터: the trap starts a word; the look-behind comes after
            # 사내 so that the search still skips ahead to the literal)
            "re:사내(?<![가-힣]사내)\\s?(?:벤처|스타트업|창업)",
            "팁스터",
            "re:인앱\\s?결제\\s?수수료",
        ],
        "negatives": [
            # the drama 「스타트업」 and its cast
            {
                "pattern": "re:드라마|OTT|배우|방영|시청률|출연진",
                "suppress": ["스타트업", "창업", "벤처"],
            },
            # TIPS is also the US Treasury's inflation-protected bond: in a bond market's words
            # it is not the startup programme
            {
                "pattern": "re:물가연(?:계|동)|국채|국고채|(?<!매출)채권|\\d+년물|응찰",
                "suppress": ["TIPS"],
            },
            # A headline about a crime, a breach or a fraud counts its victims (RULES.md: an SME
            # as a victim is not sme), unless a ministry or agency acts in it or the headline
            # is about support, remedies or a law against it (tech-theft policy is sme).
            # (Words that hold the letters: 실적발표, 수사기관, 형사기동대, 의료기기소프트웨어,
            # 전기승용차, 구속력.)
            {
                **_headline(
                    "검거|랜섬웨어|해킹|사기(?!관|동)|가로[챈채]|불법|허위|기승(?!용)|유출|범죄|"
                    "(?<!실)적발|구속(?!력)|(?<!기)기소|징역|피싱",
                    # (the fair-trade regulator acting under a law of the weaker party, not a
                    # cartel case nor its name in an impersonation scam)
                    unless="^(?=.*(?:공정위|공정거래위))(?=.*(?:하도급|가맹|대규모유통|대리점|기술"
                    "\\s?(?:탈취|유용|유출|자료)))(?!.*(?:사칭|출신|직원))|"
                    "중기부|중기청|중소벤처기업부|소진공|지원|대책|보상|구제|막는다|막기|"
                    "방지|예방|근절|처벌\\s?강화|법안|국회|개정|시행령|가이드라인|기준",
                ),
                "suppress": _GENERIC_SME,
            },
            # A headline about loans, deposits or rates is a banking statistic (RULES.md: SME
            # loans and delinquencies are not sme), unless it is about a support programme.
            {
                **_headline(
                    # (최대출력 holds 대출; 여신전문금융업법 is the card-fee law)
                    "(?<!최)대출|연체|예금|금리|여신(?!전문)",
                    unless="중기부|중기청|소진공|정책|지원|보증|신보|기보|대책|특례|감면|유예|탕감|"
                    "채무조정|대환|만기|연장|환급|이차보전|인하|경감|완화|법안|개정|시행령",
                ),
                "suppress": _GENERIC_SME,
            },
            # one company's funding round is business news, not policy
            # (and its listing: a preliminary review, an offer price, the first day's trading)
            {
                "pattern": "re:시리즈\\s*[A-Ea-e](?![A-Za-z])|기업가치|프리\\s*IPO|"
                "상장\\s?(?:예비\\s?)?심사|상장\\s?첫날|공모가|공모주|수요예측",
                "weight": 4.0,
            },
        ],
    },
}
