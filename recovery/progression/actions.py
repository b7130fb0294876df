"""The service layer of readiness and stage progression: every write is one of these
functions, each checking the role and the object rules (through the workflow table in
rules.py), recording its audit event and telling the next people. They are defined in modules
by subject and offered here.

- stages.py: the stage history (record a stage; an emergency move back proposed by an outbreak,
  confirmed or dismissed; ratification).
- assessments.py: readiness assessments and the route to the panel.
- panel.py: panel sittings and the national decisions.
- reviews.py: progress reviews after commencement."""

from recovery.progression.assessments import (  # noqa: F401
    do_endorse_assessment,
    do_record_consultation,
    do_return_assessment,
    do_start_assessment,
    do_submit_assessment,
    do_update_assessment,
    do_withdraw_assessment,
)
from recovery.progression.panel import (  # noqa: F401
    do_close_sitting,
    do_decide_assessment,
    do_open_sitting,
)
from recovery.progression.reviews import (  # noqa: F401
    do_decide_progress,
    do_forward_progress,
    do_report_progress,
)
from recovery.progression.stages import (  # noqa: F401
    do_confirm_stage_move,
    do_dismiss_stage_move,
    do_ratify_stage_change,
    do_record_stage,
)
