"""The vocabulary of names "did you mean" searches (see hayat.patients.vocabulary), filled from the patients.

On PostgreSQL a trigram index on its words finds the spellings nearest a mistyped one; other engines read the
words nearest in the order of the unique index.
"""

from django.db import migrations, models


def fill(apps, schema_editor):
    from hayat.patients.vocabulary import rebuild

    rebuild(apps.get_model("patients", "Patient"), apps.get_model("patients", "NameWord"))


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX IF NOT EXISTS name_word_key_trgm ON patients_nameword "
                              "USING gin (key gin_trgm_ops)")


class Migration(migrations.Migration):

    dependencies = [
        ("patients", "0007_name_key_statistics"),
    ]

    operations = [
        migrations.CreateModel(
            name="NameWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=80, unique=True)),
                ("patients", models.IntegerField(default=0)),
            ],
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, migrations.RunPython.noop, elidable=False),
    ]
