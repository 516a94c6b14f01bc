"""The zh_Hans catalog is complete and compiled (DESIGN.md 'Conventions').

Extracts every msgid from the current source with Django's makemessages (GNU gettext, which
`make test` installs) into a copy of the package, merged with the committed catalog, and
fails on any entry left untranslated or fuzzy; then checks the committed .mo matches the .po.
"""

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import baomi

PACKAGE = Path(baomi.__file__).resolve().parent
CATALOG = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES"


def _gettext_tool(name: str) -> str:
    tool = shutil.which(name)
    assert tool, f"{name} (GNU gettext) is missing: `make test` installs it"
    return tool


def _entries(output: str) -> list[str]:
    """The msgids of the entries in msgattrib's output, the header left out. A long msgid is
    written `msgid ""` followed by its lines: it is named by its first line."""
    lines = output.splitlines()
    entries = []
    for index, line in enumerate(lines):
        if not line.startswith("msgid "):
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if line == 'msgid ""':
            if not following.startswith('"'):
                continue  # the header
            line = f"msgid {following}"
        entries.append(line)
    return entries


def test_every_string_is_translated(tmp_path):
    copy = tmp_path / "baomi"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    django_admin = [sys.executable, "-m", "django"]
    subprocess.run(
        [*django_admin, "makemessages", "-l", "zh_Hans", "--no-obsolete", "--no-location",
         "--settings=baomi.settings.test"],
        cwd=copy, check=True, capture_output=True,
    )
    po = copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    missing = subprocess.run([_gettext_tool("msgattrib"), "--untranslated", str(po)],
                             capture_output=True, text=True, check=True).stdout
    fuzzy = subprocess.run([_gettext_tool("msgattrib"), "--only-fuzzy", str(po)],
                           capture_output=True, text=True, check=True).stdout
    problems = _entries(missing) + _entries(fuzzy)
    assert not problems, "untranslated or fuzzy (run `make messages`):\n" + "\n".join(problems[:50])


def test_compiled_catalog_matches_the_source(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run([_gettext_tool("msgfmt"), "-o", str(compiled), str(CATALOG / "django.po")],
                   check=True)
    with open(compiled, "rb") as fresh, open(CATALOG / "django.mo", "rb") as committed:
        assert gettext.GNUTranslations(fresh)._catalog == gettext.GNUTranslations(committed)._catalog


@pytest.mark.parametrize("msgid", ["Top secret", "Log out"])
def test_ui_speaks_chinese(msgid):
    from django.utils.translation import gettext as _

    assert _(msgid) != msgid


def test_no_gettext_inside_f_strings():
    """xgettext does not extract `f"{_('x')}"`: such a string would stay English unnoticed."""
    offenders = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in PACKAGE.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"""\bf["'][^"']*\{_\(""", line)
    ]
    assert not offenders, offenders
