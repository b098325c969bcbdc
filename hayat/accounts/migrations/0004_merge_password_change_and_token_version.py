

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_token_version'),
        ('accounts', '0003_user_must_change_password'),
    ]

    operations = [
    ]
