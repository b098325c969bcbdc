"""Groups uploaded to one result at the same moment each get their own place in the album."""

import pytest

from hayat.core.tests.concurrency import run_in_parallel
from hayat.lab import services
from hayat.lab.models import AttachmentGroup
from hayat.lab.tests import samples
from hayat.lab.tests.factories import LabTestTypeFactory, make_patient, make_result


@pytest.mark.django_db(transaction=True)
def test_parallel_uploads_to_one_result_all_land_in_upload_order(make_user):
    doctor = make_user("doctor", user_id="parallel-doctor")
    result = make_result(by=doctor, patient=make_patient(), test_type=LabTestTypeFactory(code="CBC"))

    def upload(index: int):
        return services.add_group(by=doctor, result=result, group=services.GroupData(
            f"Upload {index}", [samples.png(f"scan-{index}.png"), samples.pdf(f"report-{index}.pdf")]))

    outcomes = run_in_parallel(upload, 4)
    assert all(isinstance(outcome, AttachmentGroup) for outcome in outcomes), outcomes
    positions = sorted(AttachmentGroup.objects.filter(result=result).values_list("position", flat=True))
    assert positions == [1, 2, 3, 4]
    for group in AttachmentGroup.objects.filter(result=result):
        assert [item.position for item in group.files.all()] == [1, 2]
