"""A hospital with at least one row in every table and a few uploaded files, for the backup tests.

The demo data (`seed_demo`, with a small ICD-10 list) fills most tables; EXTRA_ROWS adds one row to each
table the demo leaves empty, one line per table. A new model that neither fills makes
test_every_table_has_rows fail, so it cannot be left out of the round-trip tests unnoticed.
"""

from __future__ import annotations

import io
from datetime import time, timedelta

from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django_q.models import Task
from rest_framework_simplejwt.tokens import RefreshToken

from hayat.accounts.models import User
from hayat.backup import services as backup_services
from hayat.billing import dayclose, payers, payments
from hayat.billing.models import Bill, BillStatus
from hayat.catalog.models import TariffPrice
from hayat.clinical import demo as clinical_demo
from hayat.clinical import timed
from hayat.clinical.models import Episode, EpisodeStatus, IcdCode, IcdTitle
from hayat.clinical.tests.factories import load_icd_subset
from hayat.core import audit, audit_chain, clock
from hayat.core.models import IdempotencyRecord
from hayat.documents.kinds.invoice import KIND as INVOICE
from hayat.documents.models import DocumentLanguage
from hayat.documents.printing import print_document
from hayat.facilities.models import Bed
from hayat.notifications import services as message_services
from hayat.notifications.models import Kind
from hayat.notifications.outbox import queue
from hayat.patients.models import DuplicateDecision, Patient
from hayat.stays.medical import services as medical
from hayat.stays.models import IllnessHistory, IllnessState, WizardDraft
from hayat.treatment import marking
from hayat.treatment.models import PlannedSession, SessionStatus
from hayat.web import services as web_services


def admin() -> User:
    return User.objects.get(user_id="admin")


def patient() -> Patient:
    return Patient.objects.order_by("pk").first()


def teller() -> User:
    return User.objects.get(user_id="teller")


def add_payments() -> None:
    bill = Bill.objects.filter(balance__gt=0).order_by("pk").first()
    payments.take_deposit(by=teller(), patient=bill_patient(bill), amount="500000")
    payments.apply_deposit(by=teller(), bill=bill, amount="1000")
    payments.request_refund(by=teller(), amount="100", reason="Überzahlung — переплата", patient=bill_patient(bill))


def add_paying_organisation() -> None:
    """An employer that pays one guest of a booking: its own bill, the guest's row moved to it."""
    employer = payers.save_organisation(by=admin(), values={"name": "Oʻzbekneftgaz — Узбекнефтегаз"})
    bill = Bill.objects.filter(booking__isnull=False).order_by("pk").first()
    payers.move_guest(by=teller(), booking=bill.booking, patient_id=bill.patient_id, target=f"org:{employer.pk}")


def bill_patient(bill: Bill) -> Patient:
    return Patient.objects.get(pk=bill.patient_id)


def add_axes_rows() -> None:
    from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog

    facts = {"user_agent": "Firefox", "ip_address": "10.0.0.7", "username": "admin", "http_accept": "*/*",
             "path_info": "/login/"}
    attempt = AccessAttempt.objects.create(**facts, get_data="", post_data="user_id=admin", failures_since_start=1)
    AccessAttemptExpiration.objects.create(access_attempt=attempt, expires_at=clock.now() + timedelta(minutes=15))
    AccessFailureLog.objects.create(**facts, locked_out=False)
    AccessLog.objects.create(**facts, session_hash="0" * 64)


def add_timed_use() -> None:
    episode = Episode.objects.filter(status=EpisodeStatus.ADMITTED).order_by("pk").first()
    service = timed.timed_services().order_by("pk").first()
    timed.start_use(by=User.objects.get(user_id="nurse"), episode=episode, service=service)


def add_medical_record() -> None:
    """The first examination, a nurse's diary entry and the epicrisis of a guest in the house."""
    history = IllnessHistory.objects.exclude(state=IllnessState.CLOSED).order_by("pk").first()
    doctor, nurse = User.objects.get(user_id="doctor"), User.objects.get(user_id="nurse")
    medical.write_examination(by=doctor, history=history, examination=medical.Examination(
        complaints="Боль в пояснице", anamnesis="Since 2019"), vitals={"systolic": 135, "diastolic": 85})
    medical.add_diary_entry(by=nurse, history=history, day=None, text="Oʻzini yaxshi his qilyapti",
                            vitals={"temperature": "36.6"})
    medical.write_epicrisis(by=doctor, history=history, text=medical.EpicrisisText(course="Улучшение"))


def add_tokens() -> None:
    RefreshToken.for_user(admin()).blacklist()  # an outstanding token and its blacklisting


def cancel_a_treatment_session() -> None:
    """The demo plans sessions in one insert, which writes no history; a cancelled one has its history row."""
    session = PlannedSession.objects.filter(status=SessionStatus.PLANNED).order_by("-day", "-starts").first()
    marking.mark_session(by=User.objects.get(user_id="reception"), session=session, status=SessionStatus.CANCELLED)


def add_group() -> None:
    group = Group.objects.create(name="Night shift")
    group.permissions.add(Permission.objects.order_by("pk").first())


def patient_with_mobile() -> Patient:
    found = Patient.objects.exclude(mobile="").order_by("pk").first()
    message_services.set_preference(by=admin(), patient=found, data=message_services.PreferenceData(
        channel="sms", language="ru", consent=True))
    return found


def add_message_settings() -> None:
    message_services.save_template(by=admin(), kind=Kind.FOLLOW_UP, language="uz", data=message_services.TemplateData(
        subject="Qalaysiz?", email_body="Hurmatli {{ patient_name }}, qalaysiz?", sms_body="{{ hospital }}: qalaysiz?"))
    message_services.set_kind(by=admin(), kind=Kind.ARRIVAL_REMINDER, enabled=True, timing=2)
    message_services.set_quiet_hours(by=admin(), start=time(22, 0), end=time(8, 0))


EXTRA_ROWS = [
    add_paying_organisation,
    lambda: audit.log_access(by=admin(), patient_id=patient().pk, what="patient"),
    lambda: queue(kind=Kind.FOLLOW_UP, event_key="filling:follow-up", patient=patient_with_mobile(),
                  values=lambda language: {}),
    add_message_settings,
    lambda: DuplicateDecision.objects.create(patient=patient(), context="create", candidate_ids=[1, 2],
                                             reason="Twins", decided_at=clock.now(), decided_by=admin()),
    lambda: Bed.objects.order_by("pk").first().save(),  # its history row
    lambda: TariffPrice.objects.order_by("pk").first().save(),  # its history row
    lambda: WizardDraft.objects.create(
        user=admin(), created_at=clock.now(), updated_at=clock.now(), slots=[{"room": 1, "bed": None}]),
    add_payments,
    lambda: Client().force_login(admin()),  # a session
    add_axes_rows,
    lambda: Task.objects.create(id="a" * 32, name="heartbeat-once", func="hayat.ops.jobs.heartbeat", args=(1, "ü"),
                                started=clock.now(), stopped=clock.now(), success=True, result="ok"),
    lambda: LogEntry.objects.create(user=admin(), content_type=ContentType.objects.get_for_model(Group),
                                    object_id="1", object_repr="Night shift", action_flag=ADDITION),
    add_group,
    lambda: IcdTitle.objects.create(code=IcdCode.objects.order_by("pk").first(), language="ru", title="Холера",
                                    source="Test catalogue"),
    add_timed_use,
    add_medical_record,
    cancel_a_treatment_session,
    lambda: dayclose.close_day(by=teller(), day=clock.today(), counted_cash="500000", note="Пересчитано"),
    lambda: DocumentLanguage.objects.create(patient=patient(), language="uz"),
    lambda: print_document(kind=INVOICE, obj=Bill.objects.exclude(status=BillStatus.VOID).order_by("pk").first(),
                           by=admin()),  # an issued copy (a void bill prints a draft)
    lambda: backup_services.update_schedule(by=admin(), time=time(3, 30), keep_daily=10, keep_weekly=8),
    add_tokens,
    lambda: IdempotencyRecord.objects.create(user=admin(), key="form-1", fingerprint="0" * 64,
                                             created_at=clock.now(), status_code=302, location="/billing/"),
    lambda: web_services.save_search(by=admin(), page="patients:list", name="Женщины · Tashkent",
                                     query="q=tash&gender=female", shared=True),
    audit_chain.seal_pending,  # last: the chain links of every audit row above
]


def fill_every_table(monkeypatch) -> None:
    monkeypatch.setattr(clinical_demo, "load_codes", load_icd_subset)
    call_command("seed_demo", stdout=io.StringIO())
    for add in EXTRA_ROWS:
        add()
