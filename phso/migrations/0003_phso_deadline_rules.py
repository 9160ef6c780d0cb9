"""The PHSO deadlines DESIGN §4 does not list but the procedure needs: a
reminder to chase the Ombudsman when no decision arrives after case
information or the PTI response was sent (seed step 2: the Ombudsman does
not always say it has not taken a case on), and the Ombudsman's target
date for the final approved response (seed step 13), which a team leader
extends and the DG caselist shows. Editable in admin like every rule."""

from django.db import migrations

# (code, route, name, starts when, length, alternative length, unit, met when, is_wait)
RULES = [
    ("phso.chase", "phso", "Chase the Ombudsman for a decision",
     "Case information or the response to the proposal to investigate sent", 6, None, "weeks",
     "The Ombudsman's decision arrives", True),
    ("phso.target_date", "phso", "Final approved response (the Ombudsman's target date)",
     "Summary of complaint received", None, None, "set_by_other", "Final decision letter received", False),
]


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("sla", "DeadlineRule")
    for code, route, name, starts, length, alternative, unit, met, is_wait in RULES:
        DeadlineRule.objects.update_or_create(
            code=code,
            defaults=dict(route=route, name=name, starts_when=starts, length=length,
                          alternative_length=alternative, unit=unit, met_when=met, is_wait=is_wait),
        )


def unseed(apps, schema_editor):
    DeadlineRule = apps.get_model("sla", "DeadlineRule")
    DeadlineRule.objects.filter(code__in=[r[0] for r in RULES], clocks__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("phso", "0002_phso_details"), ("sla", "0006_labelled_clocks_role_tasks")]
    operations = [migrations.RunPython(seed, unseed)]
