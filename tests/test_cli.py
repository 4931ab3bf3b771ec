"""The ``duikou`` console script: its own ``version``, and every other word a management command."""

import pytest
from django.core.management import get_commands
from django.db import connections

from duikou import __version__
from duikou.cli import main
from duikou.organisations.models import AdminDivision


def test_version_prints_the_version(capsys):
    assert main(["version"]) == 0
    assert capsys.readouterr().out.strip() == f"duikou {__version__}"


def test_dash_dash_version_prints_the_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"duikou {__version__}"


def test_hyphens_become_underscores_in_the_command_word_only(monkeypatch):
    seen = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", seen.append)
    assert main(["load-demo", "--no-serve", "127.0.0.1:8000", "x-y"]) == 0
    assert seen == [["duikou", "load_demo", "--no-serve", "127.0.0.1:8000", "x-y"]]


def test_no_words_runs_django_help(monkeypatch):
    seen = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", seen.append)
    assert main([]) == 0
    assert seen == [["duikou"]]


def test_a_hyphenated_word_reaches_the_django_command(capsys):
    # remove_stale_contenttypes is Django's; --help makes it harmless (argparse exits 0).
    with pytest.raises(SystemExit) as exc:
        main(["remove-stale-contenttypes", "--help"])
    assert exc.value.code == 0
    assert "usage: duikou remove_stale_contenttypes" in capsys.readouterr().out


def test_help_lists_every_duikou_command(capsys):
    ours = sorted(name for name, app in get_commands().items() if app.startswith("duikou."))
    assert ours, "duikou has no management commands"
    main(["help"])
    out = capsys.readouterr().out
    for name in ours:
        assert name in out


def test_an_unknown_command_fails(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["no-such-command"])
    assert exc.value.code == 1
    assert "Unknown command: 'no_such_command'" in capsys.readouterr().err


@pytest.mark.django_db
def test_load_divisions_through_the_console_script(capsys, monkeypatch):
    # The test database already holds the divisions (conftest.py): the loader adds none.
    # A command run from argv closes every connection when it ends; on PostgreSQL that would end
    # the test's transaction, so the closing is skipped here.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    before = AdminDivision.objects.count()
    assert main(["load-divisions"]) == 0
    assert capsys.readouterr().out.split()[0] == "0"
    assert AdminDivision.objects.count() == before
    assert AdminDivision.objects.get(code="422823").name == "巴东县"
