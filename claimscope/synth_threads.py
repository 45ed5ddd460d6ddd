"""A second synthetic generator: long quotes in four scripts, deep reaction threads, events and sources with texts.

:mod:`claimscope.synth` makes short Latin quotes, shallow reactions (a claim answers one of the 200 before it)
and no events, sources or texts. A benchmark on that one shape could miss what costs time on other data, so
this generator differs where the pages are sensitive:

* quotes of 2 to 7 sentences (about 25 to 110 words) in the speaker's script: Latin with diacritics, Cyrillic,
  Hangul or CJK (folding for search, Arrow strings, the table's width and what is shipped all grow with them);
* dates from 1990 to 2025, more of them recent, at day (70 %), month (20 %) or year (10 %) precision;
* 2,000 speakers over 60 states and four organisations, with actors.csv (kinds, roles that change over time
  as claims.csv's ``speaker_role``, some aliases) and one actor of kind ``author`` (the source's own analysis);
* deep reaction threads: about 45 % of the statements answer an earlier statement or a context event, chains
  reach depth 6 (:data:`MAX_DEPTH`), and a dozen "hot" threads (half of them rooted at an event) gather a few
  percent of all reactions, so that the largest cascade is far past the app's node cap;
* events.csv (some with an end date), sources.csv (with kinds) and a few source texts that hold the quotes
  of the statements citing them, relations.csv with evidence, countries.csv with capitals and blocs.

Pure functions, deterministic for a seed; :func:`write` writes a folder in the data contract's shape that
validates without a problem.

    python -m claimscope.synth_threads OUT_DIR --claims 1000000 --seed 11
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd

from claimscope.schema import CERTAINTIES, CLAIM_TYPES, DATE_BASES, RELATIONS, SOURCE_KINDS, STANCES

#: the 60 states speakers come from and speak about, with their capitals (lat, lon), for the map
STATES: dict[str, tuple[float, float]] = {
    "RUS": (55.76, 37.62), "PRK": (39.03, 125.75), "KOR": (37.57, 126.98), "USA": (38.90, -77.04),
    "JPN": (35.68, 139.69), "CHN": (39.90, 116.41), "UKR": (50.45, 30.52), "GBR": (51.51, -0.13),
    "FRA": (48.86, 2.35), "DEU": (52.52, 13.40), "ITA": (41.90, 12.50), "CAN": (45.42, -75.70),
    "AUS": (-35.28, 149.13), "NZL": (-41.29, 174.78), "IND": (28.61, 77.21), "PAK": (33.68, 73.05),
    "IRN": (35.69, 51.39), "ISR": (31.77, 35.21), "TUR": (39.93, 32.86), "SAU": (24.71, 46.68),
    "EGY": (30.04, 31.24), "ZAF": (-25.75, 28.19), "BRA": (-15.79, -47.88), "MEX": (19.43, -99.13),
    "ARG": (-34.60, -58.38), "POL": (52.23, 21.01), "SWE": (59.33, 18.07), "NOR": (59.91, 10.75),
    "FIN": (60.17, 24.94), "EST": (59.44, 24.75), "LVA": (56.95, 24.11), "LTU": (54.69, 25.28),
    "BLR": (53.90, 27.56), "KAZ": (51.17, 71.45), "MNG": (47.89, 106.91), "VNM": (21.03, 105.85),
    "THA": (13.76, 100.50), "PHL": (14.60, 120.98), "IDN": (-6.21, 106.85), "MYS": (3.14, 101.69),
    "SGP": (1.35, 103.82), "NLD": (52.37, 4.90), "BEL": (50.85, 4.35), "ESP": (40.42, -3.70),
    "PRT": (38.72, -9.14), "GRC": (37.98, 23.73), "HUN": (47.50, 19.04), "CZE": (50.08, 14.44),
    "ROU": (44.43, 26.10), "SRB": (44.79, 20.45), "BGR": (42.70, 23.32), "KGZ": (42.87, 74.59),
    "TWN": (25.03, 121.57), "CHE": (46.95, 7.45), "AUT": (48.21, 16.37), "DNK": (55.68, 12.57),
    "IRL": (53.35, -6.26), "UZB": (41.30, 69.24), "NGA": (9.08, 7.40), "KEN": (-1.29, 36.82),
}  # fmt: skip
#: groups and organisations of countries.csv (a custom code, or an override of a built-in one): the blocs
GROUPS: dict[str, tuple[str, str, str]] = {
    "EU": (
        "European Union",
        "organization",
        "FRA;DEU;ITA;POL;SWE;FIN;EST;LVA;LTU;NLD;BEL;ESP;PRT;GRC;HUN;CZE;ROU;BGR;AUT;DNK;IRL",
    ),
    "NATO": (
        "NATO",
        "organization",
        "USA;GBR;FRA;DEU;ITA;CAN;POL;NOR;TUR;NLD;BEL;ESP;PRT;GRC;HUN;CZE;ROU;BGR;DNK;EST;LVA;LTU;FIN;SWE",
    ),
    "ASEAN": ("ASEAN", "organization", "VNM;THA;PHL;IDN;MYS;SGP"),
    "CSTO": ("Collective Security Treaty Organization", "organization", "RUS;BLR;KAZ;KGZ"),
    "NORDIC": ("Nordic Council", "group", "SWE;NOR;FIN;DNK"),
    "UN": ("United Nations", "organization", ""),
}
#: organisations that speak (actors of kind organization have them as speaker_country)
SPEAKING_GROUPS = ("EU", "NATO", "ASEAN", "UN")
CYRILLIC_STATES = frozenset({"RUS", "UKR", "BLR", "KAZ", "KGZ", "SRB", "BGR", "MNG", "UZB"})
HANGUL_STATES = frozenset({"KOR", "PRK"})
CJK_STATES = frozenset({"CHN", "JPN", "TWN"})
SCRIPTS = ("latin", "cyrillic", "hangul", "cjk")
WORDS: dict[str, list[str]] = {
    "latin": (
        "traité partenariat sécurité engagement Unterstützung Raketen sanctions négociations sommet dirigeants frontière "
        "économie coopération défense agresión paz estabilidad región guerra tropas armas nuclear programme préoccupation "
        "avertissement Forderung plan éloge condena déni alliés responsables ministère déclaration accord stratégique "
        "mutuelle assistance clause attaque réponse déploiement technologie énergie pétrole exportation santé culture "
        "bilatéral relation historique visite Zusammenarbeit Sicherheit Verhandlungen współpraca bezpieczeństwo "
        "porozumienie güvenlik işbirliği hợp tác an ninh hiệp định the treaty partnership security pledge missile talks"
    ).split(),
    "cyrillic": (
        "договор партнёрство безопасность обязательство поддержка ракеты санкции переговоры саммит лидеры граница "
        "экономика сотрудничество оборона агрессия мир стабильность регион война войска оружие ядерная программа "
        "обеспокоенность предупреждение требование план похвала осуждение отрицание союзники официальные министерство "
        "заявление соглашение стратегическое взаимная помощь статья нападение ответ развёртывание технологии энергия "
        "нефть экспорт здоровье культура двустороннее отношения исторический визит"
    ).split(),
    "hangul": (
        "조약 동반자 관계 안보 약속 지원 미사일 제재 회담 정상 지도자 국경 경제 협력 국방 침략 평화 안정 지역 전쟁 "
        "병력 무기 핵 프로그램 우려 경고 요구 계획 칭찬 규탄 부인 동맹 당국자 외교부 성명 합의 전략적 상호 지원 조항 "
        "공격 대응 배치 기술 에너지 석유 수출 보건 문화 양자 역사적 방문"
    ).split(),
    "cjk": (
        "条约 伙伴关系 安全 承诺 支持 导弹 制裁 会谈 峰会 领导人 边境 经济 合作 国防 侵略 和平 稳定 地区 战争 部队 "
        "武器 核 计划 关切 警告 要求 赞扬 谴责 否认 盟友 官员 外交部 声明 协议 战略 相互 援助 条款 攻击 回应 部署 技术 "
        "能源 石油 出口 卫生 文化 双边 历史性 访问 同盟 安全保障 協力 首脳会談"
    ).split(),
}
SENTENCE_END = {"latin": ".", "cyrillic": ".", "hangul": ".", "cjk": "。"}
FIRST_NAMES = {
    "latin": "Anna Marie Jean Hans Piotr Elena Lucas Sofia Mehmet Nguyen Kwame Aisha James Olivia Mateo Lena Tomás Inès "
    "Björn Ingrid Zoltán Katarzyna João Eleni Ahmed Fatima Ravi Priya Carlos Lucía Oskar Emma Pierre Chloé Ali Yusuf "
    "Grace David Sarah Michael".split(),
    "cyrillic": "Анна Иван Сергей Ольга Дмитрий Мария Алексей Елена Николай Татьяна Андрей Наталья Павел Ирина Олег "
    "Светлана Юрий Людмила Виктор Галина".split(),
    "hangul": "민준 서연 지훈 하은 도윤 지우 현우 수아 준서 예은 건우 지민 우진 채원 선우".split(),
    "cjk": "伟 芳 娜 敏 静 磊 洋 艳 勇 军 杰 娟 涛 明 超 秀英 健 丽 强 浩".split(),
}
LAST_NAMES = {
    "latin": "Müller Dubois Kowalski Rossi García Silva Nowak Schmidt Martin Bernard Yılmaz Tran Okafor Johnson Smith "
    "Brown Andersson Nielsen Horváth Novák Popescu Papadopoulos Ferreira López Fernández Costa Fischer Weber Moreau "
    "Laurent Jensen Virtanen Kask Bērziņš Kazlauskas Petrović Dimitrov Khan Sharma Otieno".split(),
    "cyrillic": "Иванов Смирнова Кузнецов Попова Соколов Лебедева Козлов Новикова Морозов Петрова Волков Соловьёва "
    "Васильев Зайцева Павлов Семёнова Голубев Виноградова Богданов Воробьёва".split(),
    "hangul": "김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권".split(),
    "cjk": "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗".split(),
}
ROLES = {
    "person": (
        "Foreign Minister",
        "Deputy Foreign Minister",
        "Defence Minister",
        "Prime Minister",
        "President",
        "Ambassador to the UN",
        "Spokesperson of the Foreign Ministry",
        "Member of Parliament",
        "National Security Adviser",
        "Senior Researcher",
    ),
    "government": ("Government", "Cabinet Office", "Presidential Administration"),
    "agency": ("News Agency", "Intelligence Service", "Defence Ministry Press Service"),
    "organization": ("Secretary General", "Spokesperson", "High Representative"),
    "media": ("Editorial Board", "Commentator"),
}
TOPICS = {
    "mutual-defense": "Mutual defence clauses and alliance commitments",
    "arms-transfers": "Transfers of weapons and ammunition",
    "military-technology": "Transfers of military technology",
    "nuclear-program": "Nuclear weapons programmes",
    "missile-tests": "Missile launches and tests",
    "sanctions": "Sanctions and their enforcement",
    "ukraine-war": "The war in Ukraine",
    "economy": "Trade and economic ties",
    "infrastructure": "Bridges, railways, ports",
    "regional-stability": "Stability of the region",
    "diplomacy": "Visits, talks and summits",
    "troop-deployment": "Deployment of troops",
    "energy-resources": "Oil, gas and other resources",
    "labor-exports": "Workers sent abroad",
    "cyber": "Cyber operations",
    "space": "Satellites and launchers",
    "human-rights": "Human rights",
    "maritime": "Shipping, ports and maritime incidents",
    "food-security": "Food and fertiliser",
    "elections": "Elections and referendums",
}
EVENT_TITLES = (
    "Summit in {city}",
    "Treaty signed in {city}",
    "Missile test reported near {city}",
    "Sanctions package announced in {city}",
    "Military exercise off {city}",
    "Foreign ministers meet in {city}",
    "Саммит в городе {city}",
    "{city} 정상회담",
    "{city}峰会",
)
CITIES = (
    "Moscow Pyongyang Seoul Washington Tokyo Beijing Kyiv London Paris Berlin Vladivostok Astana Hanoi Jakarta "
    "Geneva Vienna Brussels Warsaw Helsinki Singapore"
).split()
PUBLISHERS = (
    "Foreign Ministry",
    "State News Agency",
    "Reuters-like Wire",
    "Public Broadcaster",
    "Daily Herald",
    "Online Monitor",
    "Policy Institute",
    "Regional Weekly",
)
START = pd.Timestamp("1990-01-01")
END = pd.Timestamp("2025-12-31")
DAYS = (END - START).days + 1
#: a reaction chain is at most this many steps below its root (a reaction that would go deeper answers one level up)
MAX_DEPTH = 6
REACTION_SHARE = 0.45
#: a reaction answers one of the WINDOW statements before it, joins a hot thread, or answers a recent event
WINDOW = 400
HOT_THREADS = 12
HOT_SHARE = 0.04
EVENT_SHARE = 0.06
SENTENCES_PER_SCRIPT = 3000
TEXT_SOURCES = 6
CLAIMS_PER_TEXT = 40
AUTHOR_NAME = "Analysis desk"
AUTHOR_SHARE = 0.01


def script_of(code: str) -> str:
    """The script a speaker of ``code`` speaks in (organisations speak Latin)."""
    if code in CYRILLIC_STATES:
        return "cyrillic"
    if code in HANGUL_STATES:
        return "hangul"
    if code in CJK_STATES:
        return "cjk"
    return "latin"


def sentence_pool(rng: np.random.Generator, script: str, count: int = SENTENCES_PER_SCRIPT) -> list[str]:
    """``count`` sentences of 8 to 16 words of ``script`` (CJK words joined without spaces, as it is written)."""
    words = np.array(WORDS[script])
    joiner = "" if script == "cjk" else " "
    pool = []
    for length in rng.integers(8, 17, count):
        sentence = joiner.join(words[rng.integers(0, len(words), length)])
        pool.append(sentence[0].upper() + sentence[1:] + SENTENCE_END[script])
    return pool


def _speakers(rng: np.random.Generator, n_speakers: int) -> pd.DataFrame:
    """actors.csv: unique names in the script of each actor's country, kinds, roles (up to three over time), aliases."""
    states = np.array(list(STATES))
    kind = rng.choice(["person", "government", "agency", "organization", "media"], n_speakers, p=[0.8, 0.07, 0.05, 0.04, 0.04])
    country = np.where(
        kind == "organization",
        np.array(SPEAKING_GROUPS)[rng.integers(0, len(SPEAKING_GROUPS), n_speakers)],
        states[rng.integers(0, len(states), n_speakers)],
    )
    names, aliases, seen, seen_aliases = [], [], set(), set()
    for i in range(n_speakers):
        script = script_of(str(country[i]))
        first = FIRST_NAMES[script][int(rng.integers(0, len(FIRST_NAMES[script])))]
        last = LAST_NAMES[script][int(rng.integers(0, len(LAST_NAMES[script])))]
        if kind[i] == "person":
            name = f"{last}{first}" if script in ("hangul", "cjk") else f"{first} {last}"
        else:
            name = f"{ROLES[str(kind[i])][int(rng.integers(0, len(ROLES[str(kind[i])])))]} of {country[i]}"
        base, suffix = name, 1
        while name in seen:  # a second actor of the same name gets a number, as analysts disambiguate
            suffix += 1
            name = f"{base} ({suffix})"
        seen.add(name)
        names.append(name)
        alias = ""
        if kind[i] == "person" and script == "latin" and rng.random() < 0.2:
            candidate = f"{first[0]}. {last}"
            if candidate not in seen and candidate not in seen_aliases:
                alias = candidate
                seen_aliases.add(candidate)
        aliases.append(alias)
    roles = [ROLES[str(k)] for k in kind]
    role_count = rng.integers(1, 4, n_speakers)
    first_role = rng.integers(0, 100, n_speakers)
    # the years they change role (two switches at most), in order
    switches = np.sort(rng.integers(1992, 2025, (n_speakers, 2)), axis=1)
    return pd.DataFrame(
        {
            "name": names,
            "kind": kind,
            "country": country,
            "role": [r[(f + c - 1) % len(r)] for r, f, c in zip(roles, first_role, role_count, strict=True)],
            "aliases": aliases,
            "_roles": roles,
            "_role_count": role_count,
            "_first_role": first_role,
            "_switch1": switches[:, 0],
            "_switch2": switches[:, 1],
        }
    )


def _date_text(days: np.ndarray, precision: np.ndarray) -> np.ndarray:
    when = pd.to_datetime(START + pd.to_timedelta(days, unit="D"))
    return np.where(
        precision == 0, when.strftime("%Y-%m-%d"), np.where(precision == 1, when.strftime("%Y-%m"), when.strftime("%Y"))
    )


def _events(rng: np.random.Generator, n_events: int, n_sources: int) -> tuple[pd.DataFrame, np.ndarray]:
    """events.csv (day or month precision, some ranges) and each event's day (for the reactions to answer)."""
    days = np.sort(rng.integers(0, DAYS - 5, n_events))
    precision = rng.choice(2, n_events, p=[0.9, 0.1])
    states = np.array(list(STATES))
    titles = [
        EVENT_TITLES[t].format(city=CITIES[c])
        for t, c in zip(rng.integers(0, len(EVENT_TITLES), n_events), rng.integers(0, len(CITIES), n_events), strict=True)
    ]
    has_end = (rng.random(n_events) < 0.2) & (precision == 0)
    end_days = days + rng.integers(1, 4, n_events)
    ids = np.char.add("ev-", np.char.zfill(np.arange(n_events).astype(str), 6))
    events = pd.DataFrame(
        {
            "event_id": ids,
            "date": _date_text(days, precision),
            "end_date": np.where(has_end, _date_text(end_days, np.zeros(n_events, dtype=int)), ""),
            "title": titles,
            "description": [f"{t} (synthetic event {i})" for i, t in zip(ids, titles, strict=True)],
            "countries": [";".join(dict.fromkeys(states[rng.integers(0, len(states), k)])) for k in rng.integers(1, 4, n_events)],
            "location": np.array(CITIES)[rng.integers(0, len(CITIES), n_events)],
            "source_id": np.char.add("src-", np.char.zfill(rng.integers(0, n_sources, n_events).astype(str), 5)),
            "url": np.char.add("https://example.org/events/", ids),
        }
    )
    return events, days


def _lists(rng: np.random.Generator, values: np.ndarray, n: int, p: list[float]) -> list[str]:
    """``n`` ;-lists of one to three distinct ``values`` (``p``: the chances of one, two, three)."""
    drawn = values[rng.integers(0, len(values), (n, 3))].tolist()
    sizes = rng.choice([1, 2, 3], n, p=p).tolist()
    return [";".join(dict.fromkeys(row[:k])) for row, k in zip(drawn, sizes, strict=True)]


def _threads(
    rng: np.random.Generator, days: np.ndarray, event_days: np.ndarray, n_claims: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Who answers whom: per claim the index of the claim it answers (-1), the event it answers (-1), its depth.

    Claims are in date order, so any earlier claim (or an event on or before its day) may be answered without
    dating a reaction before its target. A reaction picks one of the :data:`WINDOW` statements before it
    (a statement already in a thread is more likely to be picked the more of the window its thread holds:
    threads grow the more they are answered), joins one of the hot threads, or answers a recent event. A pick
    at :data:`MAX_DEPTH` answers that statement's parent instead, so that chains stop at that depth.
    """
    is_reaction = (rng.random(n_claims) < REACTION_SHARE).tolist()
    choice = rng.random(n_claims).tolist()
    back = rng.integers(1, WINDOW + 1, n_claims).tolist()
    pick = rng.random(n_claims).tolist()
    parent = [-1] * n_claims
    parent_event = [-1] * n_claims
    depth = [0] * n_claims
    day_list = days.tolist()
    event_list = event_days.tolist()
    events_before = np.searchsorted(event_days, days, side="right").tolist()
    # hot threads: half rooted at events, half at claims, spread over the span (by position in date order)
    hot_positions = np.linspace(0.05, 0.9, HOT_THREADS)
    hot_roots: list[tuple[str, int, int]] = []  # (kind, index, day)
    for k, share in enumerate(hot_positions):
        if k % 2 == 0 and len(event_list):
            e = min(int(share * len(event_list)), len(event_list) - 1)
            hot_roots.append(("event", e, event_list[e]))
        else:
            c = min(int(share * n_claims), n_claims - 1)
            hot_roots.append(("claim", c, day_list[c]))
    hot_roots.sort(key=lambda root: root[2])
    hot_days = [root[2] for root in hot_roots]
    members: list[list[int]] = [[root[1]] if root[0] == "claim" else [] for root in hot_roots]
    hot_claims = {root[1] for root in hot_roots if root[0] == "claim"}
    for i in range(n_claims):
        if not is_reaction[i] or i in hot_claims:
            continue
        target = hot = -1
        r = choice[i]
        if r < HOT_SHARE:
            available = int(np.searchsorted(hot_days, day_list[i], side="right")) if hot_days else 0
            if available:
                hot = available - 1 - int(pick[i] * min(available, 2))
                kind, root, _ = hot_roots[hot]
                pool = members[hot]
                if kind == "event" and (not pool or pick[i] < 0.15):
                    parent_event[i], depth[i] = root, 1
                    pool.append(i)
                    continue
                target = pool[int(pick[i] * 7919) % len(pool)]
        elif r < HOT_SHARE + EVENT_SHARE:
            before = events_before[i]
            if before:
                parent_event[i] = before - 1 - int(pick[i] * min(before, 20))
                depth[i] = 1
                continue
        if target < 0:
            target = i - back[i]
        if target < 0:
            continue
        while depth[target] >= MAX_DEPTH:
            target = parent[target]
        parent[i], depth[i] = target, depth[target] + 1
        if hot >= 0:
            members[hot].append(i)
    return np.array(parent), np.array(parent_event), np.array(depth)


def generate(n_claims: int, seed: int = 11, n_speakers: int = 2000) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Every file of a valid dataset of ``n_claims`` claims (frames of text), and the source texts (path -> text)."""
    rng = np.random.default_rng(seed)
    actors = _speakers(rng, n_speakers)
    actors = pd.concat(
        [
            actors,
            pd.DataFrame(
                [{"name": AUTHOR_NAME, "kind": "author", "country": "", "role": "Editors", "aliases": "", "_roles": ("Editors",)}]
            ),
        ],
        ignore_index=True,
    )
    actors[["_role_count", "_first_role", "_switch1", "_switch2"]] = (
        actors[["_role_count", "_first_role", "_switch1", "_switch2"]].fillna({"_role_count": 1}).fillna(0).astype(int)
    )
    author = len(actors) - 1
    n_sources = int(np.clip(n_claims // 200, 20, 3000))
    n_events = int(np.clip(n_claims // 100, 30, 10_000))
    events, event_days = _events(rng, n_events, n_sources)

    # speakers: a Zipf-like long tail in a random order (the most active is not the first row), the author ~1 %
    weights = 1.0 / np.arange(1, n_speakers + 1) ** 1.05
    order = rng.permutation(n_speakers)
    speaker = order[rng.choice(n_speakers, size=n_claims, p=weights / weights.sum())]
    speaker = np.where(rng.random(n_claims) < AUTHOR_SHARE, author, speaker)

    # dates: more statements in recent years (a power law on the span), sorted: claims are in date order
    days = np.sort((rng.power(1.6, n_claims) * DAYS).astype(int).clip(0, DAYS - 1))
    precision = rng.choice(3, size=n_claims, p=[0.7, 0.2, 0.1])
    dates = _date_text(days, precision)
    years = 1990 + (days // 365.25).astype(int)

    ids = np.char.add("T", np.char.zfill(np.arange(n_claims).astype(str), 7))
    parent, parent_event, depth = _threads(rng, days, event_days, n_claims)
    responds = np.where(parent >= 0, ids[np.maximum(parent, 0)], "")
    responds = np.where(parent_event >= 0, events["event_id"].to_numpy()[np.maximum(parent_event, 0)], responds)
    kinds = np.where(responds != "", "reaction", "claim")

    codes = list(STATES)
    state_array = np.array(codes)
    about = _lists(rng, state_array, n_claims, [0.5, 0.35, 0.15])
    topics = _lists(rng, np.array(list(TOPICS)), n_claims, [0.55, 0.3, 0.15])

    # quotes: 2 to 7 sentences in the speaker's script, drawn from a pool per script
    speaker_country = actors["country"].to_numpy()[speaker]
    script_index = {s: i for i, s in enumerate(SCRIPTS)}
    actor_script = np.array([script_index[script_of(str(c))] for c in actors["country"]])
    scripts = actor_script[speaker]
    pools = [sentence_pool(rng, s) for s in SCRIPTS]
    counts = rng.integers(2, 8, n_claims)
    picks = rng.integers(0, SENTENCES_PER_SCRIPT, int(counts.sum())).tolist()
    bounds = np.concatenate([[0], np.cumsum(counts)]).tolist()
    quotes = [
        ("" if s == 3 else " ").join(pools[s][p] for p in picks[bounds[i] : bounds[i + 1]])
        for i, s in enumerate(scripts.tolist())
    ]

    # stance: each speaker country leans its own way (Compare has differences to find)
    country_codes, country_of_row = np.unique(speaker_country, return_inverse=True)
    leanings = rng.dirichlet([2.0, 2.0, 1.5, 1.0], len(country_codes)).cumsum(axis=1)
    stance_index = (rng.random(n_claims)[:, None] > leanings[country_of_row]).sum(axis=1).clip(0, len(STANCES) - 1)
    stances = np.array(STANCES)[stance_index]
    stances = np.where(rng.random(n_claims) < 0.03, "", stances)  # a few unlabelled
    claim_types = np.array(CLAIM_TYPES)[rng.integers(0, len(CLAIM_TYPES), n_claims)]
    first_topic = [t.split(";", 1)[0] for t in topics]
    first_about = [a.split(";", 1)[0] for a in about]
    summaries = [
        f"{kind.capitalize()} ({claim_type}) on {topic.replace('-', ' ')} concerning {code}."
        for kind, claim_type, topic, code in zip(kinds, claim_types, first_topic, first_about, strict=True)
    ]

    # the role at the time: the speaker's first, second or third role, switching in their switch years
    role_step = (years >= actors["_switch1"].to_numpy()[speaker]).astype(int) + (years >= actors["_switch2"].to_numpy()[speaker])
    role_step = np.minimum(role_step, actors["_role_count"].to_numpy()[speaker] - 1)
    role_lists = actors["_roles"].tolist()
    first_role = actors["_first_role"].to_numpy()[speaker]
    speaker_role = [
        role_lists[a][(f + s) % len(role_lists[a])]
        for a, f, s in zip(speaker.tolist(), first_role.tolist(), role_step.tolist(), strict=True)
    ]

    is_author = speaker == author
    attribution = np.where(
        is_author, "unattributed", np.array(["direct_quote", "paraphrase"])[rng.choice(2, n_claims, p=[0.6, 0.4])]
    )
    source_index = rng.integers(0, n_sources, n_claims)
    has_source = rng.random(n_claims) < 0.7
    source_ids = np.char.add("src-", np.char.zfill(source_index.astype(str), 5))
    # the few sources that keep a text: each cited by up to CLAIMS_PER_TEXT claims (the hot claim roots among them)
    text_sources = list(range(n_sources - TEXT_SOURCES, n_sources))
    cited_by_text = has_source & np.isin(source_index, text_sources)
    has_source &= ~cited_by_text  # only the claims chosen below cite a source with a text
    chosen = rng.choice(n_claims, size=min(n_claims, TEXT_SOURCES * CLAIMS_PER_TEXT), replace=False)
    answered = np.zeros(n_claims, dtype=bool)
    answered[parent[parent >= 0]] = True
    roots = np.flatnonzero((depth == 0) & answered)[:TEXT_SOURCES]
    chosen = np.unique(np.concatenate([chosen, roots]))
    text_of = np.full(n_claims, -1)
    text_of[chosen] = np.array(text_sources)[np.arange(len(chosen)) % TEXT_SOURCES]
    source_ids = np.where(text_of >= 0, np.char.add("src-", np.char.zfill(np.maximum(text_of, 0).astype(str), 5)), source_ids)
    source_ids = np.where(has_source | (text_of >= 0), source_ids, "")

    claims = pd.DataFrame(
        {
            "claim_id": ids,
            "date": dates,
            "speaker": actors["name"].to_numpy()[speaker],
            "speaker_country": speaker_country,
            "kind": kinds,
            "quote": quotes,
            "summary": summaries,
            "about": about,
            "claim_type": claim_types,
            "stance": stances,
            "topics": topics,
            "certainty": np.array(CERTAINTIES)[rng.integers(0, len(CERTAINTIES), n_claims)],
            "attribution": attribution,
            "source_id": source_ids,
            "responds_to": responds,
            "date_basis": np.array(DATE_BASES)[rng.integers(0, len(DATE_BASES), n_claims)],
            "url": np.char.add("https://example.org/statements/", ids),
            "speaker_role": speaker_role,
        }
    )

    texts: dict[str, str] = {}
    source_rows = []
    published = _date_text(np.sort(rng.integers(0, DAYS, n_sources)), rng.choice(3, n_sources, p=[0.8, 0.15, 0.05]))
    for s in range(n_sources):
        source_id = f"src-{s:05d}"
        path = ""
        if s in text_sources:
            path = f"texts/{source_id}.txt"
            cited = claims.loc[text_of == s, "quote"].tolist()
            filler = pools[s % len(SCRIPTS)][s % SENTENCES_PER_SCRIPT]
            texts[path] = (
                f"Synthetic source text {source_id}.\n\n" + "\n\n".join(f"{filler} «{q}» {filler}" for q in cited) + "\n"
            )
        source_rows.append(
            {
                "source_id": source_id,
                "title": f"{PUBLISHERS[s % len(PUBLISHERS)]} report {s}",
                "publisher": PUBLISHERS[s % len(PUBLISHERS)],
                "published": published[s],
                "url": f"https://example.org/sources/{source_id}",
                "license": "",
                "text": path,
                "note": "" if s % 7 else "Synthetic source: the date is the publication's, not the statements'.",
                "kind": SOURCE_KINDS[s % len(SOURCE_KINDS)],
            }
        )
    sources = pd.DataFrame(source_rows)

    countries = pd.DataFrame(
        [
            {"code": c, "name": "", "kind": "state", "lat": f"{lat}", "lon": f"{lon}", "members": ""}
            for c, (lat, lon) in STATES.items()
        ]
        + [{"code": c, "name": name, "kind": kind, "lat": "", "lon": "", "members": m} for c, (name, kind, m) in GROUPS.items()]
    )

    n_relations = int(np.clip(n_claims // 100, 10, 300))
    pairs = rng.integers(0, len(codes), (n_relations, 2))
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    evidence_rows = rng.integers(0, n_claims, (len(pairs), 2))
    start_days = rng.integers(0, DAYS - 400, len(pairs))
    relations = pd.DataFrame(
        {
            "from_country": state_array[pairs[:, 0]],
            "to_country": state_array[pairs[:, 1]],
            "relation": np.array(RELATIONS)[rng.integers(0, len(RELATIONS), len(pairs))],
            "directed": np.where(rng.random(len(pairs)) < 0.5, "true", "false"),
            "start": _date_text(start_days, np.ones(len(pairs), dtype=int)),
            "end": np.where(rng.random(len(pairs)) < 0.3, _date_text(start_days + 400, np.ones(len(pairs), dtype=int)), ""),
            "evidence": [";".join(dict.fromkeys(ids[row])) for row in evidence_rows],
            "note": "",
        }
    )
    actors = actors[["name", "kind", "country", "role", "aliases"]]
    frames = {
        "claims.csv": claims,
        "actors.csv": actors,
        "countries.csv": countries,
        "sources.csv": sources,
        "events.csv": events,
        "relations.csv": relations,
    }
    return frames, texts


def write(folder: str | Path, n_claims: int, seed: int = 11) -> Path:
    """Write the dataset to ``folder`` (created): the CSV files, the source texts and a datapackage.json."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    frames, texts = generate(n_claims, seed)
    for name, frame in frames.items():
        frame.to_csv(out / name, index=False, lineterminator="\n")
    for path, text in texts.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_text(text, encoding="utf-8")
    package = {
        "title": f"Synthetic threads ({n_claims:,} claims, seed {seed})",
        "version": "synthetic-threads",
        "claimscope": {"subject": "a synthetic subject", "topics": TOPICS},
    }
    (out / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m claimscope.synth_threads", description="Write a synthetic dataset with deep threads."
    )
    parser.add_argument("folder")
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    print(write(args.folder, args.claims, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
