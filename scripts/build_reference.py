#!/usr/bin/env python
"""Regenerate the bundled reference data of news_assets.facts.

Reads ../shared/reference/areacodes/result.csv (yescallop/areacodes, CC0 1.0) and writes compact
tables under news_assets/data/reference/. Run from the repository root:

    python scripts/build_reference.py [--areacodes PATH] [--out DIR]

Countries, macro regions, currency words, homographs and one-character abbreviations are curated
tables kept in this script. The traditional -> simplified character map is built with OpenCC when
it is installed (build time only); otherwise the existing t2s.tsv is kept.
The extractor never reads ../shared or downloads anything at run time.
"""

from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_AREACODES = ROOT.parent / "shared" / "reference" / "areacodes" / "result.csv"
DEFAULT_OUT = ROOT / "news_assets" / "data" / "reference"

LEVELS = {"省级": "province", "地级": "prefecture", "县级": "county"}

# The 56 ethnic groups, longest first, for stripping "…族自治州/县/旗" down to the place name.
ETHNIC = sorted(
    """汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水
    东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯
    鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺""".split(),
    key=len,
    reverse=True,
)

# Generic division names that are ordinary words: never matched bare.
GENERIC = {"市辖区", "郊区", "城区", "矿区", "市中区", "新区", "县", "区"}


def strip_ethnic(s: str) -> str:
    changed = True
    while changed:
        changed = False
        for e in ETHNIC:
            if s.endswith(e + "族") and len(s) - len(e) - 1 >= 2:
                s = s[: -len(e) - 1]
                changed = True
                break
            if len(e) >= 2 and s.endswith(e) and len(s) - len(e) >= 2:
                s = s[: -len(e)]
                changed = True
                break
    return s


def short_names(name: str, level: str) -> list[str]:
    """Short forms a news text uses for a division: 重庆市->重庆, 克孜勒苏柯尔克孜自治州->克孜勒苏/克孜勒苏州."""
    out: list[str] = []

    def add(s: str) -> None:
        if len(s) >= 2 and s != name and s not in out:
            out.append(s)

    if level == "province":
        for suf in ("特别行政区", "自治区", "省", "市"):
            if name.endswith(suf):
                add(strip_ethnic(name[: -len(suf)]))
                break
        return out
    m = re.match(r"^(.*?)自治(州|县|旗)$", name)
    if m:
        base = strip_ethnic(m.group(1))
        add(base)
        add(base + m.group(2))
        return out
    for suf in ("特别行政区", "新区", "林区", "特区", "矿区", "地区", "市", "县", "区", "盟", "旗"):
        if name.endswith(suf) and name not in GENERIC:
            add(name[: -len(suf)])
            break
    return out


# ISO 3166-1 alpha-2, Chinese names (first is canonical).
COUNTRIES = """
CN 中国 中华人民共和国
US 美国 美利坚合众国
GB 英国 大不列颠 联合王国
JP 日本
KR 韩国 大韩民国
KP 朝鲜 朝鲜民主主义人民共和国
RU 俄罗斯 俄罗斯联邦 俄国
DE 德国
FR 法国
IT 意大利 义大利
ES 西班牙
PT 葡萄牙
NL 荷兰
BE 比利时
CH 瑞士
SE 瑞典
NO 挪威
DK 丹麦
FI 芬兰
IS 冰岛
IE 爱尔兰
AT 奥地利
PL 波兰
CZ 捷克
SK 斯洛伐克
HU 匈牙利
RO 罗马尼亚
BG 保加利亚
GR 希腊
RS 塞尔维亚
HR 克罗地亚
UA 乌克兰
BY 白俄罗斯
TR 土耳其
IL 以色列
IR 伊朗
IQ 伊拉克
SY 叙利亚
JO 约旦
LB 黎巴嫩
SA 沙特阿拉伯 沙特
AE 阿联酋 阿拉伯联合酋长国
QA 卡塔尔
KW 科威特
OM 阿曼
YE 也门
EG 埃及
ZA 南非
NG 尼日利亚
KE 肯尼亚
ET 埃塞俄比亚
TZ 坦桑尼亚
DZ 阿尔及利亚
MA 摩洛哥
AU 澳大利亚 澳洲
NZ 新西兰
CA 加拿大
MX 墨西哥
BR 巴西
AR 阿根廷
CL 智利
PE 秘鲁
CO 哥伦比亚
VE 委内瑞拉
CU 古巴
DO 多米尼加
IN 印度
PK 巴基斯坦
BD 孟加拉国 孟加拉
LK 斯里兰卡
NP 尼泊尔
AF 阿富汗
KZ 哈萨克斯坦
UZ 乌兹别克斯坦
KG 吉尔吉斯斯坦
TJ 塔吉克斯坦
TM 土库曼斯坦
MN 蒙古国
SG 新加坡
MY 马来西亚
TH 泰国
VN 越南
LA 老挝
KH 柬埔寨
MM 缅甸
PH 菲律宾
ID 印度尼西亚 印尼
BN 文莱
"""

# Macro regions: stable id "macro:<canonical>" and surface forms.
MACRO = """
粤港澳大湾区 大湾区
长三角 长江三角洲 长三角地区
珠三角 珠江三角洲 珠三角地区
京津冀 京津冀地区
成渝地区双城经济圈 成渝地区 成渝经济圈
长江经济带
黄河流域
环渤海 环渤海地区
北部湾 北部湾经济区
西部地区 中国西部
中部地区
东部地区
东北地区 东北三省
中西部地区 中西部
华北 华北地区
华东 华东地区
华南 华南地区
华中 华中地区
西南地区
西北地区
海峡两岸 两岸
"""

CURRENCIES = """
美元 USD
美金 USD
港元 HKD
港币 HKD
澳门元 MOP
澳门币 MOP
澳元 AUD
欧元 EUR
日元 JPY
日圆 JPY
英镑 GBP
韩元 KRW
卢布 RUB
新台币 TWD
台币 TWD
加元 CAD
加拿大元 CAD
新加坡元 SGD
新元 SGD
瑞士法郎 CHF
泰铢 THB
卢比 INR
人民币 CNY
元 CNY
块钱 CNY
"""

# One-character abbreviations, recognised only inside compounds (渝港, 港澳台, 京津冀 ...) and a few
# fixed collocations (港资, 来渝). Prefecture abbreviations only next to another abbreviation.
ABBREV = """
京 110000
津 120000
冀 130000
晋 140000
蒙 150000
辽 210000
吉 220000
黑 230000
沪 310000
苏 320000
浙 330000
皖 340000
闽 350000
赣 360000
鲁 370000
豫 410000
鄂 420000
湘 430000
粤 440000
桂 450000
琼 460000
渝 500000
川 510000
蜀 510000
黔 520000
贵 520000
滇 530000
云 530000
藏 540000
陕 610000
秦 610000
甘 620000
陇 620000
青 630000
宁 640000
新 650000
台 710000
港 810000
澳 820000
深 440300
穗 440100
珠 440400
莞 441900
蓉 510100
甬 330200
厦 350200
榕 350100
邕 450100
"""

# Short names that are also common words or names: matched bare only when the document also names
# the division's province or prefecture (or with the full name, e.g. 大庆市).
HOMOGRAPHS = """
来宾 安康 大庆 长治 三明 开封 大同 中山 白银 中卫 四平 玉树 阿里 普洱 大理 黄山 山南 海北 海东 海西 东方
北海 红河 怒江 黑河 兴安 白山 丽江 吉安 永安 和平 新华 城关 朝阳 长安 鼓楼 南山 江北 南岸 长寿 合作 通道
天门 资兴 月湖 金凤 朝天 白云 青山 东山 西湖 东湖 南湖 新城 城中 城东 城西 城南 城北 河东 河西 江东 江南
红旗 金山 宝山 普陀 黄浦 静安 龙华 福田 南沙 西沙 中沙 光明 和田 高新 开发 经开 新区 市中 郊区 矿区 城区
东区 西区 南区 北区 中区 铁西 铁东 安定 太平 永和 永宁 永兴 永丰 永福 长宁 长兴 新兴 新宁 新民 新乐 安宁 平安
建华 建平 华容 龙泉 龙门 龙山 龙岗 凤凰 宝安 清河 清水 石门 文化 东坡 西湖 南京路 兴隆 太和 宜章 正安 同心
仁和 南开 河北 河南 山西 山东 广东 广西 湖北 湖南 江西 江苏 浙江 永定 大方 方正 友谊 宝塔 共和 民和 团结 友好
向阳 胜利 前进 红星 东风 和顺 富裕 富民 安福 吉利 万年 万安 长乐 乐业 乐安 平和 平南 平江 金川 金平 金门
沙市 集美 思明 海安 海门 海城 石峰 天河 越秀 荔湾 白下 雨花 玄武 秦淮 栖霞 江宁 六合 上城 下城 拱墅
"""
# (河北/河南/山西/山东/广东/广西/湖北/湖南/江西/江苏/浙江 are province short names and match as such;
# listing them here only blocks the homonymous districts, e.g. 河北区 of Tianjin, from bare matching.)

OPENCC_CHARS_RANGE = (0x4E00, 0x9FFF)


def build_divisions(csv_path: Path, out: Path) -> int:
    rows = []
    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            level = LEVELS[r["级别"]]
            code = r["代码"]
            name = r["名称"]
            prov = code[:2] + "0000"
            if level == "county":
                parent = code[:4] + "00"
            elif level == "prefecture":
                parent = prov
            else:
                parent = ""
            shorts = short_names(name, level)
            rows.append(
                (code, name, "|".join(shorts), level, prov, parent, r["启用时间"], r["变更/弃用时间"], r["新代码"])
            )
    with (out / "divisions.tsv").open("w", encoding="utf-8", newline="\n") as f:
        f.write("code\tname\tshort\tlevel\tprovince\tparent\tvalid_from\tvalid_to\tsuccessors\n")
        for row in rows:
            f.write("\t".join(row) + "\n")
    return len(rows)


def write_table(text: str, path: Path, header: str) -> None:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    path.write_text(header + "\n" + "\n".join("\t".join(ln.split()) for ln in lines) + "\n", encoding="utf-8")


def build_t2s(out: Path) -> bool:
    try:
        import opencc  # build-time only
    except ImportError:
        return False
    conv = opencc.OpenCC("t2s")
    pairs = []
    for cp in range(OPENCC_CHARS_RANGE[0], OPENCC_CHARS_RANGE[1] + 1):
        ch = chr(cp)
        s = conv.convert(ch)
        if len(s) == 1 and s != ch:
            pairs.append(f"{ch}\t{s}")
    # a few variants OpenCC leaves alone but news text uses
    for a, b in (("臺", "台"), ("週", "周")):
        if not any(p.startswith(a + "\t") for p in pairs):
            pairs.append(f"{a}\t{b}")
    (out / "t2s.tsv").write_text("\n".join(pairs) + "\n", encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--areacodes", type=Path, default=DEFAULT_AREACODES)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    a = ap.parse_args(argv)
    a.out.mkdir(parents=True, exist_ok=True)
    n = build_divisions(a.areacodes, a.out)
    write_table(COUNTRIES, a.out / "countries.tsv", "code\tnames")
    macro = "\n".join(f"macro:{ln.split()[0]} {ln}" for ln in MACRO.strip().splitlines() if ln.strip())
    write_table(macro, a.out / "macro.tsv", "id\tnames")
    write_table(CURRENCIES, a.out / "currencies.tsv", "word\tcode")
    write_table(ABBREV, a.out / "abbreviations.tsv", "char\tcode")
    words = sorted(set(HOMOGRAPHS.split()))
    (a.out / "homographs.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    t2s = build_t2s(a.out)
    print(f"divisions: {n} rows; t2s map {'rebuilt' if t2s else 'kept (opencc not installed)'} -> {a.out}")


if __name__ == "__main__":
    main()
