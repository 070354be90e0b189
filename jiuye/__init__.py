"""jiuye's core: everything the action server, the Rasa-server plugins, the doors and
the voice stages share, and nothing that needs Rasa, a web server or audio.

- ``text``: normalisation (traditional → simplified, full → half width, emoji out) and
  how words sound (fuzzy pinyin);
- ``interpret``: every rule-based reading of what a person said: numbered choices,
  yes / no / 不知道, commands, numbers, answers to a check's questions;
- ``knowledge``: the topics, categories and documents of ``data/knowledge``;
- ``messages``: the fixed sentences the assistant says;
- ``checks``: the eligibility checks and calculations: their questions
  (``data/checks.yml``), rules as code, dated parameters, results;
- ``ledger``: the case record (SQLAlchemy) and its Alembic migrations;
- ``assistant``: the interface every door talks to (a Protocol), and its reply.

Imports run one way: ``jiuye`` imports nothing from ``actions``, ``bot`` or ``voice``
(import-linter holds this; see pyproject.toml).
"""
