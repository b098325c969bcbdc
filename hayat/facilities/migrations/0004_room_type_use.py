"""Room types say what they are for; an existing type whose rooms belong to a ward is a hospital type."""

from django.db import migrations, models


def hospital_types_by_their_wards(apps, schema_editor):
    RoomType = apps.get_model("facilities", "RoomType")
    Room = apps.get_model("facilities", "Room")
    in_wards = Room.objects.filter(ward__isnull=False).values("room_type_id")
    RoomType.objects.filter(pk__in=in_wards).update(use="hospital")


class Migration(migrations.Migration):

    dependencies = [
        ('facilities', '0003_room_type_charge_policy'),
    ]

    operations = [
        migrations.AddField(
            model_name='roomtype',
            name='use',
            field=models.CharField(choices=[('sanatorium', 'Sanatorium stays'), ('hospital', 'Hospital beds')], default='sanatorium', help_text='Only rooms for sanatorium stays are offered when booking.', max_length=12, verbose_name='used for'),
        ),
        migrations.AddConstraint(
            model_name='roomtype',
            constraint=models.CheckConstraint(condition=models.Q(('use__in', ['sanatorium', 'hospital'])), name='room_type_use_valid'),
        ),
        migrations.RunPython(hospital_types_by_their_wards, migrations.RunPython.noop),
    ]
