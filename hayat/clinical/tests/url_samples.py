from hayat.accounts.tests.factories import DepartmentFactory
from hayat.catalog.models import Service, ServiceType
from hayat.clinical import services
from hayat.clinical.models import DiagnosisRank, IcdCode, IcdDepartmentMapping, TimedUse
from hayat.clinical.tests.factories import RECEPTION_FIELDS
from hayat.core import clock
from hayat.core.roles import Role
from hayat.patients.tests.factories import PatientFactory


def samples(personas: dict) -> dict[str, dict]:
    """A pending episode with one code (one ICD row is enough: the full list is slow to load per route)."""
    doctor = personas[Role.DOCTOR]
    code = IcdCode.objects.create(code="I21.4", title="Non-ST elevation (NSTEMI) myocardial infarction")
    mapping = IcdDepartmentMapping.objects.create(first="I00", last="I99", department=DepartmentFactory())
    episode = services.register_episode(by=personas[Role.RECEPTIONIST], patient=PatientFactory(),
                                        fields=RECEPTION_FIELDS)
    diagnosis = services.add_diagnosis(by=doctor, episode=episode, code=code, rank=DiagnosisRank.PRINCIPAL)
    episode_routes = ["episode_detail", "episode_edit", "vitals_add", "diagnosis_add", "send_to_coding",
                      "return_to_doctor", "complete_coding", "assign_bed", "transfer", "discharge", "cancel",
                      "timed_use_start"]
    oxygen = Service.objects.create(service_type=ServiceType.objects.create(name="Respiratory"), name="Oxygen",
                                    price="5000", charged_by_time=True)
    use = TimedUse.objects.create(episode=episode, service=oxygen, started_at=clock.now(), rate=oxygen.price,
                                  started_by=doctor, open_key=f"{episode.pk}:{oxygen.pk}")
    api_routes = ["episode-detail", "episode-vitals", "episode-diagnoses", "episode-ready-for-coding",
                  "episode-return-to-doctor", "episode-code", "episode-assign-bed", "episode-transfer",
                  "episode-discharge", "episode-cancel", "episode-suggested-physicians"]
    return {
        **{f"clinical:{name}": {"pk": episode.pk} for name in episode_routes},
        "clinical:diagnosis_amend": {"pk": episode.pk, "diagnosis_pk": diagnosis.pk},
        "clinical:mapping_edit": {"pk": mapping.pk},
        "clinical:mapping_delete": {"pk": mapping.pk},
        **{name: {"pk": episode.pk} for name in api_routes},
        "episode-diagnosis": {"pk": episode.pk, "diagnosis_pk": diagnosis.pk},
        "icd-code-detail": {"code": code.code},
        "icd-mapping-detail": {"pk": mapping.pk},
        "episode-timed-uses": {"pk": episode.pk},
        "clinical:timed_use_stop": {"pk": use.pk},
        "timed-use-stop": {"pk": use.pk},
        "clinical:timed_use_undo": {"pk": use.pk},
        "timed-use-undo": {"pk": use.pk},
    }
