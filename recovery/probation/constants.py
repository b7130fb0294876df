"""Words of probation recovery: steps, requests to hold back or step back, risk assessments,
and the rules the Probation Roadmap to Recovery states in numbers. Importable without models."""

from django.db import models

# "Unless in exceptional circumstances, we will give staff at least two weeks' notice before any
# significant relaxation of current measures comes into effect" (the roadmap's principle 2).
NOTICE_DAYS = 14

# The roadmap names three probation steps; step one is the "current position".
FIRST_STEP = 1
LAST_STEP = 3

# How long an office risk assessment stays current unless the centre sets another period. The
# roadmap says risk assessments "should be maintained" but gives no period: three months is our
# choice (docs/probation.md), and the centre changes it on the probation settings page.
DEFAULT_RISK_ASSESSMENT_VALID_DAYS = 91

# A risk assessment falling out of date within this many days is shown as due.
RISK_ASSESSMENT_DUE_SOON_DAYS = 14

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY_LABELS = {d: d.capitalize() for d in WEEKDAYS}


class RequestKind(models.TextChoices):
    """What a region asks the Probation Business Recovery Programme for, for itself or one of
    its PDUs: "Regions will make a request to the Probation Business Recovery Programme to move
    back a step, or indeed not move forward a step when the rest of the country does." Moving
    forward again afterwards is a relaxation, so it needs two weeks' notice."""

    HOLD_BACK = "hold_back", "Hold back: stay at the current step when the country moves forward"
    STEP_BACK = "step_back", "Step back: move back one step"
    MOVE_FORWARD = "move_forward", "Move forward one step (after holding back or stepping back)"


class RequestStatus(models.TextChoices):
    """A request waits for the Business Recovery Programme, which agrees (the step takes effect
    on the date it sets) or refuses it, with reasons."""

    REQUESTED = "requested", "Waiting for the Business Recovery Programme"
    AGREED = "agreed", "Agreed"
    REFUSED = "refused", "Refused"


class OfficeRiskOutcome(models.TextChoices):
    SAFE = "safe", "Safe for face-to-face supervision"
    NOT_SAFE = "not_safe", "Not safe yet: actions needed before it is used"


class IndividualRiskOutcome(models.TextChoices):
    """The outcome of an individual risk assessment of a member of staff who is vulnerable to
    COVID-19 (or lives with someone who is). Nothing about their health is stored."""

    RETURN = "return", "Can return to the office"
    RETURN_WITH_ADJUSTMENTS = "return_adjusted", "Can return to the office with adjustments"
    WORK_FROM_HOME = "from_home", "Continues to work from home"


# The five things an office risk assessment covers (issue 11, from the roadmap's Step Two and
# Annex B): field name -> words on the page.
OFFICE_RISK_CHECKS = {
    "distancing": "2 m distancing can be kept in interview rooms, reception and desks",
    "screens": "Protective screens fitted where they are needed",
    "one_way_routes": "A one-way route with one entrance and one exit",
    "rotas": "Staff rotas to keep the number of people in the office down",
    "ppe_stock": "PPE stock assessed as enough for the change",
}
