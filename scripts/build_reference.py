#!/usr/bin/env python
"""Regenerate the bundled reference data of news_assets.facts.

Reads ../shared/reference/areacodes/result.csv (yescallop/areacodes, CC0 1.0) and writes compact
tables under news_assets/data/reference/. Run from the repository root:

    python scripts/build_reference.py [--areacodes PATH] [--out DIR]

Countries, macro regions, homographs and one-character abbreviations are curated tables kept in this
script; currency words and their subunit scales are curated in currencies.tsv itself (this script does
not write it). The traditional -> simplified character map is built with OpenCC when
it is installed, the lunar calendar table (lunar.tsv) with LunarCalendar (build time only);
otherwise the existing files are kept.
The extractor never reads ../shared or downloads anything at run time.
"""

from __future__ import annotations

import argparse
import csv
import re
from datetime import date
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

# Macro regions: stable id "macro:<canonical>" and surface forms. The national-level new areas
# (国家级新区) are here too, except 浦东新区 and 滨海新区, which are county-level divisions; only their
# own names (重庆两江新区 is two mentions: 重庆 and 两江新区).
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
雄安新区
两江新区
舟山群岛新区
兰州新区
南沙新区
西咸新区
贵安新区
西海岸新区
金普新区
天府新区
湘江新区
江北新区
福州新区
滇中新区
哈尔滨新区
长春新区
赣江新区
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
来宾 安康 大庆 长治 三明 大同 中山 白银 中卫 四平 玉树 阿里 普洱 大理 黄山 山南 海北 海东 海西 东方
北海 红河 怒江 黑河 兴安 白山 吉安 和田 日照 海口 比如
七星 三元 三江 三河 三门 上街 东风 东湖 东山 中原 中方 中站 丰满 临江 九龙 二道 云和 五华 互助 交口 仁和
元宝 光明 公安 六合 兴业 兴化 兴和 兴国 兴隆 共和 前进 前锋 南关 南山 南岸 南海 南湖 北湖 友好 友谊 双桥
双河 古城 古塔 古田 同心 同仁 向阳 和平 和安 和康 和顺 和静 咸丰 团风 城东 城中 城关 城北 城厢 城西 复兴
多伦 大东 大丰 大方 大化 大安 大新 大通 大观 太平 太和 太白 太湖 天山 天心 天桥 天河 天涯 天长 安定 安宁
安居 宏伟 宝塔 富民 富裕 工农 平安 平和 平原 平山 建华 建平 开化 开平 开远 开原 德化 德安 德惠 惠民 惠安
振兴 新华 新城 新星 新民 新兴 新市 新建 新和 新乐 新安 方正 明光 普安 普定 曲江 朝阳 木兰 松山 林口 柳林
桥东 桥西 梁山 正安 武功 民和 民权 永和 永安 永康 永平 永定 永福 永泰 永春 永年 江山 江南 江北 江口 江城
江海 江源 沙河 沙湾 河口 河东 河西 清水 清河 清流 温泉 港口 湖滨 湖口 滨江 滨湖 灯塔 爱民 牡丹 玉泉 白云
白沙 白塔 白杨 白水 白河 白玉 石门 石城 石林 石龙 神木 福山 秀山 竹山 红旗 红山 红古 红岗 美兰 老城 芙蓉
花山 莲花 解放 资源 赤水 路北 路南 路桥 运河 连山 通道 道里 道外 金山 金牛 金沙 金水 金湾 钟山 钟楼 铁山
银海 锦江 长乐 长兴 长宁 长安 长寿 长白 青山 青龙 静安 香河 高平 高明 鸡冠 黄埔 黄龙 黑山 黑水 龙凤 龙口
龙城 龙潭 龙湖 龙湾 龙门 龙山 龙泉 龙华 凤凰 合作 朝天 资兴 月湖 金凤 天门 西湖 凌云 海港 海城 海安 海门
丹凤 卧龙 文化 文峰 鼓楼 普陀 黄浦 福田 南沙 西沙 中沙 铁西 铁东 永宁 永兴 永丰 新宁 宝安 宝山 东坡 龙岗
宜章 仁怀 岳阳楼 城区 市中 河北 河南 山西 山东 广东 广西 湖北 湖南 江西 江苏 浙江
"""
# (河北/河南/山西/山东/广东/广西/湖北/湖南/江西/江苏/浙江 are province short names and always match as such;
# listing them here only keeps the homonymous districts, e.g. 河北区 of Tianjin, from bare matching.)

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


LUNAR_YEARS = range(1990, 2051)  # partitions start in 1995; a margin either side


def build_lunar(out: Path) -> bool:
    """lunar.tsv: per lunar year, its first day (solar) and its months in order with their lengths
    (a leap month is written like 2L). Built with LunarCalendar (MIT) when installed (build time only)."""
    try:
        from lunarcalendar import Converter, Lunar  # build-time only
        from lunarcalendar.converter import DateNotExist
    except ImportError:
        return False

    def start(y: int, m: int, leap: bool = False):
        s = Converter.Lunar2Solar(Lunar(y, m, 1, isleap=leap))
        return date(s.year, s.month, s.day)

    rows = ["year\tnew_year\tmonths"]
    for y in LUNAR_YEARS:
        months = []
        for m in range(1, 13):
            months.append((str(m), start(y, m)))
            try:
                months.append((f"{m}L", start(y, m, True)))
            except DateNotExist:
                pass
        ends = [s for _, s in months[1:]] + [start(y + 1, 1)]
        spec = ",".join(f"{name}={(end - begin).days}" for (name, begin), end in zip(months, ends, strict=True))
        rows.append(f"{y}\t{months[0][1].isoformat()}\t{spec}")
    (out / "lunar.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
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
    write_table(ABBREV, a.out / "abbreviations.tsv", "char\tcode")
    words = sorted(set(HOMOGRAPHS.split()))
    (a.out / "homographs.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    t2s = build_t2s(a.out)
    lunar = build_lunar(a.out)
    print(f"divisions: {n} rows; t2s map {'rebuilt' if t2s else 'kept (opencc not installed)'}; lunar table "
          f"{'rebuilt' if lunar else 'kept (lunarcalendar not installed)'} -> {a.out}")


if __name__ == "__main__":
    main()
