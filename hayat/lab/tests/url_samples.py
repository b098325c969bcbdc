from hayat.core.roles import Role
from hayat.lab import services
from hayat.lab.tests import samples as files
from hayat.lab.tests.factories import LabTestTypeFactory, make_result


def samples(personas: dict) -> dict[str, dict]:
    doctor = personas[Role.DOCTOR]
    test_type = LabTestTypeFactory(code="CBC", name="Complete blood count")
    result = make_result(by=doctor, test_type=test_type,
                         group=services.GroupData("CBC printout", [files.png("page1.png")]))
    group = result.groups.get()
    attachment = group.files.get()
    return {
        "lab:result_detail": {"pk": result.pk},
        "lab:result_edit": {"pk": result.pk},
        "lab:group_add": {"pk": result.pk},
        "lab:group_delete": {"pk": group.pk},
        "lab:attachment_file": {"pk": attachment.pk},
        "lab:attachment_thumbnail": {"pk": attachment.pk},
        "lab:attachment_delete": {"pk": attachment.pk},
        "lab:test_type_edit": {"pk": test_type.pk},
        "lab-result-detail": {"pk": result.pk},
        "lab-result-groups": {"pk": result.pk},
        "lab-group-detail": {"pk": group.pk},
        "lab-file-detail": {"pk": attachment.pk},
        "lab-file-download": {"pk": attachment.pk},
        "lab-file-thumbnail": {"pk": attachment.pk},
        "lab-test-type-detail": {"pk": test_type.pk},
    }
