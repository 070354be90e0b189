"""Look event classes up in a table.

``Event.resolve_by_type`` walks all Event subclasses for every event of every tracker
it deserialises: about 10% of the server's time. The table is built once from the
same subclasses (events cannot gain subclasses at run time); an unknown name takes
Rasa's own path.
"""
from __future__ import annotations

from typing import Dict, Optional, Text, Type

WRITTEN_FOR = {"rasa": "3.6.21"}


def apply() -> None:
    import rasa.shared.utils.common
    from rasa.shared.core import events

    original = events.Event.resolve_by_type
    table: Dict[Text, Type[events.Event]] = {}
    for cls in rasa.shared.utils.common.all_subclasses(events.Event):
        table.setdefault(cls.type_name, cls)  # first match wins, as in the original loop

    def resolve_by_type(
        type_name: Text, default: Optional[Type[events.Event]] = None
    ) -> Optional[Type[events.Event]]:
        found = table.get(type_name)
        return found if found is not None else original(type_name, default)

    events.Event.resolve_by_type = staticmethod(resolve_by_type)
