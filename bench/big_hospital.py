"""The big hospital: the demo hospital grown to a busy one, written in bulk on the database of DATABASE_URL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hayat_big python bench/big_hospital.py
    DATABASE_URL=sqlite:////tmp/big.sqlite3 python bench/big_hospital.py --patients 20000 --bookings 2000

It migrates, loads the demo (`seed_demo`: staff with their demo logins, departments, catalogue, tariffs), then
adds 200,000 patients, rooms up to 322 with 719 beds (ninety of them ward rooms), ~17,500 bookings over two
years (a year and nine months past, three months ahead) in the sanatorium rooms with the sessions their guests
had, ~5,000 episodes (the inpatients in ward beds, the coded ones with their principal ICD-10 code), a bill for
each of them with its items and payments, and ~40,000 lab results. Records carry what the services write:
numbers from the same series (and the series moved past them, so the services go on counting), statuses and
their status-change rows, check-ins and illness histories of the stays that began, the history rows of the
models that keep one. Not written: audit events (a sealed chain only the services extend), lab files.
Run it on an empty database; it refuses one that already holds more than the demo.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

BATCH = 2000
HISTORY_PAST_DAYS = 640
FUTURE_DAYS = 90


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=200_000)
    parser.add_argument("--bookings", type=int, default=17_500, help="about this many, room by room")
    parser.add_argument("--episodes", type=int, default=5_000)
    parser.add_argument("--lab-results", type=int, default=40_000)
    parser.add_argument("--seed", type=int, default=20261206)
    arguments = parser.parse_args()
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hayat.settings")
    django.setup()
    Hospital(arguments).build()


class Hospital:
    def __init__(self, arguments) -> None:
        from django.db import connection

        self.arguments = arguments
        self.rng = random.Random(arguments.seed)
        self.engine = connection.vendor

    def build(self) -> None:
        from django.core.management import call_command
        from django.db import transaction

        from hayat.core import clock
        from hayat.patients.models import Patient

        self.step("schema", lambda: (call_command("migrate", verbosity=0), call_command("createcachetable")))
        if Patient.objects.count() > 1000:
            raise SystemExit("This database already holds a hospital; give an empty one.")
        self.step("demo hospital", lambda: call_command("seed_demo", verbosity=0, stdout=open_null()))
        self.today = clock.today()
        with transaction.atomic():
            self.generate()
        self.step("statistics", self.analyse)
        self.summary()

    def generate(self) -> None:
        self.numbers = Numbers()
        self.staff = staff_by_role()
        self.step(f"{self.arguments.patients:,} patients", self.patients)
        self.step("rooms and beds", self.rooms)
        self.step("bookings", self.bookings)
        self.step("episodes", self.episodes)
        self.step("beds and diagnoses", self.beds_and_diagnoses)
        self.step("sessions", self.sessions)
        self.step("bills", self.bills)
        self.step("lab results", self.lab_results)
        self.numbers.save()

    def step(self, label: str, work) -> None:
        started = time.perf_counter()
        work()
        print(f"   {label:<28}{time.perf_counter() - started:8.1f} s", flush=True)

    # --- patients ------------------------------------------------------------------------------------------

    def patients(self) -> None:
        from patients_search import build, write

        from hayat.patients import vocabulary
        from hayat.patients.models import NameWord, Patient
        from hayat.patients.tests.factories import code_for

        taken = set(Patient.objects.values_list("code", flat=True))
        first_new = next(ids_after(Patient))
        fields = keep_given_dates(Patient)
        batch, spare = [], self.arguments.patients
        for patient in build(self.arguments.patients):
            while patient.code in taken:  # a demo patient's random code: take one past the generated range
                patient.code, spare = code_for(spare), spare + 1
            batch.append(patient)
            if len(batch) == 20_000:
                write(batch, fields, self.engine)
                batch = []
        if batch:
            write(batch, fields, self.engine)
        vocabulary.rebuild(Patient, NameWord)  # the rows were written in bulk, not through Patient.save
        new = list(Patient.objects.filter(pk__gte=first_new).values_list("pk", flat=True))
        self.rng.shuffle(new)
        self.unused_patients = iter(new)  # each new patient stays once or has one episode: no overlap to check

    # --- rooms: the demo's, then more wards and sanatorium rooms up to 322 rooms / 719 beds -----------------

    def rooms(self) -> None:
        from hayat.facilities.models import Bed, Building, Room, RoomType, Ward

        types = {room_type.name: room_type for room_type in RoomType.objects.all()}
        wards = list(Ward.objects.select_related("building").order_by("pk"))
        sanatorium = Building.objects.get(code="B")
        plan = [(ward.building, 5 + index // len(wards), f"W{index + 1:03d}", types["Ward (4 beds)"], ward, 4)
                for index, ward in zip(range(78), cycle(wards), strict=False)]
        plan += [(sanatorium, 5 + index // 24, f"S{index + 1:03d}", types["Standard single"], None, 1)
                 for index in range(90)]
        plan += [(sanatorium, 9 + index // 24, f"D{index + 1:03d}", types["Standard double"], None, 2)
                 for index in range(102)]
        rooms = [Room(pk=pk, name=name, building=building, floor=floor, room_type=room_type, ward=ward, capacity=beds,
                      base_price=Decimal(300000 + 50000 * beds), hourly_rate=Decimal(15000) if ward else Decimal(0))
                 for pk, (building, floor, name, room_type, ward, beds) in zip(ids_after(Room), plan, strict=False)]
        self.save_with_history(Room, rooms)
        places = [(room, number) for room in rooms for number in range(1, room.capacity + 1)]
        self.save_with_history(Bed, [Bed(pk=pk, room=room, number=str(number))
                                     for pk, (room, number) in zip(ids_after(Bed), places, strict=False)])

    # --- bookings: room by room, one after another, in the sanatorium's rooms --------------------------------

    def bookings(self) -> None:
        from hayat.catalog.models import Tariff
        from hayat.catalog.pricing import price_for, price_grid
        from hayat.facilities.models import Room
        from hayat.stays.models import Booking, GuestLine

        rooms = list(Room.objects.filter(ward__isnull=True, is_active=True).select_related("room_type"))
        tariffs = list(Tariff.objects.filter(is_active=True).order_by("code"))
        grid = price_grid(tariffs)
        first_day = self.today - timedelta(days=HISTORY_PAST_DAYS)
        span = HISTORY_PAST_DAYS + FUTURE_DAYS
        mean_gap = span * len(rooms) / self.arguments.bookings
        self.booked, lines = [], []
        booking_ids, line_ids = ids_after(Booking), ids_after(GuestLine)
        for room in rooms:
            day = first_day + timedelta(days=self.rng.randrange(7))
            while True:
                nights = self.rng.randint(4, 14)
                day += timedelta(days=max(0, round(self.rng.expovariate(1 / max(0.5, mean_gap - 9)))))
                if day + timedelta(days=nights) > first_day + timedelta(days=span):
                    break
                booking = self.booking(next(booking_ids), day, nights)
                tariff = self.rng.choice(tariffs)
                price = price_for(tariff, room, grid=grid)
                guests = [next(self.unused_patients) for _guest in range(self.rng.randint(1, room.capacity))]
                booking.guest_ids = guests
                for patient_id in guests:
                    lines.append(GuestLine(
                        pk=next(line_ids), booking=booking, patient_id=patient_id, room=room, tariff=tariff,
                        start_date=booking.start_date, end_date=booking.end_date, price_per_day=price,
                        is_open=booking.status not in RELEASED_STATUSES, holds_place=booking.status not in
                        RELEASED_STATUSES, created_at=booking.created_at, updated_at=booking.updated_at,
                        created_by=booking.created_by, updated_by=booking.created_by))
                self.booked.append(booking)
                day += timedelta(days=nights)
        self.lines_of = defaultdict(list)
        for line in lines:
            self.lines_of[line.booking.pk].append(line)
        self.save_with_history(Booking, self.booked)
        self.save_with_history(GuestLine, lines)
        self.booking_changes()
        self.check_ins()

    def booking(self, pk: int, start: date, nights: int):
        from hayat.stays.models import Booking, BookingSource
        from hayat.stays.models import BookingStatus as S

        end = start + timedelta(days=nights)
        created = moment(start - timedelta(days=self.rng.randint(1, 30)), self.rng.randint(8, 18))
        if end <= self.today:
            status = self.pick([(S.COMPLETED, 88), (S.CANCELLED, 8), (S.NO_SHOW, 4)])
        elif start <= self.today:
            status = self.pick([(S.CHECKED_IN, 30), (S.IN_PROGRESS, 70)])
        else:
            status = self.pick([(S.CONFIRMED, 70), (S.RESERVATION, 15), (S.PENDING, 8), (S.CANCELLED, 7)])
        created = min(created, moment(self.today, 8))
        desk = self.rng.choice(self.staff["receptionist"])
        booking = Booking(pk=pk, number=self.numbers.next(f"BK-{created:%Y%m%d}", 4), start_date=start, end_date=end,
                          status=status, source=self.rng.choice(BookingSource.values), created_by=desk,
                          updated_by=desk, created_at=created, updated_at=created)
        if status == S.CANCELLED:
            booking.cancel_reason, booking.cancelled_at = "Plans changed.", created + timedelta(days=1)
        if status == S.RESERVATION:
            booking.hold_until = created + timedelta(days=3)
        booking._history_date = created
        return booking

    def booking_changes(self) -> None:
        from hayat.stays.models import BookingStatus as S
        from hayat.stays.models import BookingStatusChange

        paths = {S.COMPLETED: [S.CONFIRMED, S.CHECKED_IN, S.IN_PROGRESS, S.COMPLETED],
                 S.IN_PROGRESS: [S.CONFIRMED, S.CHECKED_IN, S.IN_PROGRESS], S.CHECKED_IN: [S.CONFIRMED, S.CHECKED_IN],
                 S.CANCELLED: [S.CONFIRMED, S.CANCELLED], S.NO_SHOW: [S.CONFIRMED, S.NO_SHOW]}
        changes = []
        for booking in self.booked:
            path = paths.get(booking.status, [booking.status])
            days = [booking.created_at, moment(booking.start_date, 14), moment(booking.start_date, 15),
                    moment(booking.end_date, 11)]
            if booking.status in {S.CANCELLED, S.NO_SHOW}:
                days = [booking.created_at, booking.cancelled_at or moment(booking.start_date, 20)]
            changes += [BookingStatusChange(booking=booking, at=at, by=booking.created_by, from_status=before,
                                            to_status=to, reason="Booked" if not before else "")
                        for before, to, at in zip(["", *path], path, days, strict=False)]
        BookingStatusChange.objects.bulk_create(changes, batch_size=BATCH)

    def check_ins(self) -> None:
        from hayat.stays.models import (
            STAYED,
            CheckIn,
            IllnessHistory,
            IllnessKind,
            IllnessState,
            IllnessStateChange,
            RoomCondition,
        )

        check_ins, histories, changes = [], [], []
        history_ids = ids_after(IllnessHistory)
        for booking in self.booked:
            if booking.status not in STAYED:
                continue
            at, doctor = moment(booking.start_date, 14), self.rng.choice(self.staff["doctor"])
            check_ins.append(CheckIn(booking=booking, at=at, by=booking.created_by, identity_checked=True,
                                     rules_explained=True, consent_signed=True, room_condition=RoomCondition.values[0],
                                     doctor=doctor))
            closed = booking.status not in {"checked_in", "in_progress"}
            for line in self.lines_of[booking.pk]:
                history = IllnessHistory(
                    pk=next(history_ids), number=self.numbers.next(f"IH-{at:%Y}", 5), booking=booking,
                    patient_id=line.patient_id, kind=IllnessKind.STATIONARY,
                    state=IllnessState.CLOSED if closed else IllnessState.OPEN, doctor=doctor, opened_at=at,
                    closed_at=moment(booking.end_date, 11) if closed else None, created_at=at, updated_at=at,
                    created_by=booking.created_by, updated_by=booking.created_by)
                history._history_date = at
                histories.append(history)
                path = [IllnessState.REGISTRATION, IllnessState.OPEN] + ([IllnessState.CLOSED] if closed else [])
                times = [at, at + timedelta(hours=1), moment(booking.end_date, 11)]
                changes += [IllnessStateChange(illness_history=history, at=when, by=booking.created_by,
                                               from_status=before, to_status=to)
                            for before, to, when in zip(["", *path], path, times, strict=False)]
        CheckIn.objects.bulk_create(check_ins, batch_size=BATCH)
        self.save_with_history(IllnessHistory, histories)
        IllnessStateChange.objects.bulk_create(changes, batch_size=BATCH)

    # --- episodes: reception → doctor → coder → admitted or outpatient → discharged --------------------------

    def episodes(self) -> None:
        from hayat.accounts.models import Department
        from hayat.clinical.models import Episode, EpisodeStatusChange

        departments = list(Department.objects.filter(wards__isnull=False).distinct())
        episodes, changes = [], []
        for pk in ids_after(Episode, self.arguments.episodes):
            registered = moment(self.today - timedelta(days=self.rng.randrange(HISTORY_PAST_DAYS)),
                                self.rng.randint(7, 19))
            episode, path = self.episode(pk, next(self.unused_patients), registered, self.rng.choice(departments))
            episodes.append(episode)
            times = [registered + timedelta(hours=hours) for hours in (0, 2, 4, 100)]
            changes += [EpisodeStatusChange(episode=episode, at=min(at, episode.discharged_at or at), by=episode.
                                            created_by, from_status=before, to_status=to)
                        for before, to, at in zip(["", *path], path, times, strict=False)]
        self.save_with_history(Episode, episodes)
        EpisodeStatusChange.objects.bulk_create(changes, batch_size=BATCH)
        self.episodes_made = episodes

    def episode(self, pk: int, patient_id: int, registered: datetime, department):
        from hayat.clinical.models import Episode
        from hayat.clinical.models import EpisodeStatus as S

        days_ago = (self.today - registered.date()).days
        if days_ago > 20:
            status = self.pick([(S.DISCHARGED, 95), (S.CANCELLED, 5)])
        else:
            status = self.pick([(S.PENDING, 15), (S.READY_FOR_CODING, 15), (S.ADMITTED, 40), (S.OUTPATIENT, 10),
                                (S.DISCHARGED, 20)])
        inpatient = self.rng.random() < 0.7
        desk, doctor = self.rng.choice(self.staff["receptionist"]), self.rng.choice(self.staff["doctor"])
        episode = Episode(
            pk=pk, patient_id=patient_id, status=status, registered_at=registered, department=department,
            case_number=self.numbers.next(f"C-{registered:%Y}", 6),
            hospital_case_number=self.numbers.next(f"H-{registered:%Y}", 6),
            intended_admission_type="inpatient" if inpatient else "outpatient",
            reason_for_visit="Chest pain on exertion." if inpatient else "Follow-up of blood pressure.",
            created_by=desk, updated_by=desk, created_at=registered, updated_at=registered)
        path = [S.PENDING]
        if status not in {S.PENDING, S.CANCELLED}:
            episode.attending_physician = doctor
            episode.chief_complaint, episode.principal_diagnosis = "Pain", "Essential hypertension"
            episode.admission_type = "inpatient" if inpatient else "outpatient"
            path.append(S.READY_FOR_CODING)
        if status in {S.ADMITTED, S.OUTPATIENT, S.DISCHARGED}:
            episode.coded_at, episode.coded_by = registered + timedelta(hours=4), self.rng.choice(self.staff["coder"])
            episode.admitted_at = registered + timedelta(hours=4)
            path.append(S.ADMITTED if inpatient else S.OUTPATIENT)
            episode.status = S.DISCHARGED if status == S.DISCHARGED else path[-1]
        if status == S.DISCHARGED:
            episode.discharged_at = registered + timedelta(days=self.rng.randint(1, 12) if inpatient else 0, hours=6)
            episode.disposition, episode.result = "discharged", self.rng.choice(["recovered", "improved"])
            path.append(S.DISCHARGED)
        if status == S.CANCELLED:
            path.append(S.CANCELLED)
        episode._history_date = registered
        return episode, path

    # --- inpatients in ward beds, and the principal code of every coded episode -----------------------------

    def beds_and_diagnoses(self) -> None:
        from hayat.clinical.models import AssignmentEnd, BedAssignment, DiagnosisRank, EpisodeDiagnosis, IcdCode
        from hayat.facilities.models import Bed

        beds = list(Bed.objects.filter(room__ward__isnull=False, is_active=True).select_related("room"))
        free_from = dict.fromkeys(beds, datetime.min.replace(tzinfo=self.episodes_made[0].registered_at.tzinfo))
        codes = [IcdCode.objects.get_or_create(code=code, defaults={"title": title, "chapter": chapter,
                                                                     "block": code[:3], "is_billable": True})[0]
                 for code, title, chapter in ICD_CODES]
        assignments, diagnoses = [], []
        for episode in sorted(self.episodes_made, key=lambda episode: episode.registered_at):
            if episode.coded_at:
                diagnoses.append(EpisodeDiagnosis(episode=episode, icd_code=self.rng.choice(codes),
                                                  rank=DiagnosisRank.PRINCIPAL, entered_at=episode.coded_at,
                                                  entered_by=episode.coded_by))
            if episode.admission_type != "inpatient" or not episode.admitted_at:
                continue
            bed = next((bed for bed in beds if free_from[bed] <= episode.admitted_at), None)
            if bed is None:
                continue  # every ward bed taken at that moment: the episode waits without one
            beds.remove(bed)
            beds.append(bed)  # the next patient goes to the bed free the longest
            ended = episode.discharged_at
            free_from[bed] = ended or datetime.max.replace(tzinfo=episode.admitted_at.tzinfo)
            assignments.append(BedAssignment(
                episode=episode, bed=bed, started_at=episode.admitted_at, ended_at=ended,
                ended_reason=AssignmentEnd.DISCHARGE if ended else "", hourly_rate=bed.room.hourly_rate,
                started_by=episode.coded_by, ended_by=episode.attending_physician if ended else None,
                open_bed=None if ended else bed.pk, open_episode=None if ended else episode.pk,
                open_patient_id=None if ended else episode.patient_id))
        BedAssignment.objects.bulk_create(assignments, batch_size=BATCH)
        EpisodeDiagnosis.objects.bulk_create(diagnoses, batch_size=BATCH)

    # --- sessions: the treatments guests had, a few per guest of every stay that began -----------------------

    def sessions(self) -> None:
        from hayat.catalog.models import Service
        from hayat.stays.models import STAYED, ServiceUsage, UsageKind

        services = list(Service.objects.filter(is_active=True))
        therapists = self.staff["doctor"] + self.staff["nurse"]
        usages = []
        for booking in self.booked:
            if booking.status not in STAYED:
                continue
            last = min(booking.end_date, self.today)
            for line in self.lines_of[booking.pk]:
                for _session in range(self.rng.randint(1, 5)):
                    day = booking.start_date + timedelta(days=self.rng.randrange(max(1, (last - booking.start_date)
                                                                                     .days)))
                    service, extra = self.rng.choice(services), self.rng.random() < 0.2
                    usages.append(ServiceUsage(
                        booking=booking, line=line, patient_id=line.patient_id, service=service,
                        kind=UsageKind.EXTRA if extra else UsageKind.SESSION, used_on=day, unit_price=service.price,
                        billable=extra, recorded_at=moment(day, 11), recorded_by=self.rng.choice(therapists)))
        ServiceUsage.objects.bulk_create(usages, batch_size=BATCH)

    # --- bills: one per booking and per episode, with items, payments and status history --------------------

    def bills(self) -> None:
        from django.utils.timezone import localdate

        from hayat.billing.models import Bill, BillItem, BillStatusChange, Payment
        from hayat.billing.services import ALL_GUESTS

        bills, items, payments, changes = [], [], [], []
        bill_ids, item_ids = ids_after(Bill), ids_after(BillItem)
        tellers = self.staff["teller"]
        for source, opened, charges, finished in self.billable():
            status = self.bill_status(source, finished)
            total = sum((amount for _key, _kind, _text, _quantity, _price, amount in charges), Decimal(0))
            if status == "void":
                total = Decimal(0)
            paid = {"paid": total, "partially_paid": (total / 2).quantize(Decimal("0.01"))}.get(status, Decimal(0))
            bill = Bill(pk=next(bill_ids), number=self.numbers.next(f"INV-{opened:%Y}", 6), status=status,
                        patient_id=source.payer_id, items_total=total, paid_total=paid, balance=total - paid,
                        opened_at=opened, created_at=opened, updated_at=opened)
            setattr(bill, "booking" if source.is_booking else "episode", source)
            if source.is_booking:
                bill.payer_key = ALL_GUESTS  # one payer for every guest (docs/adr/0012)
            bills.append(bill)
            if status != "void":
                items += [BillItem(pk=next(item_ids), bill=bill, kind=kind, description=text[:200], quantity=quantity,
                                   unit_price=price, amount=amount, source_key=key, added_at=opened, updated_at=opened)
                          for key, kind, text, quantity, price, amount in charges]
            if paid:
                at = opened + timedelta(days=1)
                payments.append(Payment(number=self.numbers.next(f"RC-{at:%Y}", 6), kind="payment",
                                        patient_id=bill.patient_id, bill=bill, amount=paid, balance_after=total - paid,
                                        received_by=self.rng.choice(tellers), at=at, cash_day=localdate(at)))
            path = {"pending": [], "calculated": ["calculated"], "invoiced": ["calculated", "invoiced"],
                    "partially_paid": ["calculated", "invoiced", "partially_paid"],
                    "paid": ["calculated", "invoiced", "paid"], "void": ["void"]}[status]
            changes += [BillStatusChange(bill=bill, at=opened + timedelta(hours=index + 1), from_status=before,
                                         to_status=to)
                        for index, (before, to) in enumerate(zip(["pending", *path], path, strict=False))]
        Bill.objects.bulk_create(bills, batch_size=BATCH)
        BillItem.objects.bulk_create(items, batch_size=BATCH)
        Payment.objects.bulk_create(payments, batch_size=BATCH)
        BillStatusChange.objects.bulk_create(changes, batch_size=BATCH)

    def billable(self):
        """(booking or episode, opened at, [(source key, kind, description, quantity, unit price, amount)], over)."""
        from hayat.stays.models import RELEASED

        for booking in self.booked:
            booking.is_booking, booking.payer_id = True, booking.guest_ids[0]
            charges = [] if booking.status in RELEASED else [
                (f"stay-line:{line.pk}", "tariff", f"{line.tariff} · {line.room}", Decimal(booking.nights),
                 line.price_per_day, line.price_per_day * booking.nights) for line in self.lines_of[booking.pk]]
            yield booking, booking.created_at, charges, booking.end_date <= self.today
        for episode in self.episodes_made:
            episode.is_booking, episode.payer_id = False, episode.patient_id
            price = Decimal(self.rng.choice([85000, 120000, 240000]))
            charges = [(None, "service", "Consultation", Decimal(1), price, price)]
            if episode.status != "cancelled":
                charges.append((None, "lab_test", "Complete blood count", Decimal(1), Decimal(60000), Decimal(60000)))
            yield episode, episode.registered_at, charges, episode.discharged_at is not None

    def bill_status(self, source, finished: bool) -> str:
        if source.status in {"cancelled", "no_show", "expired"}:
            return "void"
        if not finished:
            return self.pick([("pending", 60), ("calculated", 25), ("invoiced", 15)])
        return self.pick([("paid", 85), ("partially_paid", 8), ("invoiced", 7)])

    # --- lab results --------------------------------------------------------------------------------------

    def lab_results(self) -> None:
        from hayat.core.codes import UNAMBIGUOUS
        from hayat.lab.models import CODE_LENGTH, LabResult, LabTestType

        types = list(LabTestType.objects.filter(is_active=True))
        taken = set(LabResult.objects.values_list("code", flat=True))
        performers = self.staff["doctor"] + self.staff["nurse"]
        linked = [(episode.patient_id, episode, None) for episode in self.episodes_made] + [
            (line.patient_id, None, line.booking) for lines in self.lines_of.values() for line in lines
            if line.booking.status in {"completed", "checked_in", "in_progress"}]
        results = []
        for pk in ids_after(LabResult, self.arguments.lab_results):
            code = "".join(self.rng.choice(UNAMBIGUOUS) for _ in range(CODE_LENGTH))
            while code in taken:
                code = "".join(self.rng.choice(UNAMBIGUOUS) for _ in range(CODE_LENGTH))
            taken.add(code)
            patient_id, episode, booking = self.rng.choice(linked)
            day = (episode.registered_at.date() if episode else booking.start_date) + timedelta(days=1)
            performed = moment(min(day, self.today - timedelta(days=1)), self.rng.randint(8, 16))
            by = self.rng.choice(performers)
            result = LabResult(pk=pk, code=code, patient_id=patient_id, test_type=self.rng.choice(types),
                               summary="Within normal limits.", performed_by=by, performed_at=performed,
                               episode=episode, booking=booking, created_by=by, updated_by=by, created_at=performed,
                               updated_at=performed)
            result._history_date = performed
            results.append(result)
        self.save_with_history(LabResult, results)

    # --- shared ---------------------------------------------------------------------------------------------

    def pick(self, weighted: list[tuple[str, int]]) -> str:
        return self.rng.choices([value for value, _weight in weighted], [weight for _value, weight in weighted])[0]

    def save_with_history(self, model, objects: list) -> None:
        keep_given_dates(model)
        for start in range(0, len(objects), BATCH):
            chunk = objects[start:start + BATCH]
            model.objects.bulk_create(chunk)
            model.history.bulk_history_create(chunk, default_user=None)

    def analyse(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            if self.engine == "postgresql":
                cursor.execute("VACUUM ANALYZE")
            elif self.engine == "sqlite":
                cursor.execute("ANALYZE")
            else:
                for table in connection.introspection.table_names(cursor):
                    cursor.execute(f"ANALYZE TABLE {connection.ops.quote_name(table)}")
                    cursor.fetchall()

    def summary(self) -> None:
        from hayat.billing.models import Bill
        from hayat.clinical.models import Episode
        from hayat.facilities.models import Bed, Room
        from hayat.lab.models import LabResult
        from hayat.patients.models import Patient
        from hayat.stays.models import Booking

        print(f"   {Patient.objects.count():,} patients, {Room.objects.count()} rooms / {Bed.objects.count()} beds, "
              f"{Booking.objects.count():,} bookings, {Episode.objects.count():,} episodes, "
              f"{Bill.objects.count():,} bills, {LabResult.objects.count():,} lab results")


RELEASED_STATUSES = {"cancelled", "no_show", "expired"}
# A few principal diagnoses across chapters, so that the case mix has something to group.
ICD_CODES = (("I10", "Essential (primary) hypertension", "9"), ("I20.9", "Angina pectoris, unspecified", "9"),
             ("J18.9", "Pneumonia, unspecified organism", "10"), ("J44.1", "Chronic obstructive pulmonary disease "
             "with (acute) exacerbation", "10"), ("K29.7", "Gastritis, unspecified", "11"),
             ("E11.9", "Type 2 diabetes mellitus without complications", "4"),
             ("M54.5", "Low back pain", "13"), ("N39.0", "Urinary tract infection, site not specified", "14"))


class Numbers:
    """The services' number series (BK-, IH-, C-, H-, INV-, RC-), continued from the counters in the database,
    and saved back so that the services go on after the generated numbers."""

    def __init__(self) -> None:
        from hayat.core.models import Sequence

        self.values = dict(Sequence.objects.values_list("key", "value"))

    def next(self, key: str, width: int) -> str:
        self.values[key] = self.values.get(key, 0) + 1
        return f"{key}-{self.values[key]:0{width}d}"

    def save(self) -> None:
        from hayat.core.models import Sequence

        existing = set(Sequence.objects.values_list("key", flat=True))
        Sequence.objects.bulk_create([Sequence(key=key, value=value) for key, value in self.values.items()
                                      if key not in existing], batch_size=BATCH)
        for key in existing:
            Sequence.objects.filter(key=key).update(value=self.values[key])


def staff_by_role() -> dict[str, list]:
    from hayat.accounts.models import User

    staff = defaultdict(list)
    for user in User.objects.filter(is_active=True):
        staff[user.role].append(user)
    return staff


def ids_after(model, count: int | None = None):
    """Primary keys for new rows, past the highest one: rows are linked before they are written."""
    from django.db.models import Max

    first = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    return iter(range(first, first + count)) if count is not None else iter(range(first, 2**62))


def keep_given_dates(model) -> list:
    """Turns off auto_now/auto_now_add so that the generated creation dates (spread over two years) are kept."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key and not field.generated]
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            field.auto_now = field.auto_now_add = False
    return fields


def moment(day: date, hour: int) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


def cycle(items: list):
    while True:
        yield from items


def open_null():
    import io

    return io.StringIO()


if __name__ == "__main__":
    main()
