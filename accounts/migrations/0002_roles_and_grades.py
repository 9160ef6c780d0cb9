from decimal import Decimal

from django.db import migrations

ROLES = ["Caseworker", "Team Leader", "Manager", "Letter Admin", "Head of Complaints Review", "Admin"]

# Civil-service grades and the largest redress each may approve on one
# plan. Starting values only: admins edit them (accounts > grades).
GRADES = [
    ("AA", "Administrative Assistant", 1, "0"),
    ("AO", "Administrative Officer", 2, "0"),
    ("EO", "Executive Officer", 3, "500"),
    ("HEO", "Higher Executive Officer", 4, "2500"),
    ("SEO", "Senior Executive Officer", 5, "10000"),
    ("G7", "Grade 7", 6, "25000"),
    ("G6", "Grade 6", 7, "100000"),
    ("SCS1", "Senior Civil Service 1 (Deputy Director)", 8, "1000000"),
]


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Grade = apps.get_model("accounts", "Grade")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    for code, name, rank, limit in GRADES:
        Grade.objects.update_or_create(code=code, defaults={"name": name, "rank": rank,
                                                             "approval_limit": Decimal(limit)})


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()
    apps.get_model("accounts", "Grade").objects.filter(code__in=[g[0] for g in GRADES]).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(forwards, backwards)]
