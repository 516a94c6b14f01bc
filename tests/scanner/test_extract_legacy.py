"""Legacy binary Office and WPS files (.doc .xls .ppt, .wps .et .dps): parsed by their
streams, reported under the type their name gives."""

from __future__ import annotations

import pytest

from baomi.scanner.detect import detect_type
from baomi.scanner.extract import extract, extract_as
from baomi.scanner.extract.legacy import clean_word_text
from baomi.scanner.model import Skip
from tests.scanner.corpus import TEST_LIMITS, differences, read_tree, shared_corpus

LEGACY = ["legacy/legacy.doc", "legacy/legacy.wps", "legacy/legacy.xls", "legacy/legacy.et",
          "legacy/legacy.ppt", "legacy/legacy.dps"]


@pytest.mark.rule("S9")
@pytest.mark.parametrize("relative", LEGACY)
def test_planted_texts_come_out_where_they_were_planted(relative):
    root, truths = shared_corpus()
    assert differences(read_tree(root, relative), truths[relative]) == []


def test_a_ppt_master_placeholder_is_not_taken_for_a_slide():
    root, _ = shared_corpus()
    tree = read_tree(root, "legacy/legacy.ppt")
    slide_texts = [text for location, text in tree.segments if location.slide is not None]
    assert all("Click to edit" not in text for text in slide_texts)


def test_word_field_instructions_are_dropped_and_results_kept():
    text = "前\x13 HYPERLINK \"x\" \x14机密★20年\x15后\r下一段\x07"
    assert clean_word_text(text) == "前机密★20年后\n下一段\t"


def test_nested_fields_are_dropped_too():
    assert clean_word_text("\x13 IF \x13 PAGE \x141\x15 = 1 \x14秘密\x15") == "秘密"


def test_an_encrypted_word_file_is_skipped_as_encrypted():
    root, _ = shared_corpus()
    data = bytearray((root / "legacy/legacy.doc").read_bytes())
    # set fEncrypted in the FIB of the WordDocument stream, found by its magic number
    import olefile
    with olefile.OleFileIO(bytes(data)) as ole:
        word = ole.openstream("WordDocument").read()
    start = data.find(word[:64])
    data[start + 0x0B] |= 0x01
    with pytest.raises(Skip) as raised:
        extract(bytes(data), "locked.doc", TEST_LIMITS)
    assert raised.value.code == "encrypted"


def test_an_ole_file_holding_an_encrypted_package_is_encrypted():
    """A password-protected .xlsx is an OLE file with EncryptionInfo and EncryptedPackage
    streams; made here by renaming the Workbook stream's directory entry."""
    root, _ = shared_corpus()
    data = bytearray((root / "legacy/legacy.xls").read_bytes())
    entry = data.find("Workbook".encode("utf-16-le") + b"\0\0")
    assert entry > 0 and entry % 128 == 0  # directory entries are 128 bytes, sector-aligned
    name = "EncryptedPackage".encode("utf-16-le") + b"\0\0"
    data[entry: entry + 64] = name.ljust(64, b"\0")
    data[entry + 64: entry + 66] = len(name).to_bytes(2, "little")
    with pytest.raises(Skip) as raised:
        extract(bytes(data), "locked.xlsx", TEST_LIMITS)
    assert raised.value.code == "encrypted"


def test_a_type_detected_from_the_head_alone_is_refined_from_the_whole_file():
    root, _ = shared_corpus()
    data = (root / "legacy/legacy.doc").read_bytes()
    kind = detect_type(data[:8192], "legacy.doc")
    assert kind == "ole"
    extracted = extract_as(kind, data, "legacy.doc", TEST_LIMITS)
    assert extracted.type == "doc"
    assert any("绝密★长期" in segment.text for segment in extracted.segments)
