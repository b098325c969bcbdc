"""Demo laboratory: the usual test types and a few results with scans, films and PDF reports, for `seed_demo`.

Idempotent: test types are found by code, results by patient, test type and summary; nothing is added twice.
"""

from __future__ import annotations

import math
from datetime import timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFilter

from hayat.accounts.models import User
from hayat.core import clock
from hayat.core.seeding import ensure, unless_refused
from hayat.lab import services
from hayat.lab.models import LabResult, LabTestType
from hayat.patients.models import Patient

TEST_TYPES = [
    ("CBC", "Complete blood count"),
    ("UA", "Urinalysis"),
    ("LIPID", "Lipid panel"),
    ("BMP", "Basic metabolic panel"),
    ("LFT", "Liver function tests"),
    ("HBA1C", "Glycated haemoglobin (HbA1c)"),
    ("TSH", "Thyroid-stimulating hormone"),
    ("CRP", "C-reactive protein"),
    ("COAG", "Coagulation panel (PT/INR, aPTT)"),
    ("XR-CH", "Chest X-ray"),
    ("ECG", "Electrocardiogram"),
    ("US-ABD", "Abdominal ultrasound"),
    ("STOOL", "Stool examination"),
    ("COVID", "SARS-CoV-2 antigen test"),
]

# (patient index, test code, days ago, performer, summary, [(description, [files])])
RESULTS = [
    (0, "CBC", 12, "nurse", "Hb 128 g/L, WBC 6.4 ×10⁹/L, PLT 245 ×10⁹/L. Within normal limits.",
     [("CBC printout from the analyser", ["report:CBC"])]),
    (0, "XR-CH", 11, "doctor", "No focal consolidation. Heart size normal. Costophrenic angles clear.",
     [("Chest X-ray, PA and lateral", ["xray", "xray"]), ("Radiologist's report", ["report:Chest X-ray"])]),
    (1, "LIPID", 9, "nurse", "Total cholesterol 6.2 mmol/L, LDL 4.1 mmol/L (high), HDL 1.0 mmol/L, TG 2.3 mmol/L.",
     [("Lipid panel printout", ["report:Lipid panel"])]),
    (1, "ECG", 9, "doctor", "Sinus rhythm 78/min. Normal axis. No acute ST-T changes.",
     [("12-lead ECG strip", ["ecg"])]),
    (2, "HBA1C", 7, "nurse", "HbA1c 7.9 % (63 mmol/mol): above target for diabetes control.", []),
    (2, "UA", 7, "nurse", "Yellow, clear. Protein trace, glucose 1+, no leukocytes or nitrites.",
     [("Urinalysis strip photo", ["strip"])]),
    (3, "US-ABD", 5, "doctor", "Liver, gallbladder, pancreas, spleen and kidneys without pathological findings.",
     [("Ultrasound stills", ["ultrasound", "ultrasound", "ultrasound"]), ("Sonographer's report",
                                                                           ["report:Abdominal ultrasound"])]),
    (4, "CRP", 3, "nurse", "CRP 34 mg/L (raised); repeat in 48 hours advised.", []),
    (5, "CBC", 2, "nurse", "Hb 104 g/L (low), MCV 74 fL: microcytic anaemia. Ferritin ordered.",
     [("CBC printout from the analyser", ["report:CBC"])]),
    (6, "TSH", 1, "nurse", "TSH 2.1 mIU/L, within the reference range.", []),
    (7, "COVID", 0, "nurse", "SARS-CoV-2 antigen negative.", [("Test cassette photo", ["strip"])]),
]


def seed() -> None:
    types = {}
    for code, name in TEST_TYPES:
        types[code], _ = ensure(LabTestType, {"code": code}, {"name": name})
    staff = {user.user_id: user for user in User.objects.filter(user_id__in=["doctor", "nurse"], is_active=True)}
    patients = list(Patient.objects.filter(is_active=True).order_by("id")[:8])
    if "doctor" not in staff or "nurse" not in staff or not patients:
        return
    for index, code, days_ago, performer, summary, groups in RESULTS:
        if index >= len(patients) or types[code] is None:
            continue
        patient = patients[index]
        if LabResult.objects.filter(patient=patient, test_type=types[code], summary=summary).exists():
            continue
        by = staff[performer]
        performed_at = min(clock.now(), clock.now().replace(hour=9, minute=30, second=0, microsecond=0)
                           - timedelta(days=days_ago))
        if patient.birth_date and performed_at.date() < patient.birth_date:
            continue
        with unless_refused(summary):
            seed_result(by, patient, types[code], summary, performed_at, groups)


def seed_result(by: User, patient: Patient, test_type: LabTestType, summary: str, performed_at, groups) -> None:
    result = services.create_result(by=by, patient=patient, data=services.ResultData(
        test_type=test_type, summary=summary, performed_by=by, performed_at=performed_at))
    for description, kinds in groups:
        services.add_group(by=by, result=result, group=services.GroupData(
            description, [demo_file(kind, number) for number, kind in enumerate(kinds, start=1)]))


def demo_file(kind: str, number: int) -> SimpleUploadedFile:
    if kind.startswith("report:"):
        title = kind.split(":", 1)[1]
        return SimpleUploadedFile(f"{title.lower().replace(' ', '-')}-report.pdf", report_pdf(title))
    drawing = {"xray": xray, "ecg": ecg_strip, "ultrasound": ultrasound, "strip": rapid_test_photo}[kind]
    image_format = "PNG" if kind == "ecg" else "JPEG"
    buffer = BytesIO()
    drawing(number).save(buffer, format=image_format, quality=85)
    return SimpleUploadedFile(f"{kind}-{number}.{image_format.lower().replace('jpeg', 'jpg')}", buffer.getvalue())


def xray(number: int) -> Image.Image:
    image = Image.new("L", (640, 720), 12)
    draw = ImageDraw.Draw(image)
    draw.ellipse((110, 120, 300, 600), fill=60)
    draw.ellipse((340, 120, 530, 600), fill=60)
    draw.rectangle((305, 60, 335, 660), fill=170)
    for rib in range(9):
        y = 170 + rib * 45
        draw.arc((80, y - 40, 320, y + 60), 200, 340, fill=150, width=9)
        draw.arc((320, y - 40, 560, y + 60), 200, 340, fill=150, width=9)
    draw.ellipse((300, 380, 440 + number * 5, 560), fill=110)
    return image.filter(ImageFilter.GaussianBlur(4)).convert("RGB")


def ecg_strip(number: int) -> Image.Image:
    width, height = 1200, 300
    image = Image.new("RGB", (width, height), (255, 244, 244))
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 10):
        draw.line((x, 0, x, height), fill=(255, 210, 210) if x % 50 else (240, 150, 150))
    for y in range(0, height, 10):
        draw.line((0, y, width, y), fill=(255, 210, 210) if y % 50 else (240, 150, 150))
    points = []
    for x in range(width):
        phase = x % 160
        y = 160.0
        if 20 <= phase < 40:
            y -= 12 * math.sin((phase - 20) / 20 * math.pi)
        elif 55 <= phase < 60:
            y += 15
        elif 60 <= phase < 68:
            y -= 110 * (1 - abs(phase - 64) / 4)
        elif 68 <= phase < 74:
            y += 25
        elif 95 <= phase < 130:
            y -= 22 * math.sin((phase - 95) / 35 * math.pi)
        points.append((x, y))
    draw.line(points, fill=(20, 20, 20), width=2)
    return image


def ultrasound(number: int) -> Image.Image:
    image = Image.new("L", (640, 480), 0)
    draw = ImageDraw.Draw(image)
    draw.pieslice((20, -300, 620, 460), 50, 130, fill=55)
    draw.ellipse((230 + number * 20, 180, 380 + number * 20, 300), fill=20)
    draw.ellipse((140, 300, 300, 380), fill=95)
    return image.filter(ImageFilter.GaussianBlur(3)).effect_spread(3).convert("RGB")


def rapid_test_photo(number: int) -> Image.Image:
    image = Image.new("RGB", (480, 360), (235, 235, 230))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((60, 140, 420, 220), radius=18, fill=(250, 250, 250), outline=(180, 180, 180), width=3)
    draw.rectangle((230, 160, 300, 200), fill=(245, 240, 240))
    draw.line((250, 162, 250, 198), fill=(200, 40, 90), width=4)
    return image


def report_pdf(title: str) -> bytes:
    """A one-page PDF report with a few lines of text, built by hand (no PDF library needed)."""
    lines = [f"Hayat Medical Centre - {title}", "Laboratory report (demo data)", "",
             "Specimen received and processed according to the standard procedure.",
             "See the summary in the lab result for the values that matter.", "", "Validated by the laboratory."]
    text = "BT /F1 12 Tf 56 780 Td 16 TL " + " ".join(
        f"({line.replace('(', '[').replace(')', ']')}) Tj T*" for line in lines) + " ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text.encode("latin-1") + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    output = BytesIO()
    output.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(output.tell())
        output.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = output.tell()
    output.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        output.write(b"%010d 00000 n \n" % offset)
    output.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return output.getvalue()
