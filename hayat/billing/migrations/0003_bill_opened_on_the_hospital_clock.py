from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_opened_at(apps, schema_editor):
    """A bill opened when its first history row was written; created_at where that row is missing."""
    Bill = apps.get_model("billing", "Bill")
    BillStatusChange = apps.get_model("billing", "BillStatusChange")
    first = BillStatusChange.objects.filter(bill=OuterRef("pk")).order_by("at", "id").values("at")[:1]
    Bill.objects.update(opened_at=Subquery(first))
    Bill.objects.filter(opened_at__isnull=True).update(opened_at=models.F("created_at"))


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_bed_time_schedule")]

    operations = [
        migrations.AddField(
            model_name="bill", name="opened_at",
            field=models.DateTimeField(editable=False, null=True, verbose_name="opened"),
        ),
        migrations.RunPython(fill_opened_at, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="bill", name="opened_at",
            field=models.DateTimeField(editable=False, verbose_name="opened"),
        ),
        migrations.AlterModelOptions(
            name="bill",
            options={"ordering": ["-opened_at", "-id"], "verbose_name": "bill", "verbose_name_plural": "bills"},
        ),
        migrations.RemoveIndex(model_name="bill", name="bill_status_created"),
        migrations.RemoveIndex(model_name="bill", name="bill_patient_created"),
        migrations.AddIndex(model_name="bill",
                            index=models.Index(fields=["status", "opened_at"], name="bill_status_opened")),
        migrations.AddIndex(model_name="bill",
                            index=models.Index(fields=["patient", "opened_at"], name="bill_patient_opened")),
    ]
