"""Tables, sessions and queries. Never imports `bot`."""
