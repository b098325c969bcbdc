"""Results recorded and groups uploaded at the same moment: every result keeps its own code, every group its
own place in the album."""

import threading

import pytest

from hayat.core import clock, codes
from hayat.core.tests.concurrency import run_in_parallel
from hayat.lab import services
from hayat.lab.models import AttachmentGroup, LabResult
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


@pytest.mark.django_db(transaction=True)
def test_two_results_drawing_the_same_code_at_once_both_land_with_different_codes(make_user, monkeypatch):
    doctor = make_user("doctor", user_id="parallel-coder")
    patient, test_type = make_patient(), LabTestTypeFactory(code="CBC")
    drawn, lock, real_code = [], threading.Lock(), codes.random_code

    def same_code_twice(length: int = 5) -> str:
        with lock:
            drawn.append(None)
            return "SAME22" if len(drawn) <= 2 else real_code(length)

    monkeypatch.setattr(codes, "random_code", same_code_twice)

    def record(index: int):
        return services.create_result(by=doctor, patient=patient, data=services.ResultData(
            test_type=test_type, summary=f"Result {index}", performed_by=doctor, performed_at=clock.now()))

    outcomes = run_in_parallel(record, 2)
    assert all(isinstance(outcome, LabResult) for outcome in outcomes), outcomes
    stored = sorted(LabResult.objects.values_list("code", flat=True))
    assert len(stored) == 2 and len(set(stored)) == 2 and "SAME22" in stored
