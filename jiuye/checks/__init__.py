"""The eligibility checks and calculations: one concept, a *check*, everywhere.

- ``spec``: each check's questions, from ``data/checks.yml`` (what to ask, how to read
  it back, which answers the rules take);
- the rules as code: pure functions, no Rasa (``levy``, ``tax``, ``loan``,
  ``licences``, ``people``, ``public_sector``). Each takes plain inputs and a date,
  reads the dated parameters in force on that date (``parameters``) and returns a
  ``model.Result``: a verdict, each criterion with pass / fail / unknown and a
  one-sentence reason, amounts with the calculation trace, citations, documents to
  bring and where to apply;
- ``registry.RULES``: every check's rules function by the check's id;
- ``render``: a result as text; ``inputs``: bounds on numbers.
"""
from jiuye.checks.spec import (  # noqa: F401  (the spec is the package's face)
    UNKNOWN,
    YES_NO_CHOICES,
    Check,
    Fact,
    Question,
    default,
    for_topic,
    load,
    named_in,
    said,
)
