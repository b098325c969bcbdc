"""Seals the audit trail and the access log (rows written before get their seal now) and makes them, and the
chain, append-only in the database."""

import secrets

from django.db import migrations, models

from hayat.core import append_only, audit_chain


def seal_existing_rows(apps, schema_editor):
    for kind, name in ((audit_chain.EVENT, "AuditEvent"), (audit_chain.ACCESS, "AccessLogEntry")):
        model = apps.get_model("core", name)
        rows = list(model.objects.filter(nonce=None).order_by("id").iterator(chunk_size=audit_chain.BATCH))
        for row in rows:
            row.nonce = secrets.token_hex(16)
            if kind == audit_chain.EVENT:
                row.detail_digest = audit_chain.detail_digest(row.changes, row.note)
            row.seal = audit_chain.seal_of(kind, {field: getattr(row, field)
                                                  for field in audit_chain.SEALED_FIELDS[kind]})
        fields = ["nonce", "seal"] + (["detail_digest"] if kind == audit_chain.EVENT else [])
        model.objects.bulk_update(rows, fields, batch_size=1000)


def install_triggers(apps, schema_editor):
    append_only.install(schema_editor)


def remove_triggers(apps, schema_editor):
    append_only.remove(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_notification_outbox'),
    ]

    operations = [
        migrations.AddField(
            model_name='accesslogentry',
            name='nonce',
            field=models.CharField(editable=False, max_length=32, null=True, unique=True, verbose_name='nonce'),
        ),
        migrations.AddField(
            model_name='accesslogentry',
            name='seal',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='seal'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='detail_digest',
            field=models.CharField(blank=True, max_length=64, verbose_name='digest of changes and note'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='nonce',
            field=models.CharField(editable=False, max_length=32, null=True, unique=True, verbose_name='nonce'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='seal',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='seal'),
        ),
        migrations.CreateModel(
            name='AuditChainLink',
            fields=[
                ('seq', models.BigIntegerField(primary_key=True, serialize=False, verbose_name='position')),
                ('kind', models.CharField(choices=[('e', 'audit event'), ('a', 'patient access')], max_length=1, verbose_name='table')),
                ('row_id', models.BigIntegerField(verbose_name='row')),
                ('row_seal', models.CharField(max_length=64, verbose_name='row seal')),
                ('link', models.CharField(max_length=64, verbose_name='link')),
                ('sealed_at', models.DateTimeField(verbose_name='sealed')),
            ],
            options={
                'verbose_name': 'audit chain link',
                'verbose_name_plural': 'audit chain',
                'constraints': [models.UniqueConstraint(fields=('kind', 'row_id'), name='audit_chain_row_once')],
            },
        ),
        migrations.RunPython(seal_existing_rows, migrations.RunPython.noop),
        migrations.RunPython(install_triggers, remove_triggers, atomic=False),  # DDL: MariaDB commits it at once
    ]
