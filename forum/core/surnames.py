"""Chinese family names and how each is written in Traditional Chinese *as a surname*.

A family name converted on its own has no phrase around it, and OpenCC's character table
then gives the form of the commoner word: 余 → 餘 ("surplus"), 范 → 範, 于 → 於, 郁 → 鬱,
though as surnames they stay 余 范 于 郁. This table lists the Hundred Family Surnames
(百家姓, single and compound, in Simplified characters) and the few whose Traditional
surname form differs from what the converter gives the character alone; every other
surname is converted character by character (赵 → 趙, 冯 → 馮). An entry here is a fact
about the surname, checked against the Traditional text of the 百家姓: a wrong entry would
be worse than none.
"""

# The single-character surnames of the 百家姓, in its order, in Simplified characters
# (at its end 仉督 … 言福, the single surnames among the compound ones), and 朴 (Korean Park,
# Chinese Piáo), which the 百家姓 lacks.
SINGLE_SURNAMES = (
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章"
    "云苏潘葛奚范彭郎鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常"
    "乐于时傅皮卞齐康伍余元卜顾孟平黄和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞"
    "熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍"
    "虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚程嵇邢滑裴陆荣翁"
    "荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫"
    "宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙"
    "池乔阴胥能苍双闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍郤璩桑桂濮牛寿通边扈燕冀郏浦尚农温"
    "别庄晏柴瞿阎充慕连茹习宦艾鱼容向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东殴"
    "殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空曾毋沙乜养鞠须丰巢关蒯相查后荆红游"
    "竺权逯盖益桓公仉督晋楚闫法汝鄢涂钦归海岳帅缑亢况有琴商牟佘佴伯赏墨哈谯笪年爱阳佟"
    "言福朴"
)

# Single surnames whose Traditional form as a surname is not the converter's form of the
# character alone (余 → 餘, 范 → 範, …), and 钟 and 萧, whose surname forms 鍾 and 蕭 are
# written here so that no configuration gives 鐘 or another variant.
SINGLE_SURNAME_FORMS = {
    "余": "余",
    "范": "范",
    "于": "于",
    "郁": "郁",
    "朴": "朴",
    "干": "干",
    "后": "后",
    "党": "党",
    "咸": "咸",
    "游": "游",
    "涂": "涂",
    "岳": "岳",
    "钟": "鍾",
    "萧": "蕭",
}

# Two-character family names (复姓): those of the 百家姓, and 第五, each with its
# Traditional form. 万俟 (Mòqí) keeps 万, 单于 淳于 鲜于 keep 于, 段干 keeps 干, 百里 keeps
# 里, 谷梁 is 穀梁 (穀梁赤), 澹台 is 澹臺 (澹臺滅明).
COMPOUND_SURNAME_FORMS = {
    "万俟": "万俟",
    "司马": "司馬",
    "上官": "上官",
    "欧阳": "歐陽",
    "夏侯": "夏侯",
    "诸葛": "諸葛",
    "闻人": "聞人",
    "东方": "東方",
    "赫连": "赫連",
    "皇甫": "皇甫",
    "尉迟": "尉遲",
    "公羊": "公羊",
    "澹台": "澹臺",
    "公冶": "公冶",
    "宗政": "宗政",
    "濮阳": "濮陽",
    "淳于": "淳于",
    "单于": "單于",
    "太叔": "太叔",
    "申屠": "申屠",
    "公孙": "公孫",
    "仲孙": "仲孫",
    "轩辕": "軒轅",
    "令狐": "令狐",
    "钟离": "鍾離",
    "宇文": "宇文",
    "长孙": "長孫",
    "慕容": "慕容",
    "鲜于": "鮮于",
    "闾丘": "閭丘",
    "司徒": "司徒",
    "司空": "司空",
    "亓官": "亓官",
    "司寇": "司寇",
    "子车": "子車",
    "颛孙": "顓孫",
    "端木": "端木",
    "巫马": "巫馬",
    "公西": "公西",
    "漆雕": "漆雕",
    "乐正": "樂正",
    "壤驷": "壤駟",
    "公良": "公良",
    "拓跋": "拓跋",
    "夹谷": "夾谷",
    "宰父": "宰父",
    "谷梁": "穀梁",
    "段干": "段干",
    "百里": "百里",
    "东郭": "東郭",
    "南门": "南門",
    "呼延": "呼延",
    "羊舌": "羊舌",
    "微生": "微生",
    "梁丘": "梁丘",
    "左丘": "左丘",
    "东门": "東門",
    "西门": "西門",
    "南宫": "南宮",
    "第五": "第五",
}

# The one list of compound surnames (forum/core/names.py splits names with it), in both
# scripts: 司马 and 司馬 are both a family name of two characters.
COMPOUND_SURNAMES = frozenset(COMPOUND_SURNAME_FORMS) | frozenset(COMPOUND_SURNAME_FORMS.values())

# Surnames written in Simplified with one character that stands for two surnames in
# Traditional, both in the 百家姓 (its Traditional text has 郁 and 鬱, 于 and 於 — in
# Simplified 於 as a surname is kept, but records often write it 于 — and 黨 where the
# modern surname is mostly written 党): the usual form first. An editor confirms which.
AMBIGUOUS_SURNAMES = {
    "于": ("于", "於"),
    "郁": ("郁", "鬱"),
    "党": ("党", "黨"),
}

# Characters of given names with several Traditional forms, each a form a name may use
# (发 → 發 or 髮, 杰 → 傑 or 杰): the converter picks one, an editor may confirm another.
# A short list of the ones whose other forms names use, not every one-to-many character
# (志 has 誌 and 周 has 週, but no name is written with them: no warning for those).
AMBIGUOUS_CHARACTERS = {
    "发": ("發", "髮"),
    "干": ("幹", "乾", "干"),
    "后": ("後", "后"),
    "余": ("餘", "余"),
    "于": ("於", "于"),
    "范": ("範", "范"),
    "钟": ("鍾", "鐘"),
    "台": ("臺", "台", "颱", "檯"),
    "复": ("復", "複", "覆"),
    "里": ("裡", "裏", "里"),
    "云": ("雲", "云"),
    "郁": ("鬱", "郁"),
    "朴": ("樸", "朴"),
    "党": ("黨", "党"),
    "杰": ("傑", "杰"),
    "升": ("升", "昇"),
    "岳": ("嶽", "岳"),
    "丰": ("豐", "丰"),
    "征": ("徵", "征"),
    "历": ("歷", "曆"),
    "谷": ("谷", "穀"),
    "冲": ("沖", "衝"),
    "采": ("采", "採"),
    "愿": ("願", "愿"),
    "游": ("遊", "游"),
    "涂": ("塗", "涂"),
    "须": ("須", "鬚"),
    "筑": ("築", "筑"),
    "咸": ("鹹", "咸"),
}

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
