"""The first metric catalogue: every metric the Local Recovery Plan guide and the Stage 2
recovery priorities name, under the guide's 13 backlog areas, and the one return settings row.

The sources give no numeric national target for most backlogs ("it is not realistic to assume
that all areas of backlog will be cleared"); targets are set only where the source treats the
work as essential to open regimes safely: no staff overdue safety-critical operational training
(C&R, MMPR, PAVA, ACCT, negotiator, first aid) and no HDC case left outstanding. The centre keeps
the catalogue from then on (its pages), so later changes are data, not migrations."""

from django.db import migrations

ADULT = ["local", "high_security", "cat_b", "cat_c", "open", "womens", "yoi", "irc"]
ADULT_PRISONS = ["local", "high_security", "cat_b", "cat_c", "open", "womens", "yoi"]
ADULT_MALE_CLOSED = ["local", "high_security", "cat_b", "cat_c", "yoi"]
YOUTH = ["ycs_yoi", "stc", "sch"]
ALL = []  # every type

# (code, name, unit, direction, aggregation, types, national target, weight, description)
P, H, C, D, PC = "people", "hours", "cases", "days", "percent"
LO, HI = "lower", "higher"
SUM, MEAN = "sum", "weighted_mean"
STAFF = "staff-in-post"

CATALOGUE = {
    "annual_leave": [
        (STAFF, "Staff in post", P, HI, SUM, ALL, None, None,
         "Staff in post at the end of the period (headcount): the weight of every per-person "
         "figure when establishments are added up."),
        ("leave-carried-over-per-person", "Annual leave carried over per person", D, LO, MEAN,
         ALL, None, STAFF,
         "Average days of annual leave carried over per member of staff (the estate averaged "
         "3.2 days at the start of Stage 2)."),
        ("leave-carried-over-days", "Annual leave carried over (total days)", D, LO, SUM, ALL,
         None, None, "Days of annual leave carried over by all staff: the running balance."),
        ("toil-hours", "TOIL hours owed", H, LO, SUM, ALL, None, None,
         "Hours of time off in lieu owed to staff."),
        ("flexitime-hours", "Flexitime hours owed to non-operational staff", H, LO, SUM, ALL,
         None, None, "Hours of flexitime owed to non-operational staff."),
    ],
    "poelt": [
        ("poelts-awaiting-training", "New officers awaiting POELT", P, LO, SUM, ADULT_PRISONS,
         None, None, "Recruits appointed but not yet through Prison Officer Entry Level "
         "Training."),
        ("poelts-awaiting-mentoring", "POELTs awaiting mentoring", P, LO, SUM, ALL, None, None,
         "Officers newly out of POELT without a mentor assigned."),
        ("new-officers-needing-support", "Officers joined since March 2020 needing support or "
         "upskilling", P, LO, SUM, ALL, None, None,
         "Officers who have not yet worked a full regime and need mentoring or upskilling."),
    ],
    "training": [
        ("overdue-cr", "Staff overdue C&R training", P, LO, SUM, ADULT, 0, None,
         "Staff whose Control and Restraint refresher is overdue."),
        ("overdue-mmpr", "Staff overdue MMPR training", P, LO, SUM, YOUTH, 0, None,
         "Staff whose Minimising and Managing Physical Restraint training is overdue."),
        ("overdue-pava", "Staff overdue PAVA training", P, LO, SUM, ADULT_MALE_CLOSED, 0, None,
         "Staff authorised to carry PAVA whose training is overdue."),
        ("overdue-acct", "Staff overdue ACCT training", P, LO, SUM, ADULT, 0, None,
         "Staff whose Assessment, Care in Custody and Teamwork training is overdue."),
        ("overdue-negotiator", "Negotiators overdue training", P, LO, SUM, ADULT, 0, None,
         "Hostage and incident negotiators whose training is overdue."),
        ("overdue-first-aid", "Staff overdue first aid training", P, LO, SUM, ALL, 0, None,
         "Staff whose first aid certificate has lapsed."),
        ("overdue-rpe", "Staff overdue RPE fit testing and training", P, LO, SUM, ALL, None,
         None, "Staff who need respiratory protective equipment fit testing or training."),
        ("overdue-keywork", "Staff overdue Keywork training", P, LO, SUM, ADULT_PRISONS, None,
         None, "Officers not yet trained, or overdue refresher training, for Keywork."),
        ("overdue-safer-custody", "Staff overdue Safer Custody training", P, LO, SUM, ALL, None,
         None, "Staff overdue role-specific Safer Custody training."),
        ("overdue-om-training", "Staff overdue Offender Management training", P, LO, SUM,
         ADULT_PRISONS, None, None, "POMs and OMU staff overdue role-specific training."),
        ("overdue-security-training", "Staff overdue Security training", P, LO, SUM, ALL, None,
         None, "Staff overdue role-specific Security training."),
        ("overdue-yjw-training", "Staff awaiting Youth Justice Worker training", P, LO, SUM,
         YOUTH, None, None, "Staff who have not yet started or completed the Youth Justice "
         "Worker programme."),
        ("overdue-secure-stairs", "Staff overdue SECURE STAIRS training", P, LO, SUM, YOUTH,
         None, None, "Staff overdue training in the SECURE STAIRS framework."),
        ("overdue-reflective-practice", "Staff without Guided Reflective Practice", P, LO, SUM,
         YOUTH, None, None, "Staff who have not had their Guided Reflective Practice sessions."),
    ],
    "non_productive_hours": [
        ("non-productive-hours", "Non-productive hours", H, LO, SUM, ALL, None, None,
         "Contracted hours not available for duty: leave, training, sickness, restricted "
         "duties."),
        ("non-productive-percent", "Non-productive hours as a share of contracted hours", PC,
         LO, MEAN, ALL, None, STAFF, "Non-productive hours over contracted hours, per cent."),
        ("covid-absence-hours", "Hours lost to Covid absence and restricted duties", H, LO, SUM,
         ALL, None, None, "Hours lost to Covid-related absence, isolation or restricted duties."),
        ("officer-vacancies", "Officer vacancies", P, LO, SUM, ALL, None, None,
         "Band 3 to 5 officer posts vacant against the staffing benchmark."),
    ],
    "hub_support": [
        ("business-hub-backlog", "Business and People Hub work outstanding", C, LO, SUM, ALL,
         None, None, "Items of Business Hub or People Hub work past their due date."),
        ("activities-hub-backlog", "Activities Hub allocations outstanding", C, LO, SUM,
         ADULT_PRISONS, None, None, "Prisoners awaiting allocation to an activity."),
    ],
    "high_risk_thematic": [
        ("thematic-meetings-suspended", "Safety, security and equality meetings not yet "
         "resumed", C, LO, SUM, ALL, None, None,
         "Regular meetings or consultations (safety, security, equality and diversity, "
         "Whitley Council, Use of Force Committee) suspended and not yet resumed."),
        ("dirfs-outstanding", "Discrimination incident reports outstanding", C, LO, SUM, ALL,
         None, None, "DIRFs not yet investigated and answered."),
    ],
    "resilience": [
        ("contingency-plans-not-tested", "Contingency plans not yet refreshed or tested", C, LO,
         SUM, ALL, None, None, "Local contingency plans not yet refreshed or exercised."),
        ("security-checks-outstanding", "Physical and procedural security checks outstanding",
         C, LO, SUM, ALL, None, None,
         "Security systems suspended or impacted and not yet assured."),
    ],
    "education": [
        ("learners-missed-accreditation", "Learners who missed accreditation", P, LO, SUM, ALL,
         None, None, "Learners whose course or exam accreditation was missed or postponed."),
        ("education-waiting-list", "Learners waiting for a place in education", P, LO, SUM,
         ALL, None, None, "Prisoners or children assessed and waiting for an education place."),
        ("teachers-awaiting-upskilling", "Teachers awaiting support to resume face-to-face "
         "delivery", P, LO, SUM, ALL, None, None,
         "Teachers needing upskilling or support before face-to-face teaching."),
        ("children-below-education-hours", "Children below their planned hours of education",
         P, LO, SUM, YOUTH, None, None,
         "Children receiving fewer hours of education than their plan sets."),
    ],
    "offender_management": [
        ("oasys-outstanding", "OASys assessments outstanding", C, LO, SUM, ADULT_PRISONS, None,
         None, "OASys assessments due and not completed."),
        ("parole-reports-outstanding", "Parole reports outstanding", C, LO, SUM, ADULT_PRISONS,
         None, None, "Parole dossier reports due and not completed."),
        ("categorisation-overdue", "Categorisation reviews overdue", C, LO, SUM, ADULT_PRISONS,
         None, None, "Categorisation and recategorisation reviews past their due date."),
        ("hdc-outstanding", "HDC cases outstanding", C, LO, SUM, ADULT_PRISONS, 0, None,
         "Home Detention Curfew cases eligible and not yet decided."),
        ("keywork-delivered", "Key work sessions delivered", PC, HI, MEAN, ADULT_PRISONS, None,
         None, "Key work sessions delivered as a share of those due, per cent."),
        ("fic-formulations-outstanding", "Children awaiting an Integrated Care formulation",
         P, LO, SUM, YOUTH, None, None,
         "Children without a current Framework for Integrated Care formulation."),
    ],
    "accredited_programmes": [
        ("obp-waiting-list", "Offending behaviour programme waiting list", P, LO, SUM,
         ADULT_PRISONS, None, None, "Prisoners assessed as suitable and waiting for an OBP."),
        ("obp-referrals", "OBP referrals awaiting assessment", P, LO, SUM, ADULT_PRISONS, None,
         None, "Prisoners referred and waiting for an OBP assessment."),
        ("ycs-interventions-waiting", "Children waiting for a YCS approved intervention", P, LO,
         SUM, YOUTH, None, None, "Children waiting to start an intervention their plan sets."),
    ],
    "health": [
        ("medical-appointments-outstanding", "Outstanding medical appointments", C, LO, SUM,
         ALL, None, None, "Internal healthcare appointments cancelled or postponed and not "
         "yet rebooked."),
        ("outpatient-appointments-outstanding", "Outstanding hospital outpatient appointments",
         C, LO, SUM, ALL, None, None, "External hospital appointments awaited."),
        ("dental-waiting-list", "Dental waiting list", P, LO, SUM, ALL, None, None,
         "People waiting for a dental appointment."),
        ("screening-outstanding", "Health screening assessments outstanding", C, LO, SUM, ALL,
         None, None, "Reception and secondary screening assessments not yet done."),
        ("drug-treatment-waiting", "Waiting for drug and alcohol treatment", P, LO, SUM, ALL,
         None, None, "People waiting for drug or alcohol treatment services to restart."),
        ("mental-health-waiting", "Waiting for a mental health assessment", P, LO, SUM, ALL,
         None, None, "People referred for a mental health assessment and not yet seen."),
    ],
    "regime_delivery": [
        ("time-unlocked", "Average time unlocked per day", H, HI, MEAN, ALL, None, None,
         "Average hours a prisoner or child spends out of cell or room each day."),
        ("purposeful-activity", "Population in purposeful activity", PC, HI, MEAN, ALL, None,
         None, "Share of the population in work, education or interventions, per cent."),
        ("video-call-hours", "Family video calling hours", H, HI, SUM, ALL, None, None,
         "Hours of family video calling offered in the period."),
        ("court-video-hours", "Additional court video hours", H, LO, SUM, ADULT, None, None,
         "Court video hours above the pre-Covid level that staff must cover."),
    ],
    "covid_controls": [
        ("covid-testing-hours", "Staff hours on Covid testing", H, LO, SUM, ALL, None, None,
         "Staff hours spent running Covid testing in the period."),
        ("contact-tracing-hours", "Staff hours on contact tracing and local SPOC", H, LO, SUM,
         ALL, None, None, "Staff hours spent on contact tracing and as local single point "
         "of contact."),
        ("staff-testing-uptake", "Staff taking part in regular testing", PC, HI, MEAN, ALL,
         None, STAFF, "Staff tested at least once a week, per cent of staff in post."),
    ],
}
AREAS = list(CATALOGUE)


def seed(apps, schema_editor):
    Metric = apps.get_model("backlogs", "Metric")
    ReturnSettings = apps.get_model("backlogs", "ReturnSettings")
    if not ReturnSettings.objects.exists():
        ReturnSettings.objects.create()
    created = {}
    order = 0
    for area in AREAS:
        for code, name, unit, direction, aggregation, types, target, _, text in CATALOGUE[area]:
            order += 10
            created[code], _ = Metric.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "description": text,
                    "area": area,
                    "unit": unit,
                    "direction": direction,
                    "aggregation": aggregation,
                    "establishment_types": list(types),
                    "national_target": target,
                    "order": order,
                },
            )
    for area in AREAS:
        for code, *rest in CATALOGUE[area]:
            weight = rest[6]
            if weight:
                Metric.objects.filter(code=code).update(weight_metric=created[weight])


def unseed(apps, schema_editor):
    Metric = apps.get_model("backlogs", "Metric")
    codes = [row[0] for rows in CATALOGUE.values() for row in rows]
    Metric.objects.filter(code__in=codes).update(weight_metric=None)
    Metric.objects.filter(code__in=codes, values__isnull=True, lrp_lines__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("backlogs", "0001_catalogue_plans_returns_calls_releases")]

    operations = [migrations.RunPython(seed, unseed)]
