"""`baomi scan` runs without Django: a plain machine with no database (issue 7)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

PROBE = textwrap.dedent("""
    import json, sys
    import baomi.scanner.cli
    code = baomi.scanner.cli.main(["--jobs", "2", "--no-cache", "-q", "-o", sys.argv[2], sys.argv[1]])
    foreign = sorted(name for name in sys.modules
                     if name == "django" or name.startswith("django.")
                     or (name.startswith("baomi.") and not name.startswith("baomi.scanner")))
    print(json.dumps({"code": code, "foreign": foreign}))
""")


def test_scan_imports_nothing_from_django_or_other_apps(tmp_path):
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "a.txt").write_text("秘密★1年\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO", "BAOMI"))}
    env["PYTHONPATH"] = str(SRC)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "tree"), str(tmp_path / "r.json")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert result == {"code": 1, "foreign": []}
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["marks"] == 1


def test_baomi_scan_entry_dispatches_before_django(tmp_path):
    (tmp_path / "a.txt").write_text("clean\n")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO", "BAOMI"))}
    env["PYTHONPATH"] = str(SRC)
    probe = (
        "import sys; from baomi.cli import main; sys.argv = ['baomi', 'scan', '--no-traces', '--no-cache', "
        f"'-q', {str(tmp_path)!r}]; code = main(); "
        "assert 'django' not in sys.modules, 'django imported'; sys.exit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["summary"]["clean"] is True
