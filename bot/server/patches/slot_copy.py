"""Copy slots directly.

``Slot`` objects are copied with ``copy.copy`` every time a tracker is made (reading a
conversation, and the RulePolicy's walk over its earlier states): about 60 slots each
time, through ``__reduce_ex__``. ``Slot.__copy__`` does the same shallow copy of the
attributes directly.
"""
from __future__ import annotations

WRITTEN_FOR = {"rasa": "3.6.21"}


def apply() -> None:
    from rasa.shared.core.slots import Slot

    def __copy__(self: Slot) -> Slot:  # what copy.copy does for a plain object
        new = self.__class__.__new__(self.__class__)
        new.__dict__.update(self.__dict__)
        return new

    Slot.__copy__ = __copy__
