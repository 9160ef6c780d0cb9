import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("complaints", "0006_plan_status_wording"),
        ("ice", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="IceDetails",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("ice_reference", models.CharField(blank=True, max_length=40, verbose_name="ICE's reference")),
                ("final_response_on", models.DateField(blank=True, null=True, verbose_name="final response sent on")),
                ("contacted_ice_on", models.DateField(blank=True, null=True, verbose_name="client contacted ICE on")),
                ("mp_clearance_on", models.DateField(blank=True, null=True, verbose_name="MP's clearance letter dated")),
                ("referred_by_phso", models.BooleanField(default=False, verbose_name="referred to ICE by PHSO")),
                ("client_gave_copy", models.BooleanField(default=False, verbose_name="client gave ICE a copy of the response")),
                ("gateway_proposal", models.CharField(blank=True, choices=[("pass", "Pass"), ("fail", "Fail")], max_length=4)),
                ("gateway_override_reason", models.TextField(blank=True)),
                ("third_party_account", models.CharField(blank=True, max_length=20, verbose_name="3rd Party Account")),
                ("fig_received_on", models.DateField(blank=True, null=True, verbose_name="FIG received on")),
                ("ice_outcome", models.CharField(blank=True, choices=[("upheld", "Upheld"), ("partly_upheld", "Partly upheld"), ("not_upheld", "Not upheld")], max_length=20, verbose_name="ICE's outcome for the client")),
                ("final_response_sr", models.ForeignKey(blank=True, help_text="The Review (or chief executive) SR whose final response the client complained to ICE about", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="complaints.servicerequest")),
                ("sr", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="ice_details", to="complaints.servicerequest")),
            ],
            options={
                "verbose_name": "ICE details",
                "verbose_name_plural": "ICE details",
            },
        ),
    ]
