"""Archives: members come out as children, whatever the nesting; encrypted members, oversized
members and bombs are reported, not expanded (issue 7: zip bombs never crash the scan)."""

from __future__ import annotations

import gzip
import io
import zipfile

import pytest

from baomi.scanner.extract import extract
from baomi.scanner.model import Limits, Skip
from tests.scanner.corpus import (
    TEST_LIMITS,
    differences,
    read_tree,
    seven_zip_of,
    shared_corpus,
    tar_of,
    zip_bomb,
    zip_with_encrypted_member,
    zipcrypto_member,
)

ARCHIVES = ["archives/nested.7z", "archives/locked.zip", "archives/bomb.zip", "archives/notes.txt.gz"]


@pytest.mark.rule("S9")
@pytest.mark.parametrize("relative", ARCHIVES)
def test_archives_against_their_truth(relative):
    root, truths = shared_corpus()
    assert differences(read_tree(root, relative), truths[relative]) == []


def test_the_bomb_is_a_bomb_under_the_default_limits():
    with pytest.raises(Skip) as raised:
        extract(zip_bomb(50), "bomb.zip", Limits())
    assert raised.value.code == "bomb"


@pytest.mark.parametrize("megabytes", [3, 4])
def test_the_ratio_is_not_applied_to_small_expansions(megabytes):
    """Below 4 MB out, even a 1000:1 file is read (an empty sheet compresses like that too)."""
    extracted = extract(zip_bomb(megabytes), "zeros.zip", Limits())
    assert [len(data) for _, data in extracted.children] == [megabytes * 1024 * 1024]


def test_the_expanded_total_is_capped_across_members():
    members = {f"part{i}.bin": bytes(range(256)) * 4096 for i in range(3)}  # 1 MB each, incompressible-ish
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as writer:
        for name, content in members.items():
            writer.writestr(name, content)
    limits = Limits(max_expanded_bytes=2 * 1024 * 1024 + 1)
    with pytest.raises(Skip) as raised:
        extract(archive.getvalue(), "three.zip", limits)
    assert raised.value.code == "bomb"
    assert len(extract(archive.getvalue(), "three.zip", Limits()).children) == 3


def test_a_member_above_the_file_limit_is_skipped_and_the_others_kept():
    data = tar_of({"big.txt": b"x" * 2000, "small.txt": "秘密★1年".encode()})
    extracted = extract(data, "a.tar", Limits(max_file_bytes=1000))
    assert [name for name, _ in extracted.children] == ["small.txt"]
    assert [(name, code) for name, code, _ in extracted.skipped] == [("big.txt", "too_large")]


def test_a_member_lying_about_its_size_is_still_bounded():
    """The declared size says 10 bytes; the stream holds 5 MB: zipfile stops at the declared size
    and the CRC check fails, so the member is broken, never 5 MB in memory unchecked."""
    data = bytearray(zip_bomb(5))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        position = data.find(signature)
        data[position + offset: position + offset + 4] = (10).to_bytes(4, "little")
    extracted = extract(bytes(data), "liar.zip", Limits())
    assert extracted.children == []
    assert [code for _, code, _ in extracted.skipped] == ["broken"]


def test_the_encrypted_member_is_real_zipcrypto():
    data = zip_with_encrypted_member({"a.txt": b"a"}, "secret.txt", "机密★20年".encode())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read("secret.txt", pwd=b"baomi").decode() == "机密★20年"
        with pytest.raises(RuntimeError):
            archive.read("secret.txt")
    assert zipcrypto_member("x", b"y", b"p")[0].flag_bits & 1


def test_gzip_names_its_member_after_the_file():
    assert extract(gzip.compress(b"x"), "notes.txt.gz", TEST_LIMITS).children == [("notes.txt", b"x")]
    assert extract(gzip.compress(b"x"), "backup.tgz", TEST_LIMITS).children[0][0] == "backup.tar"


def test_a_truncated_gzip_is_broken():
    with pytest.raises(Skip) as raised:
        extract(gzip.compress(b"x" * 10000)[:-12], "a.gz", TEST_LIMITS)
    assert raised.value.code == "broken"


def test_seven_zip_members_are_bounded():
    data = seven_zip_of({"zeros.bin": bytes(20 * 1024 * 1024), "note.txt": "秘密★1年".encode()})
    with pytest.raises(Skip) as raised:
        extract(data, "z.7z", Limits())
    assert raised.value.code == "bomb"
    extracted = extract(data, "z.7z", Limits(max_expansion_ratio=100_000))
    assert sorted(name for name, _ in extracted.children) == ["note.txt", "zeros.bin"]


def test_an_encrypted_seven_zip_is_encrypted():
    import py7zr
    buffer = io.BytesIO()
    with py7zr.SevenZipFile(buffer, "w", password="baomi") as archive:
        archive.writestr("机密★20年".encode(), "secret.txt")
    with pytest.raises(Skip) as raised:
        extract(buffer.getvalue(), "s.7z", TEST_LIMITS)
    assert raised.value.code == "encrypted"


def test_zip_names_without_the_utf8_flag_are_read_as_gbk():
    gbk_name = "机密文件.txt".encode("gbk")
    placeholder = b"p" * len(gbk_name)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as writer:
        writer.writestr(placeholder.decode(), b"x")
    raw = archive.getvalue().replace(placeholder, gbk_name)
    assert [name for name, _ in extract(raw, "a.zip", TEST_LIMITS).children] == ["机密文件.txt"]
