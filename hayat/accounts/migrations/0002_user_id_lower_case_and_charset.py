"""User IDs are stored in lower case from now on; existing ones are lowered before the constraint applies.

Two accounts whose IDs differed only in case (possible before through createsuperuser or the shell) cannot
both keep their ID: the later one becomes `<id>-<its number>`, which Admin sees in the user list.
"""

import django.core.validators
import django.db.models.functions.text
from django.db import migrations, models


def lower_user_ids(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    users = list(User.objects.order_by("pk").values_list("pk", "user_id"))
    taken = {user_id for _pk, user_id in users if user_id == user_id.strip().lower()}
    for pk, user_id in users:
        lowered = user_id.strip().lower()
        if lowered == user_id:
            continue
        if lowered in taken:
            lowered = f"{lowered[:30]}-{pk}"
        taken.add(lowered)
        User.objects.filter(pk=pk).update(user_id=lowered)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicaluser',
            name='user_id',
            field=models.CharField(db_index=True, help_text='What the person types to log in, e.g. nurse.karimova or 10452.', max_length=40, validators=[django.core.validators.RegexValidator('^[A-Za-z0-9][A-Za-z0-9._-]{2,39}\\Z', 'A user ID has 3 to 40 characters: letters a-z, digits, dots, dashes and underscores, and starts with a letter or a digit.', code='invalid_user_id')], verbose_name='user ID'),
        ),
        migrations.AlterField(
            model_name='user',
            name='user_id',
            field=models.CharField(help_text='What the person types to log in, e.g. nurse.karimova or 10452.', max_length=40, unique=True, validators=[django.core.validators.RegexValidator('^[A-Za-z0-9][A-Za-z0-9._-]{2,39}\\Z', 'A user ID has 3 to 40 characters: letters a-z, digits, dots, dashes and underscores, and starts with a letter or a digit.', code='invalid_user_id')], verbose_name='user ID'),
        ),
        migrations.RunPython(lower_user_ids, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(('user_id', django.db.models.functions.text.Lower('user_id'))), name='user_id_lower_case'),
        ),
    ]
