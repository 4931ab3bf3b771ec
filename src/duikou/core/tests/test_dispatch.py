"""``duikou export FORMAT`` / ``duikou import FORMAT`` run ``export_FORMAT`` / ``import_FORMAT``."""

import pytest

from duikou.core.management import dispatch
from duikou.core.management.commands.export import Command as Export


class Recorder:
    def __init__(self):
        self.argv = None

    def run_from_argv(self, argv):
        self.argv = argv


@pytest.fixture
def fake(monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(dispatch, "get_commands", lambda: {"export_fake_fmt": "duikou.core", "stats": "duikou.reports",
                                                           "import_other": "duikou.core"})
    monkeypatch.setattr(dispatch, "load_command_class", lambda app, name: recorder if name == "export_fake_fmt" else None)
    return recorder


def test_the_format_word_picks_the_command_and_the_rest_is_passed_on(fake):
    Export().run_from_argv(["duikou", "export", "fake-fmt", "--table", "项目进度表", "--out", "a.xlsx"])
    assert fake.argv == ["duikou", "export fake-fmt", "--table", "项目进度表", "--out", "a.xlsx"]


def test_an_unknown_format_names_the_known_ones(fake, capsys):
    with pytest.raises(SystemExit) as exit_:
        Export().run_from_argv(["duikou", "export", "pdf"])
    assert exit_.value.code == 2
    assert "unknown format 'pdf' (known: fake_fmt)" in capsys.readouterr().err


def test_help_lists_the_formats(fake, capsys):
    Export().run_from_argv(["duikou", "export"])
    assert "Formats: fake_fmt." in capsys.readouterr().out
