from django.conf import settings

from hayat.backup.models import Backup
from hayat.core import clock


def samples(personas: dict) -> dict[str, dict]:
    backup = Backup.objects.create(file_name="hayat-20261121-090000-manual.zip", kind="manual", status="failed",
                                   location=str(settings.HAYAT_BACKUP_DIR), error="disk full", started_at=clock.now())
    pk = {"pk": backup.pk}
    return {"backup:schedule": {}, "backup:row": pk, "backup:download": pk, "backup:verify": pk, "backup:restore": pk,
            "backup-detail": pk, "backup-verify": pk, "backup-restore": pk, "backup-download": pk}
