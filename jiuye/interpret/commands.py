"""What a short message means, read by rules: a numbered choice, yes or no, a command.

These readings are decided by rules rather than by the statistical model, because a
blind person saying "二" must never be guessed. The NLU's ``InputGuard``
(bot/server/nlu.py), the forms (actions/), the CLI and the voice doors all read
with these functions, so a message means the same at every door.
"""
from __future__ import annotations

import re
from typing import Optional

import cn2an

from jiuye.interpret.numbers import province
from jiuye.text import normalize

_CN_DIGITS = "零〇一二两三四五六七八九十"
_CHOICE = re.compile(
    rf"^(?:那就|就|那|我)?(?:要|选|想要|想选|选择)?(?:选项|第|选)?"
    rf"(?P<num>[0-9]{{1,2}}|[{_CN_DIGITS}]{{1,3}})"
    rf"(?:个|项|号|条|种|的)?(?:吧|呢|啊|呀|好了|就行)?[.。!！?？,，:：;；、]*$"
)


def parse_choice(text: Optional[str]) -> Optional[int]:
    """The number a person picked from a numbered list, or None.

    Accepts what people type or say: "2", "二", "第二个", "选3", "我选四", "2号", "十二".
    A sentence that merely contains a number ("我们公司200人") is not a choice.
    """
    if not text:
        return None
    compact = normalize(text).replace(" ", "")
    match = _CHOICE.match(compact)
    if not match:
        return None
    num = match.group("num")
    if num.isdigit():
        return int(num)
    try:
        value = cn2an.cn2an(num, "smart")
    except (ValueError, KeyError):
        return None
    value = int(value)
    return value if 0 <= value <= 99 else None


# A whole answer that is yes or no to a numbered yes-or-no list (consent, a read-back,
# the delete confirmation): the list's own labels (同意 / 不同意, 确定删除) among them.
_YES_WORDS = {"对", "对的", "对对", "对对对", "是", "是的", "是这样", "没错", "对没错", "嗯", "嗯嗯", "嗯对", "嗯是的",
              "好", "好的", "可以", "行", "确定", "确认", "正确", "没问题", "对头", "ok", "okay", "yes",
              "同意", "我同意", "同意的", "好的同意", "可以同意", "愿意", "我愿意", "好的可以", "确定删除", "记下吧", "保存"}
_NO_WORDS = {"不对", "不是", "不是的", "错了", "错的", "说错了", "不", "不行", "不要", "否", "不同意", "不正确",
             "不对不对", "不是这样", "no", "我不同意", "不愿意", "我不愿意", "不用了", "不用", "不保存", "不要保存", "别记"}
_PARTICLES = re.compile(r"[啊呀吧哦呢啦嘛哈]+$")
_CHECK = re.compile(r"帮我查|(?:帮我|给我|帮忙)算(?:一下|算|一算)?[。!！?？吧]*$|查一查|查查|帮我看看我|帮我判断|"
                    r"符不符合|够不够条件|有没有资格|资格审查|我行不行|够不够格|我符合吗|我合不合格|看看我能不能")


def yes_or_no(text: Optional[str]) -> Optional[bool]:
    """A whole answer that is just "对" / "是的" (True) or "不对" / "不是" (False); else None."""
    compact = re.sub(r"[\s,，.。!！?？~～、]", "", normalize(text or "")).lower()
    compact = _PARTICLES.sub("", compact)
    if compact in _YES_WORDS:
        return True
    if compact in _NO_WORDS:
        return False
    return None


_HAVE_WORDS = {"有", "有的", "有呀", "没有", "没", "没有的", "还没有", "都有", "都没有"}


def bare_answer(text: Optional[str]) -> bool:
    """"有", "没有", "对", "好的": an answer with nothing else in it."""
    compact = _PARTICLES.sub("", re.sub(r"[\s,，.。!！?？~～、]", "", normalize(text or "")).lower())
    return yes_or_no(text) is not None or compact in _HAVE_WORDS


def asks_to_check(text: Optional[str]) -> bool:
    """帮我查查 / 我符不符合: the person wants their own case checked."""
    return bool(_CHECK.search(normalize(text or "")))


# Said in the middle of a check, these are commands, not answers.
_COMMAND = re.compile(
    r"人工|菜单|帮助|再说一遍|重复|出处|哪个文件|慢一点|快一点|慢点|快点|正常语速|再见|取消|不算了|"
    r"不查了|算了|退出|删除|为什么|为啥|重新|算错|详细|简单"
)
_LEVY = re.compile(r"残保金|保障金")


def is_command(text: Optional[str]) -> bool:
    """再说一遍, 人工, 不算了 …: read before an answer, since "再说一遍" holds a
    number ("一") and "不算了" a "no"."""
    return bool(_COMMAND.search(text or ""))


# A correction of an answer: "不对，是300人", "人数说错了", "工资是9万" (a bare "不对" is a no).
_FIX_AFTER_NO = re.compile(
    r"^(?:不对|不是|错了|说错了|搞错了)[，,。.!！、\s]*(?:是|应该是|我们是|其实是)?"
    r".*(?:[0-9]|[零一二两三四五六七八九十百千万]|人|工资|省)")
_FIX_WORDS = re.compile(r"说错了|搞错了|写错了|弄错了|记错了|听错了|改一下|改成")
_FIX_FIELD = re.compile(r"^(?:人数|员工|职工|在职职工|工资|平均工资|残疾人?|残疾职工|省份?|年龄)(?:数)?(?:应该)?是")


# A correction's opening no ("不对，是8个", "说错了，…"): of the old answer, not the new one.
_FIX_OPENING = re.compile(r"^\s*(?:不对|不是|错了|说错了|搞错了|记错了|弄错了|我说错了)[，,。.!！、\s]*")


def opens_with_no(text: Optional[str]) -> bool:
    """"不对，是8个": a correction that starts with its no (of the answer given before)."""
    return bool(_FIX_OPENING.match(text or ""))


def without_opening_no(text: Optional[str]) -> str:
    """"不对，是8个" → "是8个": what the correction says the answer is."""
    return _FIX_OPENING.sub("", text or "")


def is_correction(text: Optional[str]) -> bool:
    """The person corrects an answer they gave ("不对，是300人", "人数说错了", "工资是9万"),
    or asks what if one were otherwise ("那如果是300人呢")."""
    plain = normalize(text or "")
    return bool(_FIX_WORDS.search(plain) or _FIX_FIELD.search(plain)
                or (_FIX_AFTER_NO.search(plain) and yes_or_no(plain) is None) or is_what_if(plain))


# "那如果是300人呢", "要是工资8万呢", "换成300人要交多少": one figure changed, the rest kept.
# Short, a number in it and nothing else asked: "如果月收入3000低保会停吗" is a question.
_WHAT_IF = re.compile(
    r"^(?:那|那么|那要|那你说)?(?:如果|要是|假如|假设|换成|改成|若是|(?=再招|再雇|多招|再加|少招|少))(?:是|有|换成|改成)?"
    r"[^，,。？?]{0,8}?(?:[0-9]|[零一二两三四五六七八九十百千万]|在(?P<place>[^，,。？?]{2,4}))[^，,。？?]{0,6}?"
    r"(?:呢|的话|的话呢|怎么样|要交多少|交多少|是多少|多少钱|算一下|再算一下)?[。？?!！]*$")
_ASKS_MORE = re.compile(r"吗|么|能|可以|会|是否|行不行|哪|谁")


def is_what_if(text: Optional[str]) -> bool:
    """"那如果是300人呢": a figure of the check just done or read back, changed."""
    plain = normalize(text or "").replace(" ", "")
    found = _WHAT_IF.match(plain)
    if found and found.group("place"):  # "如果在上海呢": a place, which must be a province or a city of one
        found = found if province(found.group("place")) else None
    return len(plain) <= 20 and bool(found) and not _ASKS_MORE.search(plain)


def names_levy(text: Optional[str]) -> bool:
    """The sentence names the employer levy (残保金 / 保障金)."""
    return bool(_LEVY.search(normalize(text or "")))


# The answer to a yes/no option of ``jiuye check`` (``--has-certificate 是``).
_FLAG_YES = {"是", "有", "对", "yes", "y", "true", "1"}
_FLAG_NO = {"否", "没有", "无", "不", "no", "n", "false", "0"}
_FLAG_UNKNOWN = {"不知道", "不清楚", "unknown", "?"}
NOT_AN_ANSWER = object()


def flag_answer(text: Optional[str]):
    """是 / 否 / 不知道 given to a yes/no option: True / False / None, or NOT_AN_ANSWER."""
    value = (text or "").strip().lower()
    if value in _FLAG_YES:
        return True
    if value in _FLAG_NO:
        return False
    if value in _FLAG_UNKNOWN:
        return None
    return NOT_AN_ANSWER


# What kind of question a sentence asks, so that an answer can say that first
# (jiuye.knowledge.render). Checked in this order: the first kind that matches.
_KINDS = (
    ("who_decides", re.compile(r"谁(?:来)?(?:定|决定|制定|确定|负责|管|审批|批|认定|说了算)|哪个部门|哪些部门|什么部门|由谁|归谁|"
                               r"负责单位|负责部门|牵头|哪些单位负责|哪个单位负责|哪几个部门")),
    ("where", re.compile(r"哪里|哪儿|在哪|去哪|什么地方|找谁|哪个窗口|哪个单位办|交给谁|交到哪|向谁交|谁收|缴给谁")),
    ("when", re.compile(r"什么时候|多久|多长时间|哪一年|哪年|几月|期限|截止|到期|到哪年|多少年|几年|最长|"
                        r"多长")),
    ("documents", re.compile(r"材料|证件|带什么|准备什么|要什么证|要哪些证|手续")),
    ("how_much", re.compile(r"多少|最多|最高|最少|额度|多大|几[个名人次岁级万块元倍成%]|几成|比例是")),
    ("who_may", re.compile(r"谁能|谁可以|什么人|哪些人|什么样的人|什么条件|啥条件|哪些条件|够不够条件|符合.{0,6}条件")),
    ("how", re.compile(r"怎么办|怎么申请|如何申请|怎么弄|怎么做|流程|步骤|怎么办理|如何办理|去办|怎么交|怎么缴|怎么报名|怎么领|怎么考|"
                       r"要做什么|该做什么|得做什么|需要做什么|先做什么|要干什么|怎么落实|如何落实|咋办|咋弄|怎么操作")),
    ("yes_no", re.compile(r"能不能|可不可以|能否|是否|会不会|要不要|有没有|行不行|可以吗|能吗|行吗|吗[？?]?$")),
)


def question_kind(text: Optional[str]) -> Optional[str]:
    """how_much / who_may / who_decides / where / when / documents / how / yes_no, or None."""
    plain = normalize(text or "")
    return next((kind for kind, pattern in _KINDS if pattern.search(plain)), None)


# What is left of a follow-up question once its kind and these words are taken out:
# nothing ("去哪里申请", "要带什么材料", "谁能办", "能贷多少") means it asks about the
# topic just answered; any other word ("烟草证去哪里办") names a topic of its own.
_FOLLOW_UP_WORDS = re.compile(
    r"请问|那么|那|还有|另外|由|归|这个|那个|这些|这|它|我|我们|您|你|要|需要|得|应该|应当|可以|能|会|"
    r"去|到|在|上|找|交|缴|带|准备|提交|办理|办|申请|弄|贷|领|拿|报名|做|干|咋|操作|落实|先|具体|免|减|补|退|收|考|"
    r"政策|规定|这条|年|"
    r"哪里|哪儿|哪|什么|啥|谁|多少|几|怎么|如何|时候|截止|期限|多久|多长时间|"
    r"材料|证件|手续|条件|流程|步骤|部门|单位|地方|窗口|钱|额度|最多|最高|负责|决定|审批|管|定|批|来|个|些|样|"
    r"呢|吗|啊|呀|吧|的|了|么|[，。,.!！?？~～\s]")


def follow_up_kind(text: Optional[str]) -> Optional[str]:
    """The kind a short follow-up asks (where, documents, who_may …) when it names no
    topic of its own: "去哪里申请" after the loan's answer asks where to apply for it."""
    plain = normalize(text or "")
    kind = question_kind(plain)
    if kind in (None, "yes_no") or len(plain) > 12:
        return None
    return kind if not _FOLLOW_UP_WORDS.sub("", plain) else None
