from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("stays", "0012_booking_bill_per_guest"),
        ("stays", "0012_service_usage_undo"),
    ]
    operations = []
