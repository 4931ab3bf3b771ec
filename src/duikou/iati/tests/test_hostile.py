"""Hostile XML (issue 5 §6): external entities, entity expansion and network references are
refused, and nothing outside the file is read."""

import http.server
import threading

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from duikou.iati.xml import PARSER_OPTIONS, HostileXML, iter_activities
from duikou.projects.models import Project

pytestmark = pytest.mark.django_db

MARKER = "TOP-SECRET-7f3a9c"

ACTIVITY = """<iati-activity><iati-identifier>XX-1-A</iati-identifier>
<reporting-org ref="XX-1" type="10"><narrative>{body}</narrative></reporting-org>
<title><narrative>{body}</narrative></title></iati-activity>"""


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(MARKER, encoding="utf-8")
    return path


@pytest.fixture
def web():
    """A local HTTP server that counts the requests it gets (the parser must make none)."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(f'<!ENTITY remote "{MARKER}">'.encode())

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


def _file(tmp_path, doctype: str, body: str):
    path = tmp_path / "hostile.xml"
    path.write_text(f'<?xml version="1.0"?>\n{doctype}\n<iati-activities version="2.03">'
                    f'{ACTIVITY.format(body=body)}</iati-activities>', encoding="utf-8")
    return path


def _refused(path, tmp_path, *extra):
    errors = tmp_path / "errors.txt"
    before = Project.objects.count()
    with pytest.raises(CommandError) as exc:
        call_command("import_iati", str(path), "--language", "en", "--errors", str(errors), *extra)
    assert Project.objects.count() == before
    assert MARKER not in str(exc.value)
    assert not errors.exists() or MARKER not in errors.read_text(encoding="utf-8")
    return str(exc.value)


@pytest.mark.parametrize("lenient", [[], ["--lenient"]], ids=["strict", "lenient"])
def test_external_entity_reading_a_local_file_is_refused(tmp_path, secret, lenient):
    path = _file(tmp_path, f'<!DOCTYPE iati-activities [<!ENTITY xxe SYSTEM "file://{secret}">]>', "&xxe;")
    message = _refused(path, tmp_path, *lenient)
    assert "DOCTYPE" in message and "refused" in message


def test_external_entity_to_etc_passwd_is_refused(tmp_path):
    path = _file(tmp_path, '<!DOCTYPE iati-activities [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;")
    message = _refused(path, tmp_path, "--lenient")
    assert "root:" not in message


def test_billion_laughs_is_refused(tmp_path):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 or "")) * 10}">' for i in range(1, 10))
    path = _file(tmp_path, f"<!DOCTYPE iati-activities [{entities}]>", "&lol9;")
    assert "DOCTYPE" in _refused(path, tmp_path)


def test_network_dtd_and_entities_are_refused_without_a_request(tmp_path, web):
    url, hits = web
    for doctype, body in [
        (f'<!DOCTYPE iati-activities SYSTEM "{url}/evil.dtd">', "x"),
        (f'<!DOCTYPE iati-activities [<!ENTITY % ext SYSTEM "{url}/ext.dtd"> %ext;]>', "&remote;"),
        (f'<!DOCTYPE iati-activities [<!ENTITY net SYSTEM "{url}/net.txt">]>', "&net;"),
    ]:
        assert "DOCTYPE" in _refused(_file(tmp_path, doctype, body), tmp_path, "--lenient")
    assert hits == []


def test_undeclared_entity_is_not_well_formed(tmp_path):
    path = _file(tmp_path, "", "&xxe;")
    assert "not well-formed" in _refused(path, tmp_path, "--lenient")


def test_the_parser_itself_resolves_nothing(tmp_path, secret, web):
    """Behind the prolog check, the parser options alone keep the file's content out."""
    url, hits = web
    path = _file(tmp_path, f'<!DOCTYPE iati-activities [<!ENTITY xxe SYSTEM "file://{secret}">'
                           f'<!ENTITY % ext SYSTEM "{url}/ext.dtd"> %ext;]>', "&xxe;")
    try:
        seen = b"".join(etree.tostring(el) for _, el in etree.iterparse(str(path), events=("end",),
                                                                        **PARSER_OPTIONS))
    except etree.XMLSyntaxError:
        seen = b""
    assert MARKER.encode() not in seen
    assert hits == []


def test_doctype_is_refused_before_parsing(tmp_path, secret):
    path = _file(tmp_path, f'<!DOCTYPE iati-activities [<!ENTITY xxe SYSTEM "file://{secret}">]>', "&xxe;")
    with pytest.raises(HostileXML):
        next(iter_activities(path))


def test_a_doctype_hidden_behind_a_comment_is_refused(tmp_path, secret):
    path = tmp_path / "hidden.xml"
    path.write_text(f'<?xml version="1.0"?><!-- <iati-activities> --><!DOCTYPE iati-activities '
                    f'[<!ENTITY xxe SYSTEM "file://{secret}">]>\n<iati-activities version="2.03">'
                    f'{ACTIVITY.format(body="&xxe;")}</iati-activities>', encoding="utf-8")
    assert "DOCTYPE" in _refused(path, tmp_path, "--lenient")


def test_a_utf16_doctype_is_refused(tmp_path, secret):
    path = tmp_path / "utf16.xml"
    path.write_text(f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE iati-activities '
                    f'[<!ENTITY xxe SYSTEM "file://{secret}">]>\n<iati-activities version="2.03">'
                    f'{ACTIVITY.format(body="&xxe;")}</iati-activities>', encoding="utf-16")
    assert "DOCTYPE" in _refused(path, tmp_path, "--lenient")


def test_the_reader_refuses_a_dtd_the_prolog_check_let_through(tmp_path, secret, monkeypatch):
    from duikou.iati import xml

    monkeypatch.setattr(xml, "check_prolog", lambda path: None)
    path = _file(tmp_path, f'<!DOCTYPE iati-activities [<!ENTITY xxe SYSTEM "file://{secret}">]>', "&xxe;")
    from django.utils import translation

    with translation.override("en"), pytest.raises(HostileXML, match="DOCTYPE"):
        for _root, act in iter_activities(path):
            assert MARKER not in etree.tostring(act, encoding="unicode")
