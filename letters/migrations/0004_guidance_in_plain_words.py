"""Guidance caseworkers read quoted the written procedures by name and step
number: the same guidance in plain words, as a new version of each
template changed. REWORDED finds the old citation (a parenthesis naming a
document and its step) in databases made before, and gives its plain words."""

import re

from django.db import migrations
from django.utils import timezone

REWORDED = {
    "RES-ACK": (
        re.compile(r"\(the overview \w+: acknowledge a formal complaint by post straight after it is logged\)"),
        ": a formal complaint is acknowledged by post straight after it is logged",
    ),
    "CMSL5801": (re.compile(r"for the client's agreement \(\w+ \d+, step \d+\)\."), "for the client's agreement."),
}


def reword(apps, schema_editor):
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    LetterTemplateVersion = apps.get_model("letters", "LetterTemplateVersion")
    now = timezone.now()
    for code, (old, new) in REWORDED.items():
        template = LetterTemplate.objects.filter(code=code).first()
        if template is None or not old.search(template.guidance):
            continue
        template.guidance = old.sub(new, template.guidance)
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
