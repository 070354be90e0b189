"""jiuye's doors: the command line, and later Telegram and the web gateway."""
