"""Words of the backlogs domain: the 13 backlog areas of the Local Recovery Plan guide, the units
a metric is counted in, which way is better, and how figures add up across establishments."""

from django.db import models


class BacklogArea(models.TextChoices):
    """The backlog areas a Local Recovery Plan must at least capture (the guide's 13 headings,
    in its order)."""

    ANNUAL_LEAVE = "annual_leave", "Annual leave"
    POELT = "poelt", "POELT training and mentoring of new staff"
    TRAINING = "training", "Training backlogs across HMPPS"
    NON_PRODUCTIVE_HOURS = "non_productive_hours", "Non-productive hours"
    HUB_SUPPORT = "hub_support", "Hub support"
    HIGH_RISK_THEMATIC = "high_risk_thematic", "High risk thematic work"
    RESILIENCE = "resilience", "Resilience"
    EDUCATION = "education", "Delivery of education and skills for adults"
    OFFENDER_MANAGEMENT = "offender_management", "Offender management and sentence progression"
    ACCREDITED_PROGRAMMES = "accredited_programmes", "Accredited programmes"
    HEALTH = "health", "Physical health and mental health"
    REGIME_DELIVERY = "regime_delivery", "Regime delivery"
    COVID_CONTROLS = "covid_controls", "COVID controls"


class MetricUnit(models.TextChoices):
    PEOPLE = "people", "people"
    HOURS = "hours", "hours"
    CASES = "cases", "cases"
    DAYS = "days", "days"
    PERCENT = "percent", "%"


class Direction(models.TextChoices):
    LOWER = "lower", "Lower is better"
    HIGHER = "higher", "Higher is better"


class Aggregation(models.TextChoices):
    """How an establishment's figures add up to a group's and the nation's: counts are summed;
    rates and per-person figures are means weighted by the metric's weight (labelled so)."""

    SUM = "sum", "Total"
    WEIGHTED_MEAN = "weighted_mean", "Weighted mean"


class ValueSource(models.TextChoices):
    FORM = "form", "Form"
    UPLOAD = "upload", "Spreadsheet upload"
    API = "api", "API"
    DEMO = "demo", "Demo data"


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    NONE = "none", "No target"


class DataCallKind(models.TextChoices):
    STANDARD = "standard", "Standard return"
    AD_HOC = "ad_hoc", "Ad hoc"


class DataCallStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
