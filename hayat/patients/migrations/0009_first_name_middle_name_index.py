from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("patients", "0008_name_vocabulary"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="patient",
            index=models.Index(fields=["first_name_key", "middle_name_key"], name="patient_first_middle"),
        ),
    ]
