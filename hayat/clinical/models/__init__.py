"""The clinical app's tables: ICD-10 and its mapping, episodes and their history, vitals, bed assignments."""

from hayat.clinical.models.beds import AssignmentEnd, BedAssignment
from hayat.clinical.models.episodes import (
    DECIDED_STATUSES,
    OPEN_STATUSES,
    AdmissionType,
    DiagnosisAction,
    DiagnosisRank,
    DischargeResult,
    Disposition,
    Episode,
    EpisodeDiagnosis,
    EpisodeStatus,
    EpisodeStatusChange,
    IntendedAdmission,
    Vitals,
)
from hayat.clinical.models.icd import IcdCode, IcdDepartmentMapping, IcdSource, IcdTitle, IcdTitleKind, IcdWord
from hayat.clinical.models.timed import TimedUse

__all__ = [
    "DECIDED_STATUSES", "OPEN_STATUSES", "AdmissionType", "AssignmentEnd", "BedAssignment", "DiagnosisAction",
    "DiagnosisRank", "DischargeResult", "Disposition", "Episode", "EpisodeDiagnosis", "EpisodeStatus",
    "EpisodeStatusChange", "IcdCode", "IcdDepartmentMapping", "IcdSource", "IcdTitle", "IcdTitleKind", "IcdWord",
    "IntendedAdmission", "TimedUse",
    "Vitals",
]
