"""One open episode and one open bed assignment per patient, as unique keys the database enforces.

Episode.open_patient is computed by the database from status and patient. BedAssignment.open_patient is
written by the bed use cases; here it is filled for the assignments open today, and 0004 makes it unique.
A database that already breaks either rule stops the upgrade with the cases to correct, rather than
having one of them changed silently.
"""

from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery

OPEN_STATUSES = ("pending", "ready_for_coding", "admitted", "outpatient")


def refuse_patients_with_two_open_rows(apps, schema_editor):
    Episode = apps.get_model("clinical", "Episode")
    BedAssignment = apps.get_model("clinical", "BedAssignment")
    twice_open = (Episode.objects.filter(status__in=OPEN_STATUSES).values("patient_id")
                  .annotate(open=Count("id")).filter(open__gt=1).values("patient_id"))
    twice_in_bed = (BedAssignment.objects.filter(ended_at__isnull=True).values("episode__patient_id")
                    .annotate(open=Count("id")).filter(open__gt=1).values("episode__patient_id"))
    cases = sorted(Episode.objects.filter(status__in=OPEN_STATUSES, patient_id__in=twice_open)
                   .values_list("case_number", flat=True))
    cases += sorted(Episode.objects.filter(bed_assignments__ended_at__isnull=True,
                                           patient_id__in=twice_in_bed).values_list("case_number", flat=True))
    if cases:
        raise RuntimeError(
            "These open episodes or bed assignments belong to a patient who has another open one: "
            f"{', '.join(dict.fromkeys(cases))}. Discharge or cancel the extra episodes (or end the extra bed "
            "assignments) with the previous version, then upgrade again.")


def fill_open_patient_of_open_assignments(apps, schema_editor):
    Episode = apps.get_model("clinical", "Episode")
    BedAssignment = apps.get_model("clinical", "BedAssignment")
    BedAssignment.objects.filter(ended_at__isnull=True).update(
        open_patient=Subquery(Episode.objects.filter(pk=OuterRef("episode_id")).values("patient_id")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("clinical", "0002_open_keys_not_null"),
    ]

    operations = [
        migrations.RunPython(refuse_patients_with_two_open_rows, migrations.RunPython.noop),
        migrations.AddField(
            model_name="episode",
            name="open_patient",
            field=models.GeneratedField(db_persist=True, expression=models.Case(models.When(status__in=("pending", "ready_for_coding", "admitted", "outpatient"), then=models.F("patient")), default=None), output_field=models.BigIntegerField(null=True), unique=True),
        ),
        migrations.AddField(
            model_name="bedassignment",
            name="open_patient",
            field=models.BigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill_open_patient_of_open_assignments, migrations.RunPython.noop),
    ]
