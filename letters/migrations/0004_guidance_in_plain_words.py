"""Guidance caseworkers read quoted the written procedures by name and step
number: the same guidance in plain words, as a new version of each
template changed. REWORDED holds the old wording only to find and replace
it in databases made before."""

from django.db import migrations
from django.utils import timezone

REWORDED = {
    "RES-ACK": (
        "(the overview seed: acknowledge a formal complaint by post straight after it is logged)",
        ": a formal complaint is acknowledged by post straight after it is logged",
    ),
    "CMSL5801": ("for the client's agreement (seed 001, step 12).", "for the client's agreement."),
}


def reword(apps, schema_editor):
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    LetterTemplateVersion = apps.get_model("letters", "LetterTemplateVersion")
    now = timezone.now()
    for code, (old, new) in REWORDED.items():
        template = LetterTemplate.objects.filter(code=code).first()
        if template is None or old not in template.guidance:
            continue
        template.guidance = template.guidance.replace(old, new)
        last = LetterTemplateVersion.objects.filter(template=template).order_by("-version").first()
        template.version = (last.version if last else template.version) + 1
        template.updated_at = now
        template.save(update_fields=["guidance", "version", "updated_at"])
        snapshot = dict(last.snapshot) if last else {"code": code}
        snapshot["guidance"] = template.guidance
        LetterTemplateVersion.objects.create(template=template, version=template.version, snapshot=snapshot,
                                             created_at=now)


class Migration(migrations.Migration):
    dependencies = [("letters", "0003_outgoing_email")]

    operations = [migrations.RunPython(reword, migrations.RunPython.noop)]
