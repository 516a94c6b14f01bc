"""Bounded decompression: what one scanned file may expand to (rule of thumb of zip bombs:
never trust the sizes an archive declares, count what really comes out)."""

from __future__ import annotations

from typing import IO

from baomi.scanner.model import Limits, Skip

CHUNK = 1024 * 1024
# Below this many expanded bytes the ratio is not checked: tiny, very repetitive files
# (an empty sheet, a config file) compress far better than 100:1 and are no bomb.
RATIO_FLOOR = 4 * 1024 * 1024


class TooLarge(Exception):
    """One member is larger than `limits.max_file_bytes`; the others are still read."""


class Budget:
    """Counts the bytes taken out of one file (all its members together) against the limits.
    `compressed_size` is what the expansion ratio is measured against: the size on disk of the
    scanned file when the runner passes it, else the size of the data being expanded."""

    def __init__(self, limits: Limits, compressed_size: int) -> None:
        self.limits = limits
        self.compressed_size = max(compressed_size, 1)
        self.expanded = 0

    def charge(self, count: int) -> None:
        self.expanded += count
        if self.expanded > self.limits.max_expanded_bytes:
            raise Skip("bomb", f"expands beyond {self.limits.max_expanded_bytes} bytes")
        ratio_cap = self.limits.max_expansion_ratio * self.compressed_size
        if self.expanded > RATIO_FLOOR and self.expanded > ratio_cap:
            raise Skip("bomb", f"expands more than {self.limits.max_expansion_ratio}:1 "
                               f"({self.expanded} bytes out of {self.compressed_size})")

    def read(self, stream: IO[bytes]) -> bytes:
        """Read a member stream in bounded chunks, charging every chunk."""
        parts: list[bytes] = []
        size = 0
        while True:
            chunk = stream.read(CHUNK)
            if not chunk:
                return b"".join(parts)
            size += len(chunk)
            self.charge(len(chunk))
            if size > self.limits.max_file_bytes:
                raise TooLarge(f"more than {self.limits.max_file_bytes} bytes")
            parts.append(chunk)
