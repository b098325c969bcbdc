

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0004_bill_opened_index'),
        ('billing', '0005_timed_service_lines'),
    ]

    operations = [
    ]
