

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_audit_seals'),
        ('core', '0003_idempotency_record'),
    ]

    operations = [
    ]
