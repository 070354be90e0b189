"""Every rule-based reading of what a person said, in one place.

- ``commands``: a numbered choice ("2", "第二个", "我选三"), a bare yes or no
  ("对", "不是"), 帮我查, and the commands that interrupt a check (再说一遍, 人工, 不算了);
- ``numbers``: numbers as people write and say them (两百, 八万块, 14.4万, 百分之一点五),
  provinces, 不知道, and the facts of an all-in-one levy sentence;
- ``answers``: how a message answers the question of a check that was just asked,
  and what a sentence already says about questions not asked yet.

The NLU component (bot/server/nlu.py), the forms (actions/), the CLI and the doors
use these functions; none of them reads a person's words with its own rules.
"""
