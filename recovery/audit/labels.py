"""What each recorded action is called in the audit trail, in the users' words.

An event keeps its action's code (`plans.update_response`) so that filters and exports stay
stable; people read the label. An action without a label here is shown by its code made
readable ("Plans: update response"), so a new action is never hidden, only less well worded:
add its label here when you add the action."""

from django.apps import apps

ACTION_LABELS: dict[str, str] = {
    # People, roles and API tokens
    "accounts.create_user": "Person added",
    "accounts.deactivate_user": "Account deactivated",
    "accounts.reactivate_user": "Account reactivated",
    "accounts.assign_role": "Role given",
    "accounts.remove_role": "Role taken away",
    "accounts.create_api_token": "API token created",
    "accounts.revoke_api_token": "API token revoked",
    # The estate
    "estate.create_unit": "Organisation unit added",
    "estate.move_unit": "Organisation unit moved",
    "estate.update_nation": "National details changed",
    "estate.update_prison_group": "Prison group changed",
    "estate.update_establishment": "Establishment details changed",
    "estate.update_probation_region": "Probation region changed",
    "estate.update_pdu": "Probation delivery unit changed",
    "estate.update_office": "Probation office details changed",
    "estate.import": "Estate loaded from a spreadsheet",
    # The framework library
    "frameworks.update_stage": "Stage changed",
    "frameworks.add_regime_element": "Regime element added",
    "frameworks.load_edm": "EDM loaded from a file",
    "frameworks.replace_edm_draft": "EDM draft replaced from a file",
    "frameworks.start_edm_draft": "EDM draft started",
    "frameworks.start_edm_version": "New EDM version started",
    "frameworks.update_edm_draft": "EDM draft changed",
    "frameworks.add_edm_area": "Area added to an EDM draft",
    "frameworks.update_edm_area": "Area of an EDM draft changed",
    "frameworks.remove_edm_area": "Area removed from an EDM draft",
    "frameworks.add_baseline": "Baseline added to an EDM draft",
    "frameworks.update_baseline": "Baseline of an EDM draft changed",
    "frameworks.remove_baseline": "Baseline removed from an EDM draft",
    "frameworks.publish_edm": "EDM version published",
    "frameworks.withdraw_edm": "EDM version withdrawn",
    # Regime Recovery Plans
    "plans.start_plan": "Plan started",
    "plans.add_edm": "EDM added to a plan",
    "plans.update_response": "Answer changed",
    "plans.add_evidence": "Evidence added",
    "plans.remove_evidence": "Evidence removed",
    "plans.import_plan": "Plan loaded from a spreadsheet",
    "plans.move_plan_version": "Plan moved to a new EDM version",
    "plans.send_reminder": "Reminder of a target date sent",
    # Covid controls (covid)
    "covid.declare_outbreak": "Outbreak declared",
    "covid.end_outbreak": "Outbreak ended",
    "covid.correct_outbreak": "Outbreak corrected",
    "covid.update_controls": "Covid controls changed",
    "covid.set_ppe_stock": "PPE stock changed",
    "covid.import": "Covid controls loaded from a spreadsheet",
    # The defensible decision log (decisions)
    "decisions.create_draft": "Draft decision written",
    "decisions.edit_draft": "Draft decision changed",
    "decisions.delete_draft": "Draft decision deleted",
    "decisions.record": "Decision recorded in the decision log",
    "decisions.supersede": "Decision recorded, superseding an earlier one",
    # Readiness assessments and the sign-off chain (progression)
    "progression.change_stage": "Stage changed",
    "progression.confirm_stage_move": "Move back a stage confirmed",
    "progression.dismiss_stage_move": "Proposed move back dismissed",
    "progression.ratify_stage_change": "Stage move ratified",
    "progression.start_assessment": "Readiness assessment started",
    "progression.update_assessment": "Readiness assessment changed",
    "progression.submit_assessment": "Readiness assessment submitted",
    "progression.consult_union": "Trade union consultation recorded",
    "progression.endorse_assessment": "Readiness assessment endorsed",
    "progression.return_assessment": "Readiness assessment returned",
    "progression.withdraw_assessment": "Readiness assessment withdrawn",
    # The public status page (public)
    "public.publish_note": "Public note published",
    # Panel sittings (progression)
    "progression.open_sitting": "Panel sitting opened",
    "progression.close_sitting": "Panel sitting closed",
    "progression.decide_assessment": "National decision on a readiness assessment",
    # Progress reviews (progression)
    "progression.report_progress": "Progress reported",
    "progression.forward_progress": "Progress report forwarded to the centre",
    "progression.decide_progress": "Progress review decided",
    # The catalogue, settings, Local Recovery Plans and returns (backlogs)
    "backlogs.add_metric": "Backlog metric added to the catalogue",
    "backlogs.update_metric": "Backlog metric changed",
    "backlogs.retire_metric": "Backlog metric retired",
    "backlogs.reinstate_metric": "Backlog metric brought back",
    "backlogs.update_return_settings": "Return settings changed",
    "backlogs.update_lrp_line": "Local Recovery Plan line changed",
    "backlogs.enter_return": "Return sent or corrected",
    "backlogs.import_returns": "Returns loaded from a spreadsheet",
    "backlogs.load_demo_returns": "Demo returns and plan loaded",
    # Backlogs: data calls, releases and feeds (backlogs)
    "backlogs.publish_release": "Backlog figures released",
    "backlogs.create_data_call": "Data call sent",
    "backlogs.remind_data_call": "Data call reminders sent",
    "backlogs.close_data_call": "Data call closed",
    "backlogs.create_feed_token": "Feed link made",
    "backlogs.revoke_feed_token": "Feed link revoked",
    # Probation recovery (probation)
    "probation.open_step": "Probation step opened nationally (gateway decision)",
    "probation.ask_step_change": "Asked to hold back, step back or move forward",
    "probation.decide_step_request": "Request to hold back, step back or move forward decided",
    "probation.update_office_capacity": "Office capacity recorded",
    "probation.record_office_risk_assessment": "Office risk assessment recorded",
    "probation.record_individual_risk_assessment": "Individual risk assessment recorded",
    "probation.update_settings": "Probation settings changed",
    "probation.update_government_step": "Government step changed",
    # Case prioritisation and allocation (caseload)
    "probation.import_caseload": "Caseload loaded",
    "probation.allocate_wave": "Wave of cases moved to face-to-face supervision",
    "probation.allocate_national": "Face-to-face capacity allocated nationally",
    "probation.review_wave": "Wave reviewed",
    "probation.complete_review_tasks": "Plan reviews recorded as done",
    # The fortnightly report to ministers (ministers)
    "probation.generate_ministers_report": "Report to ministers generated",
    # The Recovery Programme Board and its workstreams (workstreams)
    "probation.set_workstream_lead": "Workstream lead named",
    "probation.post_workstream_update": "Workstream status reported to the Board",
    "probation.load_workstream_history": "Workstream's past status updates loaded",
    "probation.add_milestone": "Workstream milestone added",
    "probation.update_milestone": "Workstream milestone changed",
    "probation.complete_milestone": "Workstream milestone done",
    "probation.raise_issue": "Workstream issue raised",
    "probation.update_issue": "Workstream issue changed",
    "probation.close_issue": "Workstream issue closed",
    # The staffing hierarchy (staffing)
    "probation.record_staffing_week": "Staffing week recorded (hours by rung)",
}


# Where a model's own name is not the one people use.
OBJECT_TYPE_LABELS: dict[str, str] = {
    "accounts.user": "Person",
    "accounts.roleassignment": "Role",
    "accounts.apitoken": "API token",
    "plans.plan": "Regime Recovery Plan",
    "plans.planedm": "EDM in a plan",
    "plans.response": "Answer",
    "covid.outbreak": "Outbreak",
    "covid.covidcontrols": "Covid controls",
    "covid.ppestock": "PPE stock",
    # The defensible decision log (decisions)
    "decisions.decisiondraft": "Draft decision",
    "decisions.decisionentry": "Recorded decision",
    "public.publicnote": "Public note for families",
    # The catalogue, settings, Local Recovery Plans and returns (backlogs)
    "backlogs.metric": "Backlog metric",
    "backlogs.returnsettings": "Return settings",
    "backlogs.lrpline": "Local Recovery Plan line",
    "backlogs.return": "Return",
    # Backlogs: data calls, releases and feeds (backlogs)
    "backlogs.release": "Release of backlog figures",
    "backlogs.datacall": "Data call",
    "backlogs.feedtoken": "Feed link",
    "probation.gatewaydecision": "Gateway decision",
    "probation.steprequest": "Step request",
    "probation.caseloadimport": "Caseload",
    "probation.allocationwave": "Wave",
    "probation.ministersreport": "Report to ministers",
    "probation.workstream": "Recovery workstream",
    "probation.workstreamupdate": "Workstream status update",
    "probation.workstreammilestone": "Workstream milestone",
    "probation.workstreamissue": "Workstream issue",
    "probation.staffingweek": "Staffing week",
}


def sentence_case(text: str) -> str:
    """First letter up, the rest as written ("EDM version" stays "EDM version")."""
    return text[:1].upper() + text[1:]


def action_label(code: str) -> str:
    if code in ACTION_LABELS:
        return ACTION_LABELS[code]
    app, _, verb = code.partition(".")
    readable = verb.replace("_", " ") if verb else app.replace("_", " ")
    return f"{sentence_case(app)}: {readable}" if verb else sentence_case(readable)


def model_of(object_type: str):
    """The model an event's `object_type` names ("plans.response"), or None if none does."""
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    """`plans.response` → "Answer"; otherwise the model's own name for itself."""
    if object_type in OBJECT_TYPE_LABELS:
        return OBJECT_TYPE_LABELS[object_type]
    model = model_of(object_type)
    if model is None:
        return object_type
    return sentence_case(str(model._meta.verbose_name))
