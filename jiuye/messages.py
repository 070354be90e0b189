"""Fixed sentences the actions say. Plain, short, Simplified Chinese."""

HOTLINE = "12385"
BUSY = "系统暂时忙，请稍后再试，或拨打12385。"
# The clause tier (actions/topics.py): the measure a question names, said after the
# topic's answer when that lacks it; a clause among the numbered choices.
ALSO_CLAUSE = "您问到的这一条：{text}"
# "企业助力残疾人就业行动的负责单位有哪些": the section's own list.
SECTION_WHO = "“{title}”由{who}。\n依据：{citation}"
INCLUDES = "包括{name}。"
# "去哪里申请" with nothing answered before it.
FOLLOW_UP_WHICH = "您问的是哪一项？请连事情一起说，比如“烟草证去哪里办”。说“菜单”听全部选项。"
# A follow-up of a kind the last answer has nothing for ("要什么材料" after 机关事业单位带头招).
FOLLOW_UP_NONE = "{title}：{what}，方案和我查到的规定里没有说，请问当地残联，或打12385。"
FOLLOW_UP_WHAT = {"how_much": "给多少、有多少", "who_may": "谁能申请", "who_decides": "由谁负责", "where": "去哪里办",
                  "when": "什么时候", "documents": "要带哪些材料", "how": "具体怎么办"}
CLAUSE_CHOICE = "方案{section}：{plain}"
RULE_CHOICE = "{document}：{plain}"  # a related rule (its own document), not the plan
# The REST channel's limits (bot/server/limits.py): too fast, too long.
TOO_FAST = "您发得有点快，请等几秒再说。"
TOO_LONG = "这条消息太长了，请分几次说，或者说“人工”找工作人员。"

OUT_OF_SCOPE = (
    "抱歉，这个问题我回答不了。\n"
    "我能回答残疾人就业政策的问题，比如烟草证、彩票代销、创业贷款、残保金。\n"
    "说“菜单”听全部选项，说“人工”找工作人员，也可以拨打12385。"
)
CLARIFY = "我不太确定您问的是哪一项。请说数字："
NONE_OF_THESE = "都不是"
MENU_INTRO = "我能回答残疾人就业政策的问题。请说数字选择："
MENU_OUTRO = "也可以直接说出您的问题。"
CATEGORY_INTRO = "“{title}”有这些内容，请说数字："
BACK_TO_MENU = "返回主菜单"
NO_OPTIONS = "现在没有可以选的编号。说“菜单”听全部选项。"
NOT_IN_KNOWLEDGE = "我这里的残疾人就业政策资料没有讲到“{words}”。这个问题请问当地残联，或拨打12385。说“菜单”听我能回答的内容。"
# "有", "对", "没有" with no question open: said after an answer, not to a question.
ANSWER_ALONE = "我现在没有问您问题。想问什么，请直接说，或说“菜单”听全部选项。"
ANSWER_ALONE_CHECK = "我现在没有问您问题。想查您自己能不能办，请说“帮我查”；想问别的，请直接说。"
# A number alone, with no question open and nothing it names ("123456789").
NUMBER_ALONE = "我听到的是数字{number}，不知道您想问什么。请连事情一起说，比如“残保金怎么算”；说“菜单”听全部选项。"
BAD_OPTION = "没有这个编号。请说{low}到{high}之间的数字，或说“菜单”。"
NOTHING_TO_REPEAT = "我还没有回答过问题。说“菜单”听全部选项。"
RESULT_SOURCES = "刚才的结果依据：{sources}。"
NO_TOPIC_YET = "您还没有问具体的问题。我的回答都依据国办发〔2025〕23号《促进残疾人就业三年行动方案（2025—2027年）》和有关文件。"
DETAIL_ON = "好的，以后我会说得详细一些。"
DETAIL_OFF = "好的，以后我会说得简短一些。"
SPEED = {
    "slow": "好的，我会说慢一点。",
    "fast": "好的，我会说快一点。",
    "normal": "好的，恢复正常语速。",
}
HANDOFF = (
    "需要人工帮助，可以这样做：\n"
    "1. 拨打全国残疾人服务热线12385，有的城市已并入12345。\n"
    "2. 到当地残联或残疾人就业服务机构当面咨询，带上残疾人证和身份证。"
)
HANDOFF_RECORDED = "我已记下您要找人工。"
# A number corrected while another question is open; that question is asked again after it.
FIXED_MEANWHILE = "好的，改成{what}。"
FIX_KEPT = "原来的答案没有改。"
CHECK_AGAIN = "好的，按您说的再{verb}一次。"  # 算 or 查, as the check's own 对，开始算
DELETE_CONFIRM = "确定要删除我们为您保存的全部记录吗？请说数字："
DELETE_YES = "确定删除"
DELETE_NO = "取消"
DELETED = "已经删除了您的全部记录（{rows}条）和这次对话的内容。"
NOTHING_TO_DELETE = "已经删除了这次对话的内容。我们没有保存您的其他记录。"
DELETE_CANCELLED = "好的，没有删除。"
DELETE_FAILED = "现在删不了，请稍后再试，或拨打12385。"

# Eligibility checks and calculations (actions/checks.py, actions/levy.py).
NOT_UNDERSTOOD = "没听明白，请再说一遍。"
CHECK_START = "好的，我问您几个问题。不清楚就说“不知道”，不想答就说“跳过”。"
WHICH_CHECK = "您想查哪一项？请说数字："
LEVY_CHECK_TITLE = "单位要交多少残保金"
# A yearly amount said too low for a year (data/checks.yml, per: year): said back, then
# the question's ask_period; after an answer that does not say which, why it is asked.
PERIOD_SAID = "您说的是{amount}。"
ASK_AMOUNT_AGAIN = "请再说一遍金额。"
WHY_ASKED = "问这个的原因：{why}"
NOTED = "好的，记下了：{what}。"
TOTAL_DIVIDED = "您说的是总额，按{what}平均，每人一年{value}。"
PERIOD_EXPLAIN = "一年的{label}很少这么低，所以我要问清楚。每个月的请说“每月”，一年的请说“一年”。"
# After an answer the bot could not use twice: the way out.
ANSWER_HELP = "不清楚就说“不知道”，说“跳过”先跳过，说“人工”找工作人员。"
CONFIRM_GO = "对，开始查"
CONFIRM_REDO = "不对，重新说"
CANNOT_CHECK = "没有{what}，我算不出来。您查到以后，说“帮我查”再来。"
START_AGAIN = "说“帮我查”可以重新开始。"
CHECK_HINT = "想查您自己的情况，请说“帮我查”。"
CONSENT_ASK = "要把这次结果记在您的个案记录里，方便工作人员以后帮您吗？请说数字："
CONSENT_YES = "同意"
CONSENT_NO = "不同意"
CONSENT_GIVEN = "好的，已经记下。说“删除我的数据”随时可以删除。"
CONSENT_REFUSED = "好的，不保存。您的结果只在这次对话里。"
RECORDED = "已记在您的个案记录里。说“删除我的数据”可以删除。"
LEDGER_DOWN = "现在记不了，请稍后再试。您的结果不受影响。"
NOTHING_TO_EXPLAIN = "还没有算过。说“帮我查”开始。"
NOTHING_TO_CANCEL = "好的。有问题请直接问，或说“菜单”。"
CANCELLED = "好的，不算了，刚才说的都没有保存。有问题请直接问，或说“菜单”。"
YES_NO_ONLY = "请说数字选择，或说“对”“不对”。"
EXPIRED = "这个选项已经过期了。"
WHICH_WRONG = "哪一项不对？请说数字："
REDO_ALL = "全部重新说"
NOT_CORRECTABLE = "好的。请再说一遍您的问题，或说“菜单”。"
CHECKS_TITLE = "查一查我能不能办、要交多少"
