"""The fortnightly report to ministers: its figures against hand-built data, what changed since
the last report, one report a fortnight kept as made, and the scheduler's command."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from recovery.audit.models import AuditEvent
from recovery.core.errors import DomainError, NotAllowed
from recovery.core.scope import COMMAND_LINE
from recovery.probation.caseload_factories import make_case, weekly_capacity
from recovery.probation.caseload_models import AllocationWave, CaseMove
from recovery.probation.constants import RequestKind
from recovery.probation.factories import AgreedRequestFactory, OfficeCapacityFactory, gateway
from recovery.probation.ministers import fortnight_of, gather
from recovery.probation.ministers_actions import do_generate_report
from recovery.probation.ministers_models import MinistersReport
from recovery.probation.workstream_models import Workstream, WorkstreamUpdate

pytestmark = pytest.mark.django_db

D = datetime.date
AS_AT = D(2026, 12, 9)  # a Wednesday: the fortnight from Monday 7 December 2026


def test_fortnights_run_from_monday_1_june_2020():
    assert fortnight_of(D(2020, 6, 1)) == (D(2020, 6, 1), D(2020, 6, 14))
    assert fortnight_of(D(2020, 6, 14)) == (D(2020, 6, 1), D(2020, 6, 14))
    assert fortnight_of(D(2020, 6, 15)) == (D(2020, 6, 15), D(2020, 6, 28))
    assert fortnight_of(D(2026, 12, 5)) == (D(2026, 11, 23), D(2026, 12, 6))
    assert fortnight_of(AS_AT) == (D(2026, 12, 7), D(2026, 12, 20))


def _wave(pdu, number, starts_on, moves, *, reviewed=True):
    wave = AllocationWave.objects.create(
        pdu=pdu,
        number=number,
        starts_on=starts_on,
        review_due_on=starts_on + datetime.timedelta(days=7),
        weekly_capacity=12,
        face_to_face_before=0,
        moved=len(moves),
        made_by_name="Test PDU head",
        reviewed_at=datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC) if reviewed else None,
    )
    for reference, category in moves:
        CaseMove.objects.create(
            wave=wave,
            reference=reference,
            category=category,
            from_mode="doorstep",
            to_mode="face_to_face",
        )
    return wave


def _update(number, rag, reported_on, summary="As planned"):
    return WorkstreamUpdate.objects.create(
        workstream=Workstream.objects.get(number=number),
        rag=rag,
        summary=summary,
        reported_on=reported_on,
        recorded_by_name="Test lead",
    )


@pytest.fixture
def figures(small_estate):
    """Steps, capacity, a caseload, waves and workstream updates, built by hand."""
    e = small_estate
    gateway(2, D(2020, 6, 29))
    gateway(3, D(2020, 8, 3))
    # Marches region held back at step 2; Eastmoor PDU (Wolds region) stepped back to step 1.
    AgreedRequestFactory(unit=e.region_2, step=2, from_step=2, takes_effect_on=D(2020, 8, 3))
    AgreedRequestFactory(
        unit=e.pdu_1,
        kind=RequestKind.STEP_BACK,
        step=1,
        from_step=3,
        takes_effect_on=D(2026, 11, 1),
    )
    # Wolds region's office: 12 appointments a week that count; Marches region's office has its
    # capacity recorded but no risk assessment, so it does not count.
    weekly_capacity(e.office_1, 12, on=D(2026, 11, 20))
    OfficeCapacityFactory(office=e.office_2)
    # Eastmoor PDU: category 1 twice (one already face to face), 2 once, 3 once, 4 twice.
    make_case(e.pdu_1, "X000001", "high", domestic_abuse=True)
    make_case(e.pdu_1, "X000002", "very_high", child_safeguarding=True, mode="face_to_face")
    make_case(e.pdu_1, "X000003", "high")
    make_case(e.pdu_1, "X000004", "medium", domestic_abuse=True, mode="audio")
    make_case(e.pdu_1, "X000005", "low")
    make_case(e.pdu_1, "X000006", "medium", mode="face_to_face")
    # Westvale PDU: category 2 three times.
    for n in (7, 8, 9):
        make_case(e.pdu_2, f"X00000{n}", "high", mode="video" if n == 9 else "doorstep")
    # Waves: one in the fortnight (counted), one the fortnight before, one after the day.
    _wave(e.pdu_1, 1, D(2026, 11, 30), [("X000010", 3)])
    _wave(e.pdu_1, 2, D(2026, 12, 8), [("X000002", 1), ("X000011", 2)])
    _wave(e.pdu_2, 1, D(2026, 12, 10), [("X000012", 2)], reviewed=False)
    # Workstreams: 1 amber then red; 2 reports only after the day; 3 green long ago.
    _update(1, "amber", D(2026, 12, 1))
    _update(1, "red", D(2026, 12, 8), "Court backlog growing")
    _update(2, "green", D(2026, 12, 10))
    _update(3, "green", D(2026, 11, 1))
    return e


def test_gather_reads_the_figures_straight_from_the_models(figures):
    snapshot = gather(AS_AT)

    assert snapshot["as_at"] == "2026-12-09"
    assert snapshot["fortnight_starts_on"] == "2026-12-07"
    assert snapshot["fortnight_ends_on"] == "2026-12-20"
    national = snapshot["national"]
    assert (national["step"], national["since"]) == (3, "2020-08-03")
    assert (national["capacity"], national["offices"], national["offices_counted"]) == (12, 2, 1)
    assert national["caseload"] == {"1": 2, "2": 4, "3": 1, "4": 2}
    assert national["face_to_face"] == {"1": 1, "2": 0, "3": 0, "4": 1}
    assert national["moved"] == {"1": 1, "2": 1, "3": 0, "4": 0}

    marches, wolds = snapshot["regions"]  # by name
    assert (marches["code"], marches["step"], marches["since"]) == ("REG2", 2, "2020-06-29")
    assert (marches["capacity"], marches["offices"], marches["offices_counted"]) == (0, 1, 0)
    assert marches["caseload"] == {"1": 0, "2": 3, "3": 0, "4": 0}
    assert marches["moved"] == {"1": 0, "2": 0, "3": 0, "4": 0}
    assert marches["pdus_apart"] == []
    assert (wolds["code"], wolds["step"], wolds["since"]) == ("REG1", 3, "2020-08-03")
    assert (wolds["capacity"], wolds["offices_counted"]) == (12, 1)
    assert wolds["caseload"] == {"1": 2, "2": 1, "3": 1, "4": 2}
    assert wolds["pdus_apart"] == [
        {"code": "PDU1", "name": "Eastmoor PDU", "step": 1, "since": "2026-11-01"}
    ]

    workstreams = {w["number"]: w for w in snapshot["workstreams"]}
    assert len(workstreams) == 15
    assert (workstreams[1]["rag"], workstreams[1]["reported_on"]) == ("red", "2026-12-08")
    assert workstreams[1]["summary"] == "Court backlog growing"
    assert workstreams[2]["rag"] is None  # its first report came after the day
    assert workstreams[3]["rag"] == "green"
    assert snapshot["staffing"] is None


def test_staffing_is_the_hours_each_rung_covered_in_the_fortnight_up_to_the_day(figures):
    from recovery.probation.models import StaffingWeek

    def week(pdu, monday, need, **available):
        StaffingWeek.objects.create(
            pdu=pdu,
            week_start=monday,
            hours_needed=need,
            **{f"{k}_hours": v for k, v in available.items()},
        )

    # In the fortnight from 7 December, up to the 9th: only the week of the 7th.
    week(figures.pdu_1, D(2026, 12, 7), 100, existing_staff=60, overtime=30, agency=50)
    week(figures.pdu_2, D(2026, 12, 7), 80, existing_staff=50, returners=10)
    week(figures.pdu_1, D(2026, 11, 30), 500, existing_staff=10)  # the fortnight before
    week(figures.pdu_2, D(2026, 12, 14), 500, existing_staff=10)  # after the day

    rows = {r["rung"]: r["hours"] for r in gather(D(2026, 12, 9))["staffing"]}

    # Eastmoor: 60 existing, 30 overtime, 10 of its 50 agency hours. Westvale: 50 existing,
    # nothing from the rungs it has none of, 10 returners, 20 hours short.
    assert rows == {
        "Hours needed": 180.0,
        "Existing staff": 110.0,
        "Overtime": 30.0,
        "Agency staff": 10.0,
        "Redeployment": 0.0,
        "Returners": 10.0,
        "Other government departments": 0.0,
        "Third sector": 0.0,
        "Not covered": 20.0,
    }
    assert gather(D(2026, 11, 20))["staffing"] is None  # no week recorded in that fortnight


def test_the_steps_and_rags_are_read_as_they_stood_on_the_day(figures):
    earlier = gather(D(2026, 10, 20))
    wolds = next(r for r in earlier["regions"] if r["code"] == "REG1")
    assert wolds["pdus_apart"] == []  # the PDU stepped back on 1 November
    assert {w["number"]: w["rag"] for w in earlier["workstreams"]}[3] is None


def test_the_first_report_says_there_is_nothing_to_compare_with(figures):
    report = do_generate_report(acting_user=COMMAND_LINE, as_at=AS_AT)
    assert report.fortnight_starts_on == D(2026, 12, 7)
    assert report.snapshot["changes"] == {"first": True}


def test_the_next_report_says_what_changed_since_the_last(figures):
    do_generate_report(acting_user=COMMAND_LINE, as_at=D(2026, 11, 25))
    # Since: Marches region steps back to 1; workstream 3 turns amber; Westvale gets capacity;
    # two more category 1 cases in Eastmoor.
    AgreedRequestFactory(
        unit=figures.region_2,
        kind=RequestKind.STEP_BACK,
        step=1,
        from_step=2,
        takes_effect_on=D(2026, 12, 1),
        decided_at=datetime.datetime(2026, 11, 28, tzinfo=datetime.UTC),
    )
    _update(3, "amber", D(2026, 12, 2))
    figures.office_2.capacity.delete()
    weekly_capacity(figures.office_2, 6, on=D(2026, 12, 1))
    make_case(figures.pdu_1, "X000020", "high", domestic_abuse=True)
    make_case(figures.pdu_1, "X000021", "high", child_safeguarding=True)

    report = do_generate_report(acting_user=COMMAND_LINE, as_at=AS_AT)

    changes = report.snapshot["changes"]
    assert changes["first"] is False
    assert changes["previous_fortnight_starts_on"] == "2026-11-23"
    assert changes["national_step"] is None
    assert changes["steps"] == [
        {"code": "REG2", "name": "Marches region", "from": 2, "to": 1, "back": True}
    ]
    rags = {c["number"]: (c["from"], c["to"]) for c in changes["rags"]}
    # Workstream 1 had reported nothing by 25 November, and was red by 9 December.
    assert rags == {1: (None, "red"), 3: ("green", "amber")}
    figures_by_place = {f["name"]: f for f in changes["figures"]}
    national = figures_by_place["England and Wales"]
    assert national["capacity"] == {"from": 12, "to": 18, "change": 6}
    assert national["demand"] == {"from": 7, "to": 9, "change": 2}
    assert national["face_to_face"] == {"from": 2, "to": 2, "change": 0}
    assert figures_by_place["Marches region"]["capacity"] == {"from": 0, "to": 6, "change": 6}
    assert figures_by_place["Wolds region"]["demand"] == {"from": 4, "to": 6, "change": 2}


def test_a_second_report_in_the_same_fortnight_is_refused(figures):
    do_generate_report(acting_user=COMMAND_LINE, as_at=D(2026, 12, 7))
    events = AuditEvent.objects.filter(action="probation.generate_ministers_report").count()

    with pytest.raises(DomainError) as refused:
        do_generate_report(acting_user=COMMAND_LINE, as_at=D(2026, 12, 20))

    assert refused.value.message.startswith(
        "The report to ministers for the fortnight from 7 December 2026 to 20 December 2026 "
        "was already generated on "
    )
    assert "by System (command line): there is one report a fortnight" in refused.value.message
    assert MinistersReport.objects.count() == 1
    assert AuditEvent.objects.filter(action="probation.generate_ministers_report").count() == events
    # The next fortnight has a report of its own.
    do_generate_report(acting_user=COMMAND_LINE, as_at=D(2026, 12, 21))
    assert MinistersReport.objects.count() == 2


def test_only_the_probation_centre_generates_it(figures, person_with_role):
    from recovery.core.constants import Role

    for role in (Role.PROBATION_REGION, Role.VIEWER, Role.PDU_HEAD, Role.CENTRAL_PANEL):
        with pytest.raises(NotAllowed):
            do_generate_report(acting_user=person_with_role(role), as_at=AS_AT)
    assert not MinistersReport.objects.exists()
    centre = person_with_role(Role.PROBATION_CENTRE, first_name="Cara", last_name="Centre")
    report = do_generate_report(acting_user=centre, as_at=AS_AT)
    assert (report.generated_by, report.generated_by_name) == (centre, "Cara Centre")


def test_a_report_is_kept_as_it_was_made(figures):
    report = do_generate_report(acting_user=COMMAND_LINE, as_at=AS_AT)
    report.snapshot["national"]["step"] = 1
    with pytest.raises(PermissionDenied):
        report.save()
    with pytest.raises(PermissionDenied):
        report.delete()
    with pytest.raises(PermissionDenied):
        MinistersReport.objects.filter(pk=report.pk).update(as_at=D(2026, 12, 10))
    # The database refuses too, whatever door is used.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {MinistersReport._meta.db_table} SET as_at = %s WHERE id = %s",
            [D(2026, 12, 10), report.pk],
        )
    assert MinistersReport.objects.get().snapshot["national"]["step"] == 3


def test_the_command_if_due_makes_the_report_once(figures, capsys):
    call_command("generate_ministers_report", "--if-due", "--date", "2026-12-09")
    assert "Generated: Report to ministers for the fortnight from 7 December 2026" in (
        capsys.readouterr().out
    )
    call_command("generate_ministers_report", "--if-due", "--date", "2026-12-15")
    assert "has already been generated: nothing to do" in capsys.readouterr().out
    assert MinistersReport.objects.count() == 1
    assert MinistersReport.objects.get().generated_by_name == "System (command line)"

    with pytest.raises(CommandError, match="already generated"):
        call_command("generate_ministers_report", "--date", "2026-12-15")
    assert MinistersReport.objects.count() == 1


def test_gather_reads_a_fixed_number_of_queries(figures, django_assert_num_queries):
    from django.test.utils import CaptureQueriesContext

    from recovery.estate.factories import OfficeFactory, PduFactory
    from recovery.estate.factories import ProbationRegionFactory as Region

    with CaptureQueriesContext(connection) as small:
        gather(AS_AT)

    for n in range(3):
        region = Region(parent=figures.nation, code=f"REGX{n}")
        for m in range(3):
            pdu = PduFactory(parent=region, code=f"PX{n}{m}")
            OfficeFactory(parent=pdu, code=f"OX{n}{m}")
            make_case(pdu, f"X90{n}{m}000")
    with django_assert_num_queries(len(small.captured_queries)):
        gather(AS_AT)


def test_a_report_whose_audit_event_fails_is_not_stored(figures, monkeypatch):
    from recovery.probation import ministers_actions

    def broken(**kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(ministers_actions, "record_event", broken)
    with pytest.raises(RuntimeError):
        do_generate_report(acting_user=COMMAND_LINE, as_at=AS_AT)
    assert not MinistersReport.objects.exists()
