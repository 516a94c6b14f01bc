"""Garbage in, `Extracted` or `Skip` out: random bytes, truncated and damaged real files never
make the extractors raise anything else (issue 7: broken documents never crash the scan)."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baomi.scanner.extract import extract
from baomi.scanner.model import Extracted, Skip
from tests.scanner.corpus import TEST_LIMITS, shared_corpus

MAGICS = [b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"%PDF-1.4\n", b"{\\rtf1 ",
          b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b\x08\x00", b"<html><body>", b"From: a\nTo: b\nSubject: c\n\n", b""]


def corpus_samples() -> list[tuple[str, bytes]]:
    root, truths = shared_corpus()
    return [(relative, (root / relative).read_bytes()) for relative, truth in sorted(truths.items())
            if truth.skip != "unreadable" and relative != "archives/bomb.zip"]


def outcome(data: bytes, name: str) -> str:
    try:
        result = extract(data, name, TEST_LIMITS)
    except Skip as skip:
        return skip.code
    assert isinstance(result, Extracted)
    return "ok"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(magic=st.sampled_from(MAGICS), rest=st.binary(max_size=2048))
def test_random_bytes_behind_any_magic_number(magic, rest):
    assert outcome(magic + rest, "x.bin") in ("ok", "broken", "encrypted", "unsupported", "too_large", "bomb")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sample=st.sampled_from(corpus_samples()), cut=st.floats(0, 1))
def test_truncated_corpus_files(sample, cut):
    relative, data = sample
    outcome(data[: int(len(data) * cut)], relative)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sample=st.sampled_from(corpus_samples()), data=st.data())
def test_damaged_corpus_files(sample, data):
    relative, content = sample
    damaged = bytearray(content)
    for _ in range(data.draw(st.integers(1, 20))):
        position = data.draw(st.integers(0, len(damaged) - 1))
        damaged[position] = data.draw(st.integers(0, 255))
    outcome(bytes(damaged), relative)


@pytest.mark.parametrize("relative", ["docx/report.docx", "xlsx/ledger.xlsx", "legacy/legacy.doc",
                                      "pdf/paper.pdf"])
def test_every_prefix_of_a_small_file_is_handled(relative):
    root, _ = shared_corpus()
    data = (root / relative).read_bytes()
    for end in range(0, len(data), max(1, len(data) // 64)):
        outcome(data[:end], relative)


def test_the_unreadable_corpus_file_cannot_be_read():
    """The runner reports it as `unreadable`; here only that the corpus really made it so."""
    if os.geteuid() == 0:
        pytest.skip("running as root: mode 000 does not stop root from reading the file")
    root, truths = shared_corpus()
    assert truths["odd/locked.txt"].skip == "unreadable"
    with pytest.raises(PermissionError):
        (root / "odd/locked.txt").read_bytes()
