

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('clinical', '0006_icd_titles_and_common_codes'),
        ('clinical', '0006_timed_uses'),
    ]

    operations = [
    ]
