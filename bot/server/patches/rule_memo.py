"""Remember the RulePolicy's rule matches on the latest states.

``RulePolicy._get_possible_keys`` filters every rule against every state of the
conversation, twice per prediction (text, then intent). Its answer depends only on
the rule table, fixed once the model is loaded, and on as many of the latest states
as the longest rule has; those repeat from one conversation to the next, so the
answers are remembered (bounded) and older states are never walked.
"""
from __future__ import annotations

from typing import Dict, FrozenSet, List, Text, Tuple

WRITTEN_FOR = {"rasa": "3.6.21"}


# Rule-key answers remembered per policy; states repeat, so this is rarely reached.
RULE_MEMO_SIZE = 20_000


def apply() -> None:
    import json

    from rasa.core.policies.rule_policy import RulePolicy

    original = RulePolicy._get_possible_keys

    def _get_possible_keys(self, lookup: Dict[Text, Text], states: List[Dict]) -> set:
        # A rule is only checked against as many of the latest states as it is long
        # (``_is_rule_applicable`` keeps it for any older state), so the answer
        # depends only on the latest ``longest`` states.
        longest_by_table = self.__dict__.setdefault("_jiuye_rule_lengths", {})
        longest = longest_by_table.get(id(lookup))
        if longest is None:
            longest = longest_by_table[id(lookup)] = max((len(json.loads(k)) for k in lookup), default=0)
        latest = states[-longest:] if longest else []
        memo: Dict[Tuple[int, Text], FrozenSet[Text]] = self.__dict__.setdefault("_jiuye_rule_memo", {})
        # States as Rasa keys its own rules: JSON with sorted keys.
        key = (id(lookup), json.dumps(latest, sort_keys=True))
        found = memo.get(key)
        if found is None:
            if len(memo) >= RULE_MEMO_SIZE:
                memo.clear()
            found = memo[key] = frozenset(original(self, lookup, latest))
        return set(found)

    RulePolicy._get_possible_keys = _get_possible_keys
