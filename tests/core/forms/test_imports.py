"""Reading back the import forms: the uploaded file, and what the upload form and the preview carry."""

from __future__ import annotations

import pytest

from bot.core.forms.imports import (
    ImportBlock,
    ImportContext,
    read_import_context,
    read_upload_channel,
    read_uploaded_file,
)
from bot.core.forms.values import GarbledMetadata, ModalErrors
from bot.core.imports import ImportPreview
from bot.render.imports import import_modal, import_preview_view
from tests.support.factories import TODAY


def _uploaded(files: object) -> dict:
    return {"file": {"file": {"type": "file_input", "files": files}}}


def test_the_upload_form_carries_its_channel():
    view = import_modal(channel_id="C1")

    assert read_upload_channel(view["private_metadata"]) == "C1"


def test_the_preview_carries_its_channel_and_file():
    view = import_preview_view(ImportPreview(), channel_id="C1", file_id="F1", today=TODAY)

    assert read_import_context(view["private_metadata"]) == ImportContext(channel_id="C1", file_id="F1")


def test_a_preview_without_its_file_is_garbled():
    with pytest.raises(GarbledMetadata):
        read_import_context(import_modal(channel_id="C1")["private_metadata"])


def test_the_first_uploaded_file_is_read():
    assert read_uploaded_file(_uploaded([{"id": "F1", "name": "plan.csv"}, {"id": "F2"}])) == "F1"


@pytest.mark.parametrize("files", [[], None, "F1", [{"name": "plan.csv"}], [{"id": ""}], ["F1"]])
def test_no_uploaded_file_asks_for_one(files: object):
    with pytest.raises(ModalErrors) as refused:
        read_uploaded_file(_uploaded(files))

    assert refused.value.errors == {ImportBlock.FILE: "Upload a CSV file."}


def test_a_form_without_the_file_input_asks_for_one():
    with pytest.raises(ModalErrors):
        read_uploaded_file({})
