"""Every action a service records has a label the auditor can read."""

import re
from pathlib import Path

import baomi
from baomi.audit.actions import action_label, known_actions

PACKAGE = Path(baomi.__file__).resolve().parent
LITERAL_ACTION = re.compile(r"""record_event\(\s*[^,()]+,\s*["']([A-Z][A-Z_]+)["']""")
CONSTANT_ACTION = re.compile(r"""^[A-Z_]+ = ["']([A-Z][A-Z_]+)["']""", re.M)


def recorded_actions():
    found = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(LITERAL_ACTION.findall(text))
        if "record_event(" in text:
            found |= set(CONSTANT_ACTION.findall(text))
    return found


def test_every_recorded_action_has_a_label():
    actions = recorded_actions()
    assert {"LOGIN_FAILED", "REQUEST_SUBMITTED", "SWEEP_RUN", "AUDIT_EXPORTED"} <= actions
    assert actions <= known_actions(), sorted(actions - known_actions())


def test_unknown_action_shows_its_code():
    assert action_label("SOMETHING_NEW") == "SOMETHING_NEW"
    assert action_label("LOGIN_FAILED") != "LOGIN_FAILED"
