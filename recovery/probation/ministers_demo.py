"""Demo report to ministers (called last by recovery.probation.demo, so it sees the steps, the
offices, the caseloads and whatever else the probation demo loaded before it): this fortnight's
report, generated through the action as "System (demo data)". Running it again adds nothing."""

from recovery.core.scope import DEMO_DATA
from recovery.probation.ministers_actions import do_generate_report, report_of_fortnight
from recovery.probation.queries import today


def load_demo_report() -> str:
    if report_of_fortnight(today()) is not None:
        return "this fortnight's report to ministers already generated"
    report = do_generate_report(acting_user=DEMO_DATA)
    return f"{report} generated"
