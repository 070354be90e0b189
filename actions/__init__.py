"""jiuye's action server package: knowledge answers, conversation commands and the
pure modules they use (text normalisation, knowledge base, ledger)."""
