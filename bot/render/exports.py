"""The answers to `/milestone export`: nothing to export, the file sent, or the file that did not come."""

from __future__ import annotations

from bot.render.message import Message, one_line


def nothing_to_export_message(*, channel_id: str) -> Message:
    """The channel has no milestones: no empty file, and how to add the first."""
    return one_line(
        f"Nothing to export: <#{channel_id}> has no milestones yet. "
        "Add one: `/milestone add Launch beta due Dec 15`"
    )


def export_sent_message(*, filename: str, contents: str, channel_id: str) -> Message:
    """The file is in the asker's DM."""
    return one_line(f"📎 Sent you `{filename}` with {contents} from <#{channel_id}> in a direct message.")


def export_failed_message(*, filename: str) -> Message:
    """Slack did not take the upload: say so, rather than nothing."""
    return one_line(f"⚠️ I couldn't send you `{filename}`: Slack did not take the upload. Please try again.")
