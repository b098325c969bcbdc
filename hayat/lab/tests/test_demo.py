"""The demo laboratory: realistic results with files, and a second run adds nothing."""

import pytest

from hayat.accounts import demo as accounts_demo
from hayat.lab import demo
from hayat.lab.models import Attachment, AttachmentGroup, LabResult, LabTestType
from hayat.lab.tests.factories import make_patient

pytestmark = pytest.mark.django_db


def test_the_demo_seed_is_idempotent_and_every_file_passes_the_content_check(clock):
    accounts_demo.seed()
    for index in range(8):
        make_patient(first_name=f"Demo{index}", last_name="Patient")
    demo.seed()
    counts = (LabTestType.objects.count(), LabResult.objects.count(), AttachmentGroup.objects.count(),
              Attachment.objects.count())
    assert counts[0] >= 12 and counts[1] == len(demo.RESULTS) and counts[3] > counts[2] > 0
    assert set(Attachment.objects.values_list("content_type", flat=True)) == {"application/pdf", "image/jpeg",
                                                                             "image/png"}
    demo.seed()
    assert (LabTestType.objects.count(), LabResult.objects.count(), AttachmentGroup.objects.count(),
            Attachment.objects.count()) == counts
