"""Reading back the import forms: the uploaded file, and the channel and file the preview was opened for."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.core.forms.values import ModalErrors, entry, metadata_field, read_metadata

UPLOAD_CALLBACK = "import_upload"
CONFIRM_CALLBACK = "import_confirm"


class ImportBlock(StrEnum):
    """The upload form's input; its action_id is its block_id."""

    FILE = "file"


@dataclass(frozen=True)
class ImportContext:
    """What the preview carries in private_metadata: the channel to import into, and the uploaded file."""

    channel_id: str
    file_id: str


def import_metadata(*, channel_id: str, file_id: str | None = None) -> str:
    """The private_metadata of the upload form (the channel) or of the preview (the channel and the file)."""
    data = {"channel_id": channel_id} if file_id is None else {"channel_id": channel_id, "file_id": file_id}
    return json.dumps(data)


def read_upload_channel(private_metadata: str) -> str:
    """The channel the upload form was opened in."""
    return metadata_field(read_metadata(private_metadata), "channel_id", str, required=True)


def read_import_context(private_metadata: str) -> ImportContext:
    """The channel and the file a submitted preview was shown for."""
    data = read_metadata(private_metadata)
    return ImportContext(
        channel_id=metadata_field(data, "channel_id", str, required=True),
        file_id=metadata_field(data, "file_id", str, required=True),
    )


def read_uploaded_file(values: dict[str, Any]) -> str:
    """The id of the file uploaded on the form; ModalErrors under the file input when there is none."""
    files = entry(values, ImportBlock.FILE).get("files")
    file_id = files[0].get("id") if isinstance(files, list) and files and isinstance(files[0], dict) else None
    if not isinstance(file_id, str) or not file_id:
        raise ModalErrors({ImportBlock.FILE: "Upload a CSV file."})
    return file_id
