"""Opening the zip inside a DOCX, XLSX or ODT file within limits, so that a few kilobytes
cannot unpack to gigabytes (a zip bomb) when a file is checked on upload or its text is read.

The zip's directory is judged first (how many members, what they declare they unpack to, how
tightly each is packed), then every member is unpacked as a stream, counting the bytes that
actually come out: a directory may lie about its sizes, the stream cannot.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

# An ordinary document has tens of members and a large workbook a few hundred; thousands of
# them are there to make reading slow.
MAX_MEMBERS = 5_000
# A 25 MB upload of text-heavy XML (a large workbook) unpacks to about ten times its size;
# more than this is not a document anyone will read, and would not fit a worker's memory.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# XML packs to a fifth or a twentieth of its size; a member packed a hundred times tighter
# is made of repeated bytes, as bombs are. Members under BOMB_FLOOR are too small to matter.
MAX_PACKING_RATIO = 100
BOMB_FLOOR = 1024 * 1024
CHUNK_BYTES = 1024 * 1024


class ArchiveRefused(Exception):
    """The zip is `problem`: "corrupt" (it does not open or unpack), "bomb" (beyond the
    limits) or "encrypted" (a member needs a password)."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


# What zipfile raises for a damaged archive or member: a bad directory, a bad CRC, a
# compression method it does not know, a truncated stream.
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError)


@contextmanager
def opened(file: IO[bytes]) -> Iterator[zipfile.ZipFile]:
    """The zip in `file`, once its directory is within the limits. Raises ArchiveRefused."""
    file.seek(0)
    try:
        archive = zipfile.ZipFile(file)
    except _DAMAGED as exc:
        raise ArchiveRefused("corrupt") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ArchiveRefused("bomb")
        declared = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise ArchiveRefused("encrypted")
            declared += info.file_size
            packed_tightly = info.file_size > MAX_PACKING_RATIO * max(info.compress_size, 1)
            if declared > MAX_UNPACKED_BYTES or (info.file_size > BOMB_FLOOR and packed_tightly):
                raise ArchiveRefused("bomb")
        yield archive


def member_chunks(
    archive: zipfile.ZipFile, name: str, *, limit: int = MAX_UNPACKED_BYTES
) -> Iterator[bytes]:
    """The unpacked bytes of member `name`, chunk by chunk, refused as a bomb once more than
    `limit` or more than the member declares have come out."""
    try:
        info = archive.getinfo(name)
        cap = min(limit, info.file_size)
        out = 0
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                out += len(chunk)
                if out > cap:
                    raise ArchiveRefused("bomb")
                yield chunk
    except (*_DAMAGED, KeyError, RuntimeError) as exc:
        raise ArchiveRefused("corrupt") from exc


def member_bytes(archive: zipfile.ZipFile, name: str, *, limit: int) -> bytes:
    """The whole of a small member, such as an ODT's `mimetype`, at most `limit` bytes."""
    return b"".join(member_chunks(archive, name, limit=limit))


def unpack_all(archive: zipfile.ZipFile) -> None:
    """Unpack every member as a stream, keeping nothing, so that a library reading the zip
    afterwards meets no member beyond the limits (however its directory lies) and no
    damaged one. Raises ArchiveRefused."""
    budget = MAX_UNPACKED_BYTES
    for info in archive.infolist():
        for chunk in member_chunks(archive, info.filename, limit=budget):
            budget -= len(chunk)


def check(file: IO[bytes]) -> None:
    """Refuse (ArchiveRefused) a zip beyond the limits or damaged anywhere."""
    with opened(file) as archive:
        unpack_all(archive)
    file.seek(0)
