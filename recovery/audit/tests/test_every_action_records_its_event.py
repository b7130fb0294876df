"""The audit guard: every `do_*` action of every app is called here, and the event it recorded
is checked (its kind, the object, before and after). Removing `record_event` from ANY action
fails its case; an action added without a case fails `test_every_action_has_a_case`.

This replaces a text search of the test files for each action's name, which passed whatever
the action did. The nine foundation actions are checked in full in
test_actions_record_events.py (with their atomicity); every other action is checked here."""

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from recovery.audit.models import AuditEvent
from recovery.audit.tests.test_actions_record_events import COVERED_HERE, _action_functions
from recovery.backlogs import actions as backlogs
from recovery.backlogs.models import DataCall
from recovery.backlogs.models import Metric as BacklogMetric
from recovery.backlogs.tests.helpers import workbook as backlogs_workbook
from recovery.core.constants import Role
from recovery.core.scope import COMMAND_LINE
from recovery.covid import actions as covid
from recovery.covid.factories import workbook as covid_workbook
from recovery.covid.models import PpeStock
from recovery.estate.tests.test_import import make_workbook
from recovery.frameworks import actions as frameworks
from recovery.frameworks.factories import (
    DraftEdmVersionFactory,
    PublishedEdmVersionFactory,
    edm_text,
)
from recovery.frameworks.models import Baseline, EdmArea, EdmVersion, RegimeElement, Stage
from recovery.plans import actions as plans
from recovery.plans.factories import B, make_edm_version, response_for, start_plan
from recovery.plans.models import Evidence, Plan
from recovery.probation import actions as probation
from recovery.probation import caseload_models, workstream_models
from recovery.probation.models import GovernmentStep
from recovery.progression import actions as progression
from recovery.public import actions as public

pytestmark = pytest.mark.django_db


@dataclass
class Expected:
    """The one event an action must record: its kind, the object it names, and (a subset of)
    its before and after values, written out here by hand."""

    action: str
    obj: Callable[[Any], object]  # the object, from what the call returned
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)


@dataclass
class World:
    estate: Any
    author: Any
    editor: Any
    admin: Any
    governor: Any = None
    made: dict = field(default_factory=dict)


def _draft(world: World) -> EdmVersion:
    if "draft" not in world.made:
        world.made["draft"] = DraftEdmVersionFactory(number=950, version="1.0")
    return EdmVersion.objects.get(pk=world.made["draft"].pk)


def _plan(world: World) -> Plan:
    if "plan" not in world.made:
        world.made["edm"] = make_edm_version(960, [B("1.1"), B("1.2", weighting=2)])
        world.made["plan"] = start_plan(world.estate.establishment_1)
    return world.made["plan"]


def _answer(world: World):
    return response_for(_plan(world), "1.1")


def w_email() -> str:
    return "ed.reminded@example.test"


def _reminded(world: World):
    """An answer given to the editor with a target date, reminded the day after it passed."""
    response = _answer(world)
    world.editor.email = w_email()
    world.editor.save()
    plans.do_update_response(
        response,
        expected_version=response.version,
        changes={"assignee": world.editor, "target_date": datetime.date(2021, 3, 1)},
        acting_user=world.editor,
    )
    plans.do_send_baseline_reminders(today=datetime.date(2021, 3, 2), acting_user=COMMAND_LINE)
    return response


def _plan_workbook(world: World):
    from recovery.plans.spreadsheet import COLUMNS, export_plan

    workbook = load_workbook(io.BytesIO(export_plan(_plan(world))))
    sheet = next(ws for ws in workbook.worksheets if ws.title.startswith("EDM"))
    sheet.cell(row=2, column=COLUMNS.index("Approach") + 1, value="Booking by telephone")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("plan.xlsx", buffer.getvalue())


def _estate_workbook() -> io.BytesIO:
    buffer = io.BytesIO(make_workbook())
    buffer.name = "estate.xlsx"
    return buffer


BASELINE = {
    "number": "1.9",
    "id": "",
    "text": "Clean the hall between sessions.",
    "weighting": 2,
    "mandatory": True,
    "autonomy": "total",
    "options": [],
    "comments": "",
    "sources": [],
}


def _first_area(version: EdmVersion) -> EdmArea:
    return EdmArea.objects.filter(edm_version=version).order_by("position").first()


def _baseline(version: EdmVersion, number: str) -> Baseline:
    return Baseline.objects.get(edm_version=version, number=number)


def move_plans(world: World) -> Plan:
    plan = _plan(world)
    newer = make_edm_version(960, [B("1.1"), B("1.2", weighting=3)], version="1.1")
    plans.do_move_plans_to_version(world.made["edm"], newer, acting_user=world.author)
    return plan


# name -> (call(world) -> what it returned, what it must have recorded)
CASES: dict[str, tuple[Callable[[World], Any], Expected]] = {
    "do_import_estate": (
        lambda w: frameworks_free_import(w),
        Expected("estate.import", lambda r: None, after={"source": "estate.xlsx"}),
    ),
    "do_load_estate": (
        lambda w: load_estate_from_workbook(w),
        Expected("estate.import", lambda r: None, after={"source": "a test workbook"}),
    ),
    "do_load_edm": (
        lambda w: frameworks.do_load_edm(edm_text(951), acting_user=w.author).edm_version,
        Expected("frameworks.load_edm", lambda r: r, after={"status": "draft"}),
    ),
    "do_publish_edm_version": (
        lambda w: frameworks.do_publish_edm_version(_draft(w), acting_user=w.author) and _draft(w),
        Expected(
            "frameworks.publish_edm",
            lambda r: r,
            before={"status": "draft"},
            after={"status": "published"},
        ),
    ),
    "do_withdraw_edm_version": (
        lambda w: withdraw(w),
        Expected(
            "frameworks.withdraw_edm",
            lambda r: r,
            before={"status": "published"},
            after={"status": "withdrawn"},
        ),
    ),
    "do_update_stage": (
        lambda w: (
            frameworks.do_update_stage(
                Stage.objects.get(number=3),
                expected_version=Stage.objects.get(number=3).version,
                changes={"name": "Recover"},
                acting_user=w.author,
            )
            and Stage.objects.get(number=3)
        ),
        Expected(
            "frameworks.update_stage",
            lambda r: r,
            before={"name": "Reduce"},
            after={"name": "Recover"},
        ),
    ),
    "do_add_regime_element": (
        lambda w: frameworks.do_add_regime_element(
            name="Library visits", description="Time in the library", acting_user=w.author
        ),
        Expected("frameworks.add_regime_element", lambda r: r, after={"name": "Library visits"}),
    ),
    "do_start_edm_draft": (
        lambda w: frameworks.do_start_edm_draft(
            {
                "number": 970,
                "version": "1.0",
                "title": "Invented gym sessions",
                "issued": datetime.date(2020, 8, 1),
                "stage": 3,
                "element": "visits",
                "applies_to": ["local"],
                "introduction": "How gym sessions restart.",
            },
            acting_user=w.author,
        ),
        Expected(
            "frameworks.start_edm_draft",
            lambda r: r,
            after={"number": 970, "version": "1.0", "title": "Invented gym sessions"},
        ),
    ),
    "do_start_edm_version": (
        lambda w: frameworks.do_start_edm_version(
            PublishedEdmVersionFactory(number=952, version="1.0"),
            version_number="1.1",
            acting_user=w.author,
        ),
        Expected("frameworks.start_edm_version", lambda r: r, after={"version": "1.1"}),
    ),
    "do_update_edm_draft": (
        lambda w: (
            frameworks.do_update_edm_draft(
                _draft(w),
                expected_version=_draft(w).version,
                changes={"title": "Visits, revised"},
                acting_user=w.author,
            )
            and _draft(w)
        ),
        Expected(
            "frameworks.update_edm_draft",
            lambda r: r,
            before={"title": "Test visits"},
            after={"title": "Visits, revised"},
        ),
    ),
    "do_add_edm_area": (
        lambda w: (
            frameworks.do_add_edm_area(
                _draft(w),
                expected_version=_draft(w).version,
                number="9",
                title="Leaving",
                acting_user=w.author,
            ).edm_version
        ),
        Expected("frameworks.add_edm_area", lambda r: r, after={"area": "9", "title": "Leaving"}),
    ),
    "do_update_edm_area": (
        lambda w: (
            frameworks.do_update_edm_area(
                _first_area(_draft(w)),
                expected_version=_draft(w).version,
                number="1",
                title="Booking a visit",
                acting_user=w.author,
            )
            and _draft(w)
        ),
        Expected(
            "frameworks.update_edm_area",
            lambda r: r,
            before={"title": "Booking"},
            after={"title": "Booking a visit"},
        ),
    ),
    "do_remove_edm_area": (
        lambda w: (
            frameworks.do_remove_edm_area(
                _first_area(_draft(w)), expected_version=_draft(w).version, acting_user=w.author
            )
            or _draft(w)
        ),
        Expected(
            "frameworks.remove_edm_area", lambda r: r, before={"area": "1", "title": "Booking"}
        ),
    ),
    "do_add_baseline": (
        lambda w: (
            frameworks.do_add_baseline(
                _draft(w),
                expected_version=_draft(w).version,
                area=_first_area(_draft(w)),
                baseline=dict(BASELINE),
                acting_user=w.author,
            ).edm_version
        ),
        Expected("frameworks.add_baseline", lambda r: r, after={"number": "1.9"}),
    ),
    "do_update_baseline": (
        lambda w: (
            frameworks.do_update_baseline(
                _baseline(_draft(w), "1.1"),
                expected_version=_draft(w).version,
                area=_first_area(_draft(w)),
                changes={"text": "Run a booking line every day."},
                acting_user=w.author,
            )
            and _draft(w)
        ),
        Expected(
            "frameworks.update_baseline",
            lambda r: r,
            before={"text": "Run a booking line."},
            after={"text": "Run a booking line every day."},
        ),
    ),
    "do_remove_baseline": (
        lambda w: (
            frameworks.do_remove_baseline(
                _baseline(_draft(w), "2.1"),
                expected_version=_draft(w).version,
                acting_user=w.author,
            )
            or _draft(w)
        ),
        Expected("frameworks.remove_baseline", lambda r: r, before={"number": "2.1"}),
    ),
    "do_start_plan": (
        lambda w: _plan(w),
        Expected("plans.start_plan", lambda r: r, after={"stage": 3}),
    ),
    "do_update_response": (
        lambda w: (
            plans.do_update_response(
                _answer(w),
                expected_version=_answer(w).version,
                changes={"status": "in_progress", "owner": "Head of residence"},
                acting_user=w.editor,
            )
            and _answer(w)
        ),
        Expected(
            "plans.update_response",
            lambda r: r,
            before={"status": "not_started", "owner": ""},
            after={"status": "in_progress", "owner": "Head of residence"},
        ),
    ),
    "do_add_evidence": (
        lambda w: plans.do_add_evidence(
            _answer(w), kind="note", note="Booking line staffed from 8am.", acting_user=w.editor
        ),
        Expected(
            "plans.add_evidence",
            lambda r: r.response,
            after={"kind": "note", "note": "Booking line staffed from 8am."},
        ),
    ),
    "do_remove_evidence": (
        lambda w: remove_evidence(w),
        Expected(
            "plans.remove_evidence",
            lambda r: r.response,
            before={"kind": "note", "removed_at": None},
        ),
    ),
    "do_import_plan": (
        lambda w: (
            plans.do_import_plan(_plan(w), _plan_workbook(w), acting_user=w.editor) and _plan(w)
        ),
        Expected(
            "plans.import_plan",
            lambda r: r,
            after={"file_name": "plan.xlsx", "responses_changed": 1},
        ),
    ),
    "do_move_plans_to_version": (
        lambda w: move_plans(w),
        Expected(
            "plans.move_plan_version",
            lambda r: r,
            before={"edm_version": "1.0"},
            after={"edm_version": "1.1"},
        ),
    ),
    "do_add_edm_to_plans": (
        lambda w: (
            plans.do_add_edm_to_plans(
                _plan(w) and make_edm_version(961, [B("1.1")]), acting_user=w.author
            )
            and _plan(w)
        ),
        Expected(
            "plans.add_edm", lambda r: r, after={"edm": "EDM 961 version 1.0", "baselines": 1}
        ),
    ),
    "do_send_baseline_reminders": (
        lambda w: _reminded(w),
        Expected(
            "plans.send_reminder",
            lambda r: r,
            after={"kind": "overdue", "target_date": "2021-03-01", "sent_to": w_email()},
        ),
    ),
    # The defensible decision log (decisions)
    "do_create_decision_draft": (
        lambda w: _decision_draft(w),
        Expected(
            "decisions.create_draft",
            lambda r: r,
            after={
                "title": "Pause C&R refresher training for four weeks",
                "concerns_kind": "priority",
                "priority": "staff",
                "decided_by_name": "Gil Govan",
                "decided_on": "2021-03-01",
            },
        ),
    ),
    "do_edit_decision_draft": (
        lambda w: _edited_decision_draft(w),
        Expected(
            "decisions.edit_draft",
            lambda r: r,
            before={"title": "Pause C&R refresher training for four weeks"},
            after={"title": "Pause C&R refreshers for six weeks"},
        ),
    ),
    "do_delete_decision_draft": (
        lambda w: _deleted_decision_draft(w),
        Expected(
            "decisions.delete_draft",
            lambda r: None,
            before={"title": "Pause C&R refresher training for four weeks"},
        ),
    ),
    "do_record_decision": (
        lambda w: _recorded_decision(w),
        Expected(
            "decisions.record",
            lambda r: r,
            after={
                "sequence": 1,
                "title": "Pause C&R refresher training for four weeks",
                "previous_hash": "0" * 64,
            },
        ),
    ),
    "do_supersede_decision": (
        lambda w: _superseding_decision(w),
        Expected("decisions.supersede", lambda r: r, after={"sequence": 2, "supersedes": 1}),
    ),
    # Covid controls (covid)
    "do_declare_outbreak": (
        lambda w: covid.do_declare_outbreak(
            w.estate.establishment_1,
            declared_on=datetime.date(2021, 3, 1),
            cases_staff=4,
            acting_user=w.editor,
        ),
        Expected(
            "covid.declare_outbreak",
            lambda r: r,
            after={"declared_on": "2021-03-01", "cases_staff": 4, "ended_on": None},
        ),
    ),
    "do_end_outbreak": (
        lambda w: covid.do_end_outbreak(
            covid.do_declare_outbreak(
                w.estate.establishment_1,
                declared_on=datetime.date(2021, 3, 1),
                acting_user=w.editor,
            ),
            ended_on=datetime.date(2021, 3, 20),
            acting_user=w.editor,
        ),
        Expected(
            "covid.end_outbreak",
            lambda r: r,
            before={"ended_on": None},
            after={"ended_on": "2021-03-20"},
        ),
    ),
    "do_update_controls": (
        lambda w: (
            covid.do_update_controls(
                covid.controls_of_establishment(w.estate.establishment_1),
                expected_version=1,
                changes={"staff_tested_percent": 80, "contact_tracing_lead": "Duty nurse"},
                acting_user=w.editor,
            )
            and covid.controls_of_establishment(w.estate.establishment_1)
        ),
        Expected(
            "covid.update_controls",
            lambda r: r,
            before={"staff_tested_percent": None},
            after={"staff_tested_percent": 80, "contact_tracing_lead": "Duty nurse"},
        ),
    ),
    "do_set_ppe_stock": (
        lambda w: (
            covid.do_set_ppe_stock(
                w.estate.establishment_1,
                [covid.PpeCount("gloves", 120, 500, 0)],
                acting_user=w.editor,
            )
            and PpeStock.objects.get(establishment=w.estate.establishment_1, item="gloves")
        ),
        Expected("covid.set_ppe_stock", lambda r: r, after={"in_stock": 120, "needed": 500}),
    ),
    "do_import_covid": (
        lambda w: covid.do_import_covid(
            w.estate.establishment_1,
            covid_workbook(
                {
                    "PPE stock": [
                        ["Establishment code", "Item", "In stock", "Needed"],
                        ["EST1", "Disposable aprons", 90, 80],
                    ]
                }
            ),
            acting_user=w.editor,
        ),
        Expected(
            "covid.import", lambda r: None, after={"file_name": "covid.xlsx", "ppe_changed": 1}
        ),
    ),
    # Readiness assessments and the sign-off chain (progression)
    "do_start_assessment": (
        lambda w: start_assessment(w),
        Expected(
            "progression.start_assessment",
            lambda r: r,
            after={"from_stage": 4, "to_stage": 3, "status": "draft"},
        ),
    ),
    "do_update_assessment": (
        lambda w: update_assessment(w),
        Expected(
            "progression.update_assessment",
            lambda r: r,
            before={"staffing": ""},
            after={"staffing": "Detailing shows 96% of the hours."},
        ),
    ),
    "do_submit_assessment": (
        lambda w: _assessment_in(w, "awaiting_union"),
        Expected(
            "progression.submit_assessment",
            lambda r: r,
            before={"status": "draft"},
            after={"status": "awaiting_union", "snapshot": 1, "failing": []},
        ),
    ),
    "do_record_consultation": (
        lambda w: _assessment_in(w, "awaiting_pgd"),
        Expected(
            "progression.consult_union",
            lambda r: r,
            before={"status": "awaiting_union"},
            after={
                "status": "awaiting_pgd",
                "union_position": "concerns",
                "concerns": "Staff want the wing cleaning rota agreed first.",
            },
        ),
    ),
    "do_endorse_assessment": (
        lambda w: _assessment_in(w, "awaiting_panel"),
        Expected(
            "progression.endorse_assessment",
            lambda r: r,
            before={"status": "awaiting_pgd"},
            after={"status": "awaiting_panel", "comments": "Ready: the group supports it."},
        ),
    ),
    "do_return_assessment": (
        lambda w: _assessment_in(w, "returned"),
        Expected(
            "progression.return_assessment",
            lambda r: r,
            before={"status": "awaiting_pgd"},
            after={"status": "returned", "reasons": "Attach the revised staffing detail."},
        ),
    ),
    "do_withdraw_assessment": (
        lambda w: _assessment_in(w, "withdrawn"),
        Expected(
            "progression.withdraw_assessment",
            lambda r: r,
            before={"status": "draft"},
            after={"status": "withdrawn", "reason": "Outbreak expected"},
        ),
    ),
    # Panel sittings and the panel queue (progression)
    "do_open_sitting": (
        lambda w: _panel_sitting(w),
        Expected(
            "progression.open_sitting",
            lambda r: r,
            after={"sits_on": "2026-12-07", "members": ["Pat Panelist"], "status": "open"},
        ),
    ),
    "do_close_sitting": (
        lambda w: _close_panel_sitting(w),
        Expected(
            "progression.close_sitting",
            lambda r: r,
            before={"status": "open"},
            after={"status": "closed"},
        ),
    ),
    "do_decide_assessment": (
        lambda w: _decide_panel_assessment(w),
        Expected(
            "progression.decide_assessment",
            lambda r: r,
            before={"status": "awaiting_panel"},
            after={"status": "deferred", "decision": "defer", "reasons": "Wait a week"},
        ),
    ),
    # Stage history, progress reviews and ratification (progression)
    "do_record_stage": (
        lambda w: progression.do_record_stage(
            w.estate.establishment_1,
            Stage.objects.get(number=5),
            reason="At lockdown since March",
            effective_from=datetime.date(2026, 3, 23),
            acting_user=COMMAND_LINE,
        ),
        Expected(
            "progression.change_stage",
            lambda r: r,
            before={"stage": None},
            after={"stage": 5, "kind": "initial", "status": "in_effect"},
        ),
    ),
    "do_confirm_stage_move": (
        lambda w: progression.do_confirm_stage_move(
            _proposed_move(w), note="Cases on two wings", acting_user=COMMAND_LINE
        ),
        Expected(
            "progression.confirm_stage_move",
            lambda r: r,
            before={"status": "proposed"},
            after={"status": "to_be_ratified"},
        ),
    ),
    "do_dismiss_stage_move": (
        lambda w: progression.do_dismiss_stage_move(
            _proposed_move(w), reason="One case, isolated", acting_user=COMMAND_LINE
        ),
        Expected(
            "progression.dismiss_stage_move",
            lambda r: r,
            before={"status": "proposed"},
            after={"status": "dismissed", "reason": "One case, isolated"},
        ),
    ),
    "do_ratify_stage_change": (
        lambda w: progression.do_ratify_stage_change(
            progression.do_confirm_stage_move(_proposed_move(w), note="", acting_user=COMMAND_LINE),
            note="Agreed at the weekly panel",
            acting_user=COMMAND_LINE,
        ),
        Expected(
            "progression.ratify_stage_change",
            lambda r: r,
            before={"status": "to_be_ratified"},
            after={"status": "in_effect", "sitting": None},
        ),
    ),
    "do_report_progress": (
        lambda w: progression.do_report_progress(
            _at_stage(w, 3), report="Visits and education running", acting_user=COMMAND_LINE
        ),
        Expected(
            "progression.report_progress",
            lambda r: r,
            after={"status": "reported", "stage": 3, "report": "Visits and education running"},
        ),
    ),
    "do_forward_progress": (
        lambda w: progression.do_forward_progress(
            _reported(w), pgd_view="Steady", expected_version=1, acting_user=COMMAND_LINE
        ),
        Expected(
            "progression.forward_progress",
            lambda r: r,
            before={"status": "reported"},
            after={"status": "forwarded", "pgd_view": "Steady"},
        ),
    ),
    "do_decide_progress": (
        lambda w: progression.do_decide_progress(
            progression.do_forward_progress(
                _reported(w), pgd_view="Steady", expected_version=1, acting_user=COMMAND_LINE
            ),
            outcome="remain",
            reasons="Not yet ready for stage 2",
            expected_version=2,
            acting_user=COMMAND_LINE,
        ),
        Expected(
            "progression.decide_progress",
            lambda r: r,
            before={"status": "forwarded"},
            after={"status": "decided", "outcome": "remain"},
        ),
    ),
    # The catalogue, settings, Local Recovery Plans and returns (backlogs)
    "do_save_metric": (
        lambda w: _backlogs_metric_saved(w),
        Expected(
            "backlogs.update_metric",
            lambda r: r,
            before={"name": "TOIL hours owed"},
            after={"name": "TOIL owed"},
        ),
    ),
    "do_retire_metric": (
        lambda w: (
            backlogs.do_retire_metric(
                BacklogMetric.objects.get(code="toil-hours"),
                expected_version=1,
                acting_user=w.author,
            )
            and BacklogMetric.objects.get(code="toil-hours")
        ),
        Expected(
            "backlogs.retire_metric", lambda r: r, before={"active": True}, after={"active": False}
        ),
    ),
    "do_save_return_settings": (
        lambda w: (
            backlogs.do_save_return_settings(
                backlogs.settings_row(),
                expected_version=1,
                changes={"deadline_days": 5},
                acting_user=w.author,
            )
            and backlogs.settings_row()
        ),
        Expected(
            "backlogs.update_return_settings",
            lambda r: r,
            before={"deadline_days": 3},
            after={"deadline_days": 5},
        ),
    ),
    "do_save_lrp_line": (
        lambda w: _backlogs_lrp_line(w),
        Expected(
            "backlogs.update_lrp_line",
            lambda r: r,
            after={"target_value": "40.00", "owner_name": "Head of OMU"},
        ),
    ),
    "do_enter_return": (
        lambda w: (
            backlogs.do_enter_return(
                w.estate.establishment_1,
                datetime.date(2026, 11, 2),
                {BacklogMetric.objects.get(code="oasys-outstanding").pk: "40"},
                expected_version=0,
                acting_user=w.editor,
            ).record
        ),
        Expected(
            "backlogs.enter_return",
            lambda r: r,
            before={"oasys-outstanding": None},
            after={"oasys-outstanding": "40"},
        ),
    ),
    "do_import_returns": (
        lambda w: backlogs.do_import_returns(
            w.estate.establishment_1,
            backlogs_workbook([["EST1", datetime.date(2026, 11, 2), "toil-hours", "TOIL", 12, ""]]),
            acting_user=w.editor,
        ),
        Expected(
            "backlogs.import_returns",
            lambda r: None,
            after={"file_name": "returns.xlsx", "added": 1, "corrected": 0},
        ),
    ),
    # Probation recovery (probation)
    "do_open_probation_step": (
        lambda w: probation.do_open_probation_step(
            2,
            decided_on=datetime.date(2020, 6, 10),
            reasons="Infection rate falling",
            staff_told_on=datetime.date(2020, 6, 12),
            takes_effect_on=datetime.date(2020, 6, 29),
            acting_user=COMMAND_LINE,
        ),
        Expected(
            "probation.open_step",
            lambda r: r,
            after={"step": 2, "staff_told_on": "2020-06-12", "takes_effect_on": "2020-06-29"},
        ),
    ),
    "do_ask_step_change": (
        lambda w: probation.do_ask_step_change(
            w.estate.region_1, kind="hold_back", reasons="Cases rising", acting_user=COMMAND_LINE
        ),
        Expected(
            "probation.ask_step_change",
            lambda r: r,
            after={"kind": "hold_back", "from_step": 1, "step": 1, "status": "requested"},
        ),
    ),
    "do_decide_step_request": (
        lambda w: probation.do_decide_step_request(
            probation.do_ask_step_change(
                w.estate.region_1, kind="hold_back", reasons="Cases", acting_user=COMMAND_LINE
            ),
            agree=True,
            reasons="Agreed for four weeks",
            takes_effect_on=datetime.date(2020, 7, 1),
            expected_version=1,
            acting_user=COMMAND_LINE,
        ),
        Expected(
            "probation.decide_step_request",
            lambda r: r,
            before={"status": "requested"},
            after={"status": "agreed", "takes_effect_on": "2020-07-01"},
        ),
    ),
    "do_update_office_capacity": (
        lambda w: (
            probation.do_update_office_capacity(
                probation.capacity_of_office(w.estate.office_1),
                expected_version=1,
                changes={"usable_rooms": 3, "max_on_site": 12},
                acting_user=COMMAND_LINE,
            )
            and probation.capacity_of_office(w.estate.office_1)
        ),
        Expected(
            "probation.update_office_capacity",
            lambda r: r,
            before={"usable_rooms": 0, "max_on_site": 0},
            after={"usable_rooms": 3, "max_on_site": 12},
        ),
    ),
    "do_record_office_risk_assessment": (
        lambda w: probation.do_record_office_risk_assessment(
            w.estate.office_1,
            assessed_on=datetime.date(2026, 11, 1),
            checks=dict.fromkeys(
                ["distancing", "screens", "one_way_routes", "rotas", "ppe_stock"], True
            ),
            outcome="safe",
            acting_user=COMMAND_LINE,
        ),
        Expected(
            "probation.record_office_risk_assessment",
            lambda r: r,
            after={"assessed_on": "2026-11-01", "outcome": "safe"},
        ),
    ),
    "do_record_individual_risk_assessment": (
        lambda w: probation.do_record_individual_risk_assessment(
            w.estate.office_1,
            completed_on=datetime.date(2026, 11, 2),
            outcome="return_adjusted",
            acting_user=COMMAND_LINE,
        ),
        Expected(
            "probation.record_individual_risk_assessment",
            lambda r: r,
            after={"completed_on": "2026-11-02", "outcome": "return_adjusted"},
        ),
    ),
    "do_update_government_step": (
        lambda w: (
            probation.do_update_government_step(
                GovernmentStep.objects.get(number=2),
                expected_version=1,
                changes={"starts_on": datetime.date(2020, 6, 8), "summary": "From 8 June"},
                acting_user=COMMAND_LINE,
            )
            and GovernmentStep.objects.get(number=2)
        ),
        Expected(
            "probation.update_government_step",
            lambda r: r,
            before={"starts_on": "2020-06-01"},
            after={"starts_on": "2020-06-08", "summary": "From 8 June"},
        ),
    ),
    "do_update_probation_settings": (
        lambda w: (
            probation.do_update_probation_settings(
                probation.settings_row(),
                expected_version=1,
                changes={"risk_assessment_valid_days": 60},
                acting_user=COMMAND_LINE,
            )
            and probation.settings_row()
        ),
        Expected(
            "probation.update_settings",
            lambda r: r,
            before={"risk_assessment_valid_days": 91},
            after={"risk_assessment_valid_days": 60},
        ),
    ),
    # Case prioritisation and allocation (caseload)
    "do_import_caseload": (
        lambda w: (
            probation.do_import_caseload(
                w.estate.pdu_1, _caseload_csv("PDU1"), acting_user=COMMAND_LINE
            )
            and caseload_models.CaseloadImport.objects.get(pdu=w.estate.pdu_1)
        ),
        Expected(
            "probation.import_caseload",
            lambda r: r,
            after={"cases": 2, "by_category": {"1": 1, "4": 1}, "national": False},
        ),
    ),
    "do_import_national_caseload": (
        lambda w: (
            probation.do_import_national_caseload(_caseload_csv("PDU2"), acting_user=COMMAND_LINE)
            and caseload_models.CaseloadImport.objects.get(pdu=w.estate.pdu_2)
        ),
        Expected("probation.import_caseload", lambda r: r, after={"cases": 2, "national": True}),
    ),
    "do_allocate_wave": (
        lambda w: probation.do_allocate_wave(_caseload_ready(w), acting_user=COMMAND_LINE),
        Expected(
            "probation.allocate_wave",
            lambda r: r,
            after={"number": 1, "moved": 1, "review_tasks": 2},
        ),
    ),
    "do_allocate_national": (
        lambda w: _caseload_ready(w) and probation.do_allocate_national(acting_user=COMMAND_LINE),
        Expected(
            "probation.allocate_national",
            lambda r: _nation(),
            after={"waves": 1, "moved": 1, "tasks": 2},
        ),
    ),
    "do_review_wave": (
        lambda w: probation.do_review_wave(_due_wave(w), notes="Fine", acting_user=COMMAND_LINE),
        Expected(
            "probation.review_wave",
            lambda r: r,
            before={"reviewed": False},
            after={"reviewed": True, "notes": "Fine"},
        ),
    ),
    "do_complete_review_tasks": (
        lambda w: (
            probation.do_complete_review_tasks(_due_wave(w), acting_user=COMMAND_LINE)
            and caseload_models.AllocationWave.objects.get()
        ),
        Expected("probation.complete_review_tasks", lambda r: r, after={"completed": 2}),
    ),
    # The fortnightly report to ministers (ministers)
    "do_generate_report": (
        lambda w: probation.do_generate_report(
            acting_user=COMMAND_LINE, as_at=datetime.date(2026, 12, 9)
        ),
        Expected(
            "probation.generate_ministers_report",
            lambda r: r,
            after={
                "fortnight_starts_on": "2026-12-07",
                "as_at": "2026-12-09",
                "national_step": 1,
                "regions_changed_step": 0,
            },
        ),
    ),
    # The Recovery Programme Board and its workstreams (workstreams)
    "do_set_workstream_lead": (
        lambda w: (
            probation.do_set_workstream_lead(
                _workstream(1),
                expected_version=1,
                changes={"lead": "Director of Probation Operations"},
                acting_user=COMMAND_LINE,
            )
            and _workstream(1)
        ),
        Expected(
            "probation.set_workstream_lead",
            lambda r: r,
            before={"lead": ""},
            after={"lead": "Director of Probation Operations"},
        ),
    ),
    "do_post_workstream_update": (
        lambda w: probation.do_post_workstream_update(
            _workstream(2),
            rag="red",
            summary="Court backlog growing",
            reported_on=datetime.date(2020, 6, 26),
            acting_user=COMMAND_LINE,
        ),
        Expected(
            "probation.post_workstream_update",
            lambda r: r,
            before={"rag": None},
            after={"rag": "red", "summary": "Court backlog growing", "reported_on": "2020-06-26"},
        ),
    ),
    "do_load_workstream_history": (
        lambda w: (
            probation.do_load_workstream_history(
                _workstream(6),
                [
                    (datetime.date(2020, 6, 26), "amber", "Single occupancy kept"),
                    (datetime.date(2020, 7, 10), "green", "Premises reopening to plan"),
                ],
                acting_user=COMMAND_LINE,
            )
            and _workstream(6)
        ),
        Expected(
            "probation.load_workstream_history",
            lambda r: r,
            after={"updates": 2, "from": "2020-06-26", "to": "2020-07-10", "rag": "green"},
        ),
    ),
    "do_add_milestone": (
        lambda w: _milestone(),
        Expected(
            "probation.add_milestone",
            lambda r: r,
            after={"title": "Unpaid work restarted", "due_on": "2020-09-30"},
        ),
    ),
    "do_update_milestone": (
        lambda w: (
            probation.do_update_milestone(
                _milestone(),
                expected_version=1,
                changes={"title": "Unpaid work restarted", "due_on": datetime.date(2020, 10, 31)},
                acting_user=COMMAND_LINE,
            )
            and workstream_models.WorkstreamMilestone.objects.get()
        ),
        Expected(
            "probation.update_milestone",
            lambda r: r,
            before={"due_on": "2020-09-30"},
            after={"due_on": "2020-10-31"},
        ),
    ),
    "do_complete_milestone": (
        lambda w: probation.do_complete_milestone(
            _milestone(),
            expected_version=1,
            done_on=datetime.date(2020, 9, 28),
            acting_user=COMMAND_LINE,
        ),
        Expected(
            "probation.complete_milestone",
            lambda r: r,
            before={"done_on": None},
            after={"done_on": "2020-09-28"},
        ),
    ),
    "do_raise_issue": (
        lambda w: _issue(),
        Expected(
            "probation.raise_issue",
            lambda r: r,
            after={"title": "Too few tutors", "rag": "amber", "raised_on": "2020-07-01"},
        ),
    ),
    "do_update_issue": (
        lambda w: (
            probation.do_update_issue(
                _issue(),
                expected_version=1,
                changes={"title": "Too few tutors", "rag": "red", "detail": "", "owner": ""},
                acting_user=COMMAND_LINE,
            )
            and workstream_models.WorkstreamIssue.objects.get()
        ),
        Expected(
            "probation.update_issue", lambda r: r, before={"rag": "amber"}, after={"rag": "red"}
        ),
    ),
    "do_close_issue": (
        lambda w: probation.do_close_issue(
            _issue(),
            expected_version=1,
            resolution="Tutors redeployed",
            closed_on=datetime.date(2020, 8, 3),
            acting_user=COMMAND_LINE,
        ),
        Expected(
            "probation.close_issue",
            lambda r: r,
            before={"status": "open"},
            after={
                "status": "closed",
                "resolution": "Tutors redeployed",
                "closed_on": "2020-08-03",
            },
        ),
    ),
    # The staffing hierarchy (staffing)
    "do_record_staffing_week": (
        lambda w: (
            probation.do_record_staffing_week(
                probation.staffing_week_of(w.estate.pdu_1, datetime.date(2026, 11, 30)),
                expected_version=1,
                changes={
                    "hours_needed": "400",
                    "existing_staff_hours": "300",
                    "overtime_hours": "37.5",
                    "agency_hours": "80",
                },
                acting_user=COMMAND_LINE,
            )
            and probation.staffing_week_of(w.estate.pdu_1, datetime.date(2026, 11, 30))
        ),
        Expected(
            "probation.record_staffing_week",
            lambda r: r,
            before={"hours_needed": "0.0", "overtime_hours": "0.0"},
            after={"hours_needed": "400.0", "overtime_hours": "37.5", "agency_hours": "80.0"},
        ),
    ),
    # The public status page (public)
    "do_publish_note": (
        lambda w: (
            public.do_publish_note(
                public.note_of(w.estate.establishment_1),
                expected_version=1,
                changes={"text": "Visits on Saturdays."},
                acting_user=w.governor,
            )
            and public.note_of(w.estate.establishment_1)
        ),
        Expected(
            "public.publish_note",
            lambda r: r,
            before={"text": ""},
            after={"text": "Visits on Saturdays."},
        ),
    ),
    # Backlogs: data calls, releases and feeds (backlogs)
    "do_publish_release": (
        lambda w: backlogs.do_publish_release(_backlog_figures(w), acting_user=COMMAND_LINE),
        Expected(
            "backlogs.publish_release",
            lambda r: r,
            after={"number": 1, "period_start": "2026-10-05", "revised": 0},
        ),
    ),
    "do_create_data_call": (
        lambda w: _data_call(w),
        Expected(
            "backlogs.create_data_call",
            lambda r: r,
            after={"title": "Parole reports", "period_start": "2026-10-05", "kind": "ad_hoc"},
        ),
    ),
    "do_remind_data_call": (
        lambda w: (
            backlogs.do_remind_data_call(_data_call(w), acting_user=_centre(w))
            and DataCall.objects.get()
        ),
        Expected(
            "backlogs.remind_data_call",
            lambda r: r,
            after={"reminded": ["EST1"], "skipped": []},
        ),
    ),
    "do_close_data_call": (
        lambda w: backlogs.do_close_data_call(_data_call(w), acting_user=_centre(w)),
        Expected(
            "backlogs.close_data_call",
            lambda r: r,
            before={"status": "open"},
            after={"status": "closed"},
        ),
    ),
    "do_create_feed_token": (
        lambda w: backlogs.do_create_feed_token(acting_user=_centre(w))[0],
        Expected("backlogs.create_feed_token", lambda r: r, after={"replaced": []}),
    ),
    "do_revoke_feed_token": (
        lambda w: (
            backlogs.do_create_feed_token(acting_user=_centre(w))
            and backlogs.do_revoke_feed_token(acting_user=_centre(w))
        ),
        Expected("backlogs.revoke_feed_token", lambda r: r, before={"revoked_at": None}),
    ),
}


# The defensible decision log (decisions)
def _decision_draft(world: World):
    from recovery.decisions.factories import draft

    return draft(world.estate.establishment_1, world.governor, acting_user=world.governor)


def _edited_decision_draft(world: World):
    from recovery.decisions.actions import do_edit_decision_draft

    made = _decision_draft(world)
    do_edit_decision_draft(
        made,
        expected_version=made.version,
        changes={"title": "Pause C&R refreshers for six weeks"},
        acting_user=world.governor,
    )
    return made


def _deleted_decision_draft(world: World):
    from recovery.decisions.actions import do_delete_decision_draft

    made = _decision_draft(world)
    do_delete_decision_draft(made, expected_version=made.version, acting_user=world.governor)
    return made


def _recorded_decision(world: World):
    from recovery.decisions.actions import do_record_decision

    made = _decision_draft(world)
    return do_record_decision(made, expected_version=made.version, acting_user=world.governor)


def _superseding_decision(world: World):
    from recovery.decisions.factories import superseding

    return superseding(
        _recorded_decision(world), world.governor, title="Resume C&R", acting_user=world.editor
    )


# The catalogue, settings, Local Recovery Plans and returns (backlogs)
def _backlogs_metric_saved(world: World):
    metric = BacklogMetric.objects.get(code="toil-hours")
    backlogs.do_save_metric(
        metric, expected_version=1, changes={"name": "TOIL owed"}, acting_user=world.author
    )
    return metric


def _backlogs_lrp_line(world: World):
    from recovery.backlogs.queries import lrp_line_of

    line = lrp_line_of(
        world.estate.establishment_1, BacklogMetric.objects.get(code="oasys-outstanding")
    )
    backlogs.do_save_lrp_line(
        line,
        expected_version=1,
        changes={"target_value": "40", "owner_name": "Head of OMU"},
        acting_user=world.editor,
    )
    return line


# Backlogs: data calls, releases and feeds (backlogs)
def _backlog_figures(world: World) -> datetime.date:
    """A metric with a figure at establishment_1 for the week from 5 October 2026."""
    from recovery.backlogs import factories as backlog_factories

    period = datetime.date(2026, 10, 5)
    if "backlog-metric" not in world.made:
        metric = backlog_factories.metric(code="parole-reports", name="Parole reports")
        backlog_factories.series(world.estate.establishment_1, metric, {period: 12})
        world.made["backlog-metric"] = metric
    return period


def _centre(world: World):
    if "centre" not in world.made:
        from recovery.accounts.factories import RoleAssignmentFactory, UserFactory

        person = UserFactory(first_name="Cen", last_name="Tral")
        RoleAssignmentFactory(user=person, role=Role.CENTRAL_PANEL, unit=world.estate.nation)
        world.made["centre"] = person
    return world.made["centre"]


def _data_call(world: World):
    from django.utils import timezone

    if "data-call" not in world.made:
        period = _backlog_figures(world)
        world.made["data-call"] = backlogs.do_create_data_call(
            title="Parole reports",
            kind="ad_hoc",
            period_start=period,
            deadline=timezone.now() + datetime.timedelta(days=7),
            metrics=[world.made["backlog-metric"]],
            establishments=[world.estate.establishment_1],
            acting_user=_centre(world),
        )
        # Not answered yet: its figure for the period is taken back.
        from recovery.backlogs.models import ReturnValue

        ReturnValue.objects.filter(establishment=world.estate.establishment_1).update(current=False)
    return world.made["data-call"]


# Case prioritisation and allocation (caseload)
def _caseload_csv(code: str):
    from recovery.probation.caseload_factories import csv_upload, row

    return csv_upload([row("X000001", code), row("X000002", code, rosh="Low")])


def _caseload_ready(world: World):
    from recovery.probation.caseload_factories import make_case, weekly_capacity

    weekly_capacity(world.estate.office_1, 1)
    make_case(world.estate.pdu_1, "X000001")
    return world.estate.pdu_1


def _due_wave(world: World):
    from django.utils import timezone

    wave = probation.do_allocate_wave(_caseload_ready(world), acting_user=COMMAND_LINE)
    caseload_models.AllocationWave.objects.filter(pk=wave.pk).update(
        review_due_on=timezone.localdate()
    )
    wave.refresh_from_db()
    return wave


# The Recovery Programme Board and its workstreams (workstreams)
def _workstream(number: int):
    return workstream_models.Workstream.objects.get(number=number)


def _milestone():
    return probation.do_add_milestone(
        _workstream(5),
        title="Unpaid work restarted",
        due_on=datetime.date(2020, 9, 30),
        acting_user=COMMAND_LINE,
    )


def _issue():
    return probation.do_raise_issue(
        _workstream(4),
        title="Too few tutors",
        rag="amber",
        raised_on=datetime.date(2020, 7, 1),
        acting_user=COMMAND_LINE,
    )


def _nation():
    from recovery.estate.models import OrganisationUnit

    return OrganisationUnit.objects.get(kind="nation")


def _reported(world: World):
    return progression.do_report_progress(
        _at_stage(world, 3), report="Visits running", acting_user=COMMAND_LINE
    )


def _at_stage(world: World, number: int):
    """establishment_1 at stage `number` since a year ago (set through the service)."""
    establishment = world.estate.establishment_1
    progression.do_record_stage(
        establishment,
        Stage.objects.get(number=number),
        reason="Stage at the start of the records",
        effective_from=datetime.date(2025, 12, 1),
        acting_user=COMMAND_LINE,
    )
    return establishment


def _proposed_move(world: World):
    """An outbreak declared at a stage 3 establishment, and the move back it proposed."""
    from django.db import transaction

    from recovery.covid.models import Outbreak
    from recovery.progression.stages import propose_emergency_move_in_transaction

    establishment = _at_stage(world, 3)
    outbreak = Outbreak.objects.create(
        establishment=establishment,
        declared_on=datetime.date(2026, 11, 30),
        declared_by_name="Test",
    )
    with transaction.atomic():
        return propose_emergency_move_in_transaction(
            establishment, outbreak=outbreak, acting_user=COMMAND_LINE
        )


def start_assessment(world: World):
    from recovery.progression.actions import do_start_assessment
    from recovery.progression.factories import plan_for, site_at_stage

    site = world.estate.establishment_1
    site_at_stage(site, 4)
    plan_for(site, 3)
    return do_start_assessment(site, acting_user=world.editor)


def update_assessment(world: World):
    from recovery.progression.actions import do_update_assessment
    from recovery.progression.factories import draft_assessment

    assessment = draft_assessment(world.estate.establishment_1, attest=False)
    do_update_assessment(
        assessment,
        expected_version=assessment.version,
        changes={"staffing": "Detailing shows 96% of the hours."},
        acting_user=world.editor,
    )
    return assessment


def _assessment_in(world: World, status: str):
    from recovery.progression.factories import assessment_in

    return assessment_in(status, world.estate.establishment_1)


# Panel sittings and the panel queue (progression)
def _panel_person(world: World):
    from recovery.progression.tests.panel_factories import panel_member

    if "panel-person" not in world.made:
        world.made["panel-person"] = panel_member(world.estate.nation, "Pat", "Panelist")
    return world.made["panel-person"]


def _panel_sitting(world: World):
    from recovery.progression.actions import do_open_sitting

    return do_open_sitting(
        sits_on=datetime.date(2026, 12, 7),
        members=[_panel_person(world)],
        title="Weekly sitting",
        acting_user=_panel_person(world),
    )


def _close_panel_sitting(world: World):
    from recovery.progression.actions import do_close_sitting

    return do_close_sitting(_panel_sitting(world), acting_user=_panel_person(world))


def _decide_panel_assessment(world: World):
    from recovery.progression.actions import do_decide_assessment
    from recovery.progression.tests.panel_factories import awaiting_panel

    assessment = awaiting_panel(world.estate.establishment_1)
    return do_decide_assessment(
        assessment,
        decision="defer",
        reasons="Wait a week",
        expected_version=assessment.version,
        acting_user=_panel_person(world),
    )


def frameworks_free_import(world: World):
    from recovery.estate.actions import do_import_estate

    do_import_estate(_estate_workbook(), acting_user=COMMAND_LINE, source="estate.xlsx")


def load_estate_from_workbook(world: World):
    from recovery.estate.actions import do_load_estate
    from recovery.estate.importer import read_estate_workbook

    data = read_estate_workbook(_estate_workbook())
    do_load_estate(data, acting_user=COMMAND_LINE, source="a test workbook")


def withdraw(world: World) -> EdmVersion:
    version = PublishedEdmVersionFactory(number=953, version="1.0")
    frameworks.do_withdraw_edm_version(version, acting_user=world.author)
    return version


def remove_evidence(world: World) -> Evidence:
    evidence = plans.do_add_evidence(
        _answer(world), kind="note", note="Booking line staffed.", acting_user=world.editor
    )
    plans.do_remove_evidence(evidence, acting_user=world.editor)
    return evidence


@pytest.fixture
def world(person_with_role, small_estate) -> World:
    RegimeElement.objects.get_or_create(code="visits", defaults={"name": "Visits"})
    return World(
        estate=small_estate,
        author=person_with_role(Role.FRAMEWORK_AUTHOR, first_name="Fay", last_name="Framing"),
        editor=person_with_role(Role.ESTABLISHMENT_EDITOR, first_name="Ed", last_name="Ito"),
        admin=person_with_role(Role.ADMINISTRATOR, first_name="Ada", last_name="Adminson"),
        governor=person_with_role(Role.GOVERNOR, first_name="Gil", last_name="Govan"),
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_action_records_its_event(world, name):
    call, expected = CASES[name]
    first_new = (AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1

    returned = call(world)

    recorded = list(AuditEvent.objects.filter(id__gte=first_new, action=expected.action))
    assert recorded, (
        f"{name} recorded no '{expected.action}' event; it recorded "
        f"{list(AuditEvent.objects.filter(id__gte=first_new).values_list('action', flat=True))}"
    )
    event = recorded[-1]
    obj = expected.obj(returned)
    if obj is not None:
        assert (event.object_type, event.object_id) == (obj._meta.label_lower, str(obj.pk))
    assert {k: event.before.get(k) for k in expected.before} == expected.before
    assert {k: event.after.get(k) for k in expected.after} == expected.after


def test_every_action_has_a_case():
    """A new action needs its case here (or in test_actions_record_events.py), so no action can
    write without a test proving it records its event."""
    missing = sorted(set(_action_functions()) - set(CASES) - COVERED_HERE)
    assert not missing, f"add a case to CASES for {missing}"
