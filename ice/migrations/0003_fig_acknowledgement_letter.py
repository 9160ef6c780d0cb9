"""The letter the internal ICE team sends the client after a failed ICE
gateway (seed 000 step 2): their complaint goes back to our complaints
process (Resolution or Review). A clerical letter, English and Welsh, made
as an admin save would make it (version 1 with its version record)."""

from django.db import migrations
from django.utils import timezone

CODE = "ICE-FIG-ACK"
HEADING = ("Your complaint to the Independent Case Examiner", "Eich cwyn i’r Archwilydd Achosion Annibynnol")
GUIDANCE = ("ICE route, failed gateway: sent when the failed ICE gateway notification is logged. It tells the "
            "client that ICE has passed their complaint back to us and that our complaints team will deal with it. "
            "Add anything the client needs to know under “What happens next”, or leave it empty.")
PARAGRAPHS = [
    ("CW_ICE_FIG_1_E", "CW_ICE_FIG_1_W", "ICE failed gateway: complaint passed back",
     "The Independent Case Examiner (ICE) has told us that your complaint about the {{ organisation_name }} has not "
     "yet been through our complaints process. ICE has passed it back to us so that we can look into it first.",
     "Mae’r Archwilydd Achosion Annibynnol (ICE) wedi dweud wrthym nad yw eich cwyn am y {{ organisation_name }} "
     "wedi bod drwy ein proses gwyno eto. Mae ICE wedi’i hanfon yn ôl atom er mwyn i ni edrych arni yn gyntaf."),
    ("CW_ICE_FIG_2_E", "CW_ICE_FIG_2_W", "ICE failed gateway: what happens next",
     "Our complaints team will contact you about your complaint and aim to resolve it within 8 weeks. If you are "
     "still unhappy once our complaints process is complete, you can go back to ICE. Your reference is "
     "{{ reference }}.",
     "Bydd ein tîm cwynion yn cysylltu â chi ynglŷn â’ch cwyn ac yn anelu at ei datrys cyn pen 8 wythnos. Os "
     "ydych yn dal yn anfodlon pan fydd ein proses gwyno wedi’i chwblhau, gallwch fynd yn ôl at ICE. Eich "
     "cyfeirnod yw {{ reference }}."),
]
PARTS = [
    {"kind": "paragraph", "paragraph": "CW_ICE_FIG_1_E", "key": "", "is_default": False, "heading": "",
     "heading_cy": "", "required": True, "max_length": 3000, "hint": ""},
    {"kind": "free_text", "paragraph": None, "key": "next", "is_default": False,
     "heading": "What happens next", "heading_cy": "Beth sy’n digwydd nesaf", "required": False,
     "max_length": 3000, "hint": "Anything the client needs to know about how their complaint will be dealt with."},
    {"kind": "paragraph", "paragraph": "CW_ICE_FIG_2_E", "key": "", "is_default": False, "heading": "",
     "heading_cy": "", "required": True, "max_length": 3000, "hint": ""},
]


def seed(apps, schema_editor):
    Paragraph = apps.get_model("letters", "Paragraph")
    ParagraphVersion = apps.get_model("letters", "ParagraphVersion")
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    LetterTemplateVersion = apps.get_model("letters", "LetterTemplateVersion")
    TemplatePart = apps.get_model("letters", "TemplatePart")
    if LetterTemplate.objects.filter(code=CODE).exists():
        return
    now = timezone.now()
    by_code = {}
    for en_code, cy_code, title, en_text, cy_text in PARAGRAPHS:
        english = Paragraph.objects.create(code=en_code, language="en", title=title, text=en_text, version=1,
                                           updated_at=now)
        welsh = Paragraph.objects.create(code=cy_code, language="cy", english=english, title=title + " (Welsh)",
                                         text=cy_text, version=1, updated_at=now, english_version=1)
        for p in (english, welsh):
            ParagraphVersion.objects.create(paragraph=p, version=1, title=p.title, text=p.text, created_at=now)
        by_code[en_code] = english
    template = LetterTemplate.objects.create(
        code=CODE, heading=HEADING[0], heading_cy=HEADING[1], guidance=GUIDANCE, allowed_states={"ice": ["closed"]},
        reply_days=None, version=1, updated_at=now,
    )
    snapshot_parts = []
    for position, spec in enumerate(PARTS, start=1):
        spec = dict(spec)
        code = spec.pop("paragraph")
        part = TemplatePart.objects.create(template=template, position=position * 10,
                                           paragraph=by_code[code] if code else None, **spec)
        snapshot_parts.append({"position": part.position, "kind": part.kind, "paragraph": code, "key": part.key,
                               "is_default": part.is_default, "heading": part.heading,
                               "heading_cy": part.heading_cy, "required": part.required,
                               "max_length": part.max_length, "hint": part.hint})
    snapshot = {"code": CODE, "heading": HEADING[0], "heading_cy": HEADING[1], "guidance": GUIDANCE,
                "allowed_states": {"ice": ["closed"]}, "reply_days": None, "active": True, "parts": snapshot_parts}
    LetterTemplateVersion.objects.create(template=template, version=1, snapshot=snapshot, created_at=now)


def unseed(apps, schema_editor):
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    Paragraph = apps.get_model("letters", "Paragraph")
    template = LetterTemplate.objects.filter(code=CODE).first()
    if template is not None and not template.issued.exists():
        template.parts.all().delete()
        template.versions.all().delete()
        template.delete()
        codes = [p[1] for p in PARAGRAPHS] + [p[0] for p in PARAGRAPHS]
        for code in codes:
            for paragraph in Paragraph.objects.filter(code=code):
                paragraph.versions.all().delete()
                paragraph.delete()


class Migration(migrations.Migration):
    dependencies = [("ice", "0002_ice_details"), ("letters", "0005_welsh_paragraph_in_step")]

    operations = [migrations.RunPython(seed, unseed)]
