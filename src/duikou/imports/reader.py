"""Reading an uploaded workbook safely.

An .xlsx file is a zip archive of XML parts. Before anything is decompressed, the archive's
central directory (the list of entries at its end, with their declared sizes) is checked against
the limits in the settings: the file size, the number of entries, the total uncompressed size
and the compression ratio of each large entry. A zip bomb — a small file that unpacks to
gigabytes of sheet XML — is refused there. The entries are then streamed through once (at most
the declared sizes, checksums verified), so an archive that lies about its sizes is refused as
damaged before the spreadsheet reader sees it; a part with a document type declaration (the
way to external entities and entity expansion, "billion laughs") is refused in the same pass.
Only then does python-calamine read the cells.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from duikou.core.errors import ApplicationError

__all__ = ["Limits", "WorkbookRefused", "check_archive", "read_workbook"]

# Entries smaller than this are not held to the compression ratio (tiny XML parts compress well).
RATIO_FLOOR = 1024 * 1024
CHUNK = 1024 * 1024


class WorkbookRefused(ApplicationError):
    """The file is not read: not an .xlsx workbook, damaged, or beyond the size limits."""


@dataclass(frozen=True)
class Limits:
    file_bytes: int
    uncompressed_bytes: int
    ratio: int
    entries: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(settings.IMPORT_MAX_FILE_BYTES, settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
                   settings.IMPORT_MAX_COMPRESSION_RATIO, settings.IMPORT_MAX_ZIP_ENTRIES)


def check_archive(data: bytes, limits: Limits | None = None) -> None:
    """Refuse (``WorkbookRefused``) a file that is not a sound .xlsx archive within the limits."""
    limits = limits or Limits.from_settings()
    if len(data) > limits.file_bytes:
        raise WorkbookRefused(_("The file has {size} bytes, more than the limit of {limit}.").format(
            size=len(data), limit=limits.file_bytes))
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise WorkbookRefused(_("This is not an Excel workbook (.xlsx)."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise WorkbookRefused(_("This is not an Excel workbook (.xlsx).")) from None
    with archive:
        entries = archive.infolist()  # the central directory: nothing decompressed yet
        if len(entries) > limits.entries:
            raise WorkbookRefused(_("The workbook holds {n} parts, more than the limit of {limit}.").format(
                n=len(entries), limit=limits.entries))
        total = sum(e.file_size for e in entries)
        if total > limits.uncompressed_bytes:
            raise WorkbookRefused(_("The workbook unpacks to {size} bytes, more than the limit of {limit}.").format(
                size=total, limit=limits.uncompressed_bytes))
        for e in entries:
            if e.file_size > RATIO_FLOOR and e.file_size > limits.ratio * max(e.compress_size, 1):
                raise WorkbookRefused(_(
                    "The part {name} is compressed {ratio:.0f} to 1, more than the limit of {limit} to 1."
                ).format(name=e.filename, ratio=e.file_size / max(e.compress_size, 1), limit=limits.ratio))
        names = {e.filename for e in entries}
        if "xl/workbook.xml" not in names:
            raise WorkbookRefused(_("This is not an Excel workbook (.xlsx)."))
        try:
            for e in entries:  # stream each part once: at most its declared size, checksum verified
                with archive.open(e) as part:
                    tail = b""
                    while chunk := part.read(CHUNK):
                        if b"<!DOCTYPE" in tail + chunk or b"<!ENTITY" in tail + chunk:
                            raise WorkbookRefused(_(
                                "The part {name} declares a document type or entities (DTD); "
                                "duikou does not read such files.").format(name=e.filename))
                        tail = chunk[-16:]
        # zipfile raises NotImplementedError for a compression method it cannot read, RuntimeError
        # for an encrypted part: both mean a workbook we refuse, like a damaged one.
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError, ValueError):
            raise WorkbookRefused(_("The workbook is damaged and cannot be read.")) from None


def read_workbook(data: bytes, limits: Limits | None = None) -> list[tuple[str, list[list]]]:
    """[(sheet name, rows)] of a checked workbook; rows are lists of cell values from cell A1 on."""
    check_archive(data, limits)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return [(name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False))
                for name in workbook.sheet_names]
    except Exception:  # noqa: BLE001 - calamine raises its own errors for every kind of bad part
        raise WorkbookRefused(_("The workbook is damaged and cannot be read.")) from None
