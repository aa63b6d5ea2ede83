"""The console: the real app in a terminal, against an in-process stand-in for Slack."""
