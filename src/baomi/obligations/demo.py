"""Run the sweep once so that the demo users find their tasks on the dashboard."""

from baomi.core.demo import DemoContext
from baomi.obligations.services import run_sweep


def load(context: DemoContext) -> None:
    run = run_sweep()
    totals = run.totals()
    context.say(f"obligations: sweep done, {totals.get('open', 0)} open obligations")
