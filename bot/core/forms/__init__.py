"""Reading submitted modals: Slack's `view.state.values` and `private_metadata`, as plain dicts."""
