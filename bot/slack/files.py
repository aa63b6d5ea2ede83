"""Files to and from Slack: send a file to a person, upload a picture for a message, read an upload."""

from __future__ import annotations

import urllib.request

from slack_sdk import WebClient

MAX_DOWNLOAD_BYTES = 1_000_000
_OPENER = urllib.request.build_opener()


def send_files(
    client: WebClient, *, channel_id: str, files: list[tuple[str, bytes, str]], comment: str | None = None
) -> None:
    """Upload (filename, content, title) files into a conversation in one message, via files_upload_v2."""
    uploads = [{"filename": name, "content": content, "title": title} for name, content, title in files]
    client.files_upload_v2(channel=channel_id, file_uploads=uploads, initial_comment=comment)


def upload_unshared(client: WebClient, *, files: list[tuple[str, bytes, str]]) -> list[str]:
    """Upload (filename, content, title) files into no conversation; their ids, for image blocks to show."""
    uploads = [{"filename": name, "content": content, "title": title} for name, content, title in files]
    # Without a channel Slack keeps the files private to the bot: no file message appears anywhere, and a
    # message of the bot's can still show them through an image block's `slack_file`.
    response = client.files_upload_v2(file_uploads=uploads)
    return [file["id"] for file in response.get("files") or []]


def direct_channel(client: WebClient, *, user_id: str) -> str:
    """The bot's direct-message conversation with a person."""
    return client.conversations_open(users=user_id)["channel"]["id"]


def download(client: WebClient, *, file_id: str) -> bytes:
    """The bytes of a file people shared with the app, fetched with the bot token; at most 1 MB."""
    file = client.files_info(file=file_id)["file"]
    request = urllib.request.Request(
        file["url_private_download"], headers={"Authorization": f"Bearer {client.token}"}
    )
    with _OPENER.open(request, timeout=30) as response:
        content = response.read(MAX_DOWNLOAD_BYTES + 1)
    if len(content) > MAX_DOWNLOAD_BYTES:
        raise ValueError("file is larger than 1 MB")
    return content
