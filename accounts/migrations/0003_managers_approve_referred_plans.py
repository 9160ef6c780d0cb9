"""Managers decide on plans referred to their grade: the Manager role gets
complaints.approve_plan. (accounts.roles.sync_role_permissions keeps every
role's permissions after each migrate; this grants it in the migration
history too, so a database migrated to here has it whatever runs next.)"""

from django.db import migrations


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    # On a fresh database permissions are created after all migrations
    # (post_migrate); create this one now so the grant does not wait for it.
    content_type, _ = ContentType.objects.get_or_create(app_label="complaints", model="servicerequest")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="approve_plan",
        defaults={"name": "Can approve resolution plans and redress"})
    group, _ = Group.objects.get_or_create(name="Manager")
    group.permissions.add(permission)


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name="Manager").first()
    if group is not None:
        group.permissions.remove(*group.permissions.filter(content_type__app_label="complaints",
                                                            codename="approve_plan"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles_and_grades"),
        ("complaints", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
