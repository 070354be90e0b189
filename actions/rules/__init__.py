"""Eligibility and calculation rules as code: pure functions, no Rasa imports.

Each program takes plain inputs and a date, reads the dated parameters in force on
that date (``parameters``), and returns a ``model.Result``: a verdict, each
criterion with pass / fail / unknown and a one-sentence reason, amounts with the
calculation trace, citations, documents to bring and where to apply.
"""
