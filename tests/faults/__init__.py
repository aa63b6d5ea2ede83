"""The fault suite: real processes, a misbehaving Slack, databases that go away, hostile input."""
