"""Kept counts of deadlines for the dashboard (sla.counts), filled from the clocks."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill(apps, schema_editor):
    """Count the clocks there are (sla.counts.recount, on this migration's models)."""
    from sla.counts import recount

    recount(apps.get_model("sla", "DeadlineClock"), apps.get_model("sla", "DeadlineCount"),
            apps.get_model("sla", "OwnerDeadlineCount"))


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_team_welsh_name'),
        ('sla', '0010_task_writes_for_the_scan'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DeadlineCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('due', 'Running, by due date'), ('met', 'Met, by the day met'), ('own', 'Running, ours, by owner and due date')], max_length=3)),
                ('day', models.DateField()),
                ('route', models.CharField(choices=[('resolution', 'Resolution'), ('review', 'Review'), ('ice', 'ICE'), ('phso', 'PHSO')], max_length=20)),
                ('n', models.IntegerField(default=0)),
                ('on_time', models.IntegerField(default=0, help_text='Met on or before the due date (met counts only)')),
                ('rule', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='sla.deadlinerule')),
                ('team', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.team')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('team', 'kind', 'day', 'rule', 'route'), name='deadline_count_key')],
            },
        ),
        migrations.CreateModel(
            name='OwnerDeadlineCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('route', models.CharField(choices=[('resolution', 'Resolution'), ('review', 'Review'), ('ice', 'ICE'), ('phso', 'PHSO')], max_length=20)),
                ('n', models.IntegerField(default=0)),
                ('owner', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('team', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.team')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('team', 'day', 'owner', 'route'), name='owner_deadline_count_key')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
