"""People's names across scripts: what is a Chinese character, and which part of a name
written whole is the family name. Never used to invent a rendering in another script."""

import re

# CJK Unified Ideographs with Extension A, the compatibility block and Extensions B–G:
# a character class body, for search tokens and name checks alike.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_CHARACTER = re.compile(f"[{HAN}]")


def has_han(text):
    """Whether the text holds Chinese characters."""
    return bool(_HAN_CHARACTER.search(text or ""))


# Two-character Chinese family names (复姓: those of the Hundred Family Surnames, and
# 第五), as lines of text rather than sixty quoted strings. Every other name written in
# Chinese characters has a one-character family name.
COMPOUND_SURNAMES = frozenset(
    "万俟 司马 上官 欧阳 夏侯 诸葛 闻人 东方 赫连 皇甫 尉迟 公羊 澹台 公冶 宗政 濮阳 "  # noqa: SIM905
    "淳于 单于 太叔 申屠 公孙 仲孙 轩辕 令狐 钟离 宇文 长孙 慕容 鲜于 闾丘 司徒 司空 "
    "亓官 司寇 子车 颛孙 端木 巫马 公西 漆雕 乐正 壤驷 公良 拓跋 夹谷 宰父 谷梁 段干 "
    "百里 东郭 南门 呼延 羊舌 微生 梁丘 左丘 东门 西门 南宫 第五".split()
)
# Foreign names written in Chinese characters put a middle dot between given and family
# name: 安娜·史密斯.
MIDDLE_DOTS = re.compile(r"[\u00b7\u2022\u2027\u30fb]")


def split_name(name, family_name_first=True):
    """(family, given) of a name stored whole (a vCard's structured N, a press release).

    - In Chinese characters: family name first, always; its first character, or the
      first two for a compound surname (欧阳修 → 欧阳, 修). A name with a middle dot is a
      foreign one, given name first (安娜·史密斯 → 史密斯, 安娜).
    - In Latin letters: a word in capitals is the family name, as the house style
      writes it ("LI Wenhai", "Anna SMITH"). Otherwise the first word when the family
      name comes first (the house format for Chinese names: "Guo Silu" → Guo, Silu),
      else the last word with any lower-case particles before it ("Anna Smith" → Smith,
      Anna; "Ursula von der Leyen" → von der Leyen, Ursula).
    - A single word is a family name.
    """
    name = " ".join(name.split())
    if has_han(name):
        parts = [part.strip() for part in MIDDLE_DOTS.split(name) if part.strip()]
        if len(parts) > 1:
            return parts[-1], "·".join(parts[:-1])
        name = name.replace(" ", "")
        size = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
        return name[:size], name[size:]
    words = name.split()
    if len(words) < 2:
        return name, ""
    capitals = [word for word in words if len(word) > 1 and word.isupper()]
    if capitals and len(capitals) < len(words):
        return " ".join(capitals), " ".join(word for word in words if word not in capitals)
    if family_name_first:
        return words[0], " ".join(words[1:])
    start = len(words) - 1
    while start > 1 and words[start - 1].islower():
        start -= 1
    return " ".join(words[start:]), " ".join(words[:start])


# Common one-character Chinese family names (those of the Hundred Family Surnames and the
# most frequent of today's census), to tell where a name begins after a title printed
# before it (国家能源局副局长陈强). Used to read names as printed, never to make one up.
COMMON_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于"
    "杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付傅方邹熊白孟秦邱侯江尹薛闫段雷龙"
    "黎史陶贺毛郝顾龚邵万钱严赖覃洪武莫孔汤向常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁"
    "岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝"
    "路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戴岑景"
    "党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖"
    "巩明佘池查麻苑迟邝封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊"
    "仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都"
    "普阙浦戈伏鹿薄邸雍辜羊乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戚嘉"
    "揭褚卫蒋沈韩朱秦尤施孔曹严华金魏陶姜谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌马苗凤花方"
    "俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄"
)


def is_chinese_name(text):
    """Whether the text can be a name in Chinese characters: two to four characters, the
    first (or the first two) a family name of the tables above."""
    text = (text or "").strip()
    if not 2 <= len(text) <= 4 or not all(_HAN_CHARACTER.match(char) for char in text):
        return False
    if text[:2] in COMPOUND_SURNAMES:
        return len(text) >= 3
    return text[0] in COMMON_SURNAMES and len(text) <= 3
