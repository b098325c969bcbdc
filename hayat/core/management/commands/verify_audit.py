"""`manage.py verify_audit`: seals what is pending, walks the audit chain and says whether it is intact."""

import sys

from django.core.management.base import BaseCommand

from hayat.core import audit_chain


class Command(BaseCommand):
    help = "Walks the sealed audit trail and names the first row that was changed, deleted or inserted."

    def handle(self, *args, **options) -> None:
        audit_chain.seal_pending()
        verdict = audit_chain.verify()
        if not verdict.intact:
            self.stderr.write(str(verdict))
            sys.exit(1)
        self.stdout.write(str(verdict))
