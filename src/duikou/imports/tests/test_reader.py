"""Hostile files: refused before anything is decompressed, or as damaged; sound files read."""

import io
import zipfile
from unittest import mock

import pytest
from django.utils import translation
from openpyxl import Workbook

from duikou.imports.progress import ProgressBar
from duikou.imports.reader import Limits, WorkbookRefused, check_archive, read_workbook

SMALL = Limits(file_bytes=10_000_000, uncompressed_bytes=5_000_000, ratio=50, entries=30)


def xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "项目"
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def bomb(size: int, name: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A valid-looking .xlsx whose sheet XML is ``size`` bytes of one repeated row."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx([["代码"]])), "r") as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for item in src.infolist():
            if item.filename != name:
                dst.writestr(item, src.read(item))
        row = b"<row><c t='inlineStr'><is><t>x</t></is></c></row>"
        with dst.open(name, "w", force_zip64=True) as part:
            chunk = row * (1024 * 1024 // len(row))
            written = 0
            while written < size:
                part.write(chunk)
                written += len(chunk)
    return out.getvalue()


def refused(data, limits=None) -> str:
    with pytest.raises(WorkbookRefused) as info, translation.override("en"):
        check_archive(data, limits)
    return str(info.value.message)


def test_sound_workbook_is_read_from_cell_a1():
    sheets = read_workbook(xlsx([["代码", "预算（元）"], ["P-1", 1234.5], [None, None], ["P-2", 10]]))
    assert sheets == [("项目", [["代码", "预算（元）"], ["P-1", 1234.5], ["", ""], ["P-2", 10]])]


def test_zip_bomb_is_refused_from_the_central_directory_before_decompressing():
    data = bomb(40 * 1024 * 1024)  # 40 MiB of sheet XML in a file of a few hundred KiB
    assert len(data) < 1_000_000
    with mock.patch.object(zipfile.ZipFile, "open", side_effect=AssertionError("decompressed")):
        message = refused(data)  # the default limits (settings)
    assert "compressed" in message and "sheet1.xml" in message


def test_total_uncompressed_size_is_limited():
    data = bomb(6 * 1024 * 1024)
    message = refused(data, Limits(10_000_000, 5_000_000, ratio=100_000, entries=30))
    assert "unpacks to" in message


def test_number_of_entries_is_limited():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for i in range(31):
            z.writestr(f"xl/part{i}.xml", "<x/>")
    assert "parts" in refused(out.getvalue(), SMALL)


def test_file_size_is_limited():
    assert "bytes" in refused(xlsx([["a"]]), Limits(100, 5_000_000, 50, 30))


@pytest.mark.parametrize("data", [b"code,name\nP-1,x\n", b"", "代码\t名称".encode("gbk"), b"%PDF-1.4 ..."])
def test_non_zip_file_is_refused(data):
    assert "not an Excel workbook" in refused(data, SMALL)


def test_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    assert "not an Excel workbook" in refused(out.getvalue(), SMALL)


def test_archive_with_corrupt_data_is_refused_as_damaged():
    data = bytearray(xlsx([["代码"], ["P-1"]]))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start, start + info.compress_size):  # the compressed data, scrambled
        data[i] ^= 0x5A
    assert "damaged" in refused(bytes(data), SMALL)


def test_progress_bar_draws_on_its_stream():
    stream = io.StringIO()
    bar = ProgressBar(stream, width=10, every=0)
    bar(5, 10)
    bar(10, 10)
    assert "[#####.....] 5/10" in stream.getvalue()
    assert stream.getvalue().endswith("[##########] 10/10\n")


def test_archive_that_understates_a_part_size_is_refused_as_damaged():
    data = bytearray(xlsx([["代码"], ["P-1"]]))
    name = b"xl/worksheets/sheet1.xml"
    at = data.find(b"PK\x01\x02")
    while at != -1 and data[at + 46:at + 46 + len(name)] != name:  # this part's central directory record
        at = data.find(b"PK\x01\x02", at + 4)
    data[at + 24:at + 28] = (10).to_bytes(4, "little")  # declared uncompressed size: 10 bytes
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        assert z.getinfo("xl/worksheets/sheet1.xml").file_size == 10
    assert "damaged" in refused(bytes(data), SMALL)


def with_sheet_xml(edit) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx([["代码"], ["P-1"]]))) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = edit(data.decode()).encode()
            dst.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/hostname">]>',  # external entity
    '<!DOCTYPE worksheet [<!ENTITY e SYSTEM "http://127.0.0.1:9/x">]>',  # network reference
    '<!DOCTYPE worksheet [<!ENTITY a "AAAAAAAAAA"><!ENTITY e "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',  # expansion
])
def test_xml_with_a_document_type_is_refused_without_reading_anything_outside(doctype):
    def edit(text):
        # after 2 MiB of comment, so that the declaration is not in the first chunk read
        return "<!--" + "x" * (2 * 1024 * 1024) + "-->" + doctype + text.split("?>", 1)[-1].replace("P-1", "&e;")
    data = with_sheet_xml(edit)
    with mock.patch("builtins.open", side_effect=AssertionError("a file was opened")):
        assert "DTD" in refused(data, Limits(10_000_000, 50_000_000, 10_000, 30))


def test_cells_read_as_a_form_would_receive_them():
    import datetime as dt

    from duikou.imports.services import cell_text

    assert [cell_text(v) for v in (None, 2024.0, 0.1 * 3, 1234567.5, True, " 北京市 ", dt.datetime(2024, 5, 6),
                                   dt.date(2024, 5, 6), 7)] == \
        ["", "2024", "0.3", "1234567.5", "true", "北京市", "2024-05-06", "2024-05-06", "7"]
