"""Demo letterhead for `seed_demo`: the facility's names in three languages, its contacts and house texts.

Idempotent: the letterhead is one row, written only when an Admin has not set one yet.
"""

from __future__ import annotations

from decimal import Decimal

from hayat.documents.models import Letterhead


def seed() -> None:
    Letterhead.objects.get_or_create(singleton=True, defaults={
        "name_en": "Hayat Health Resort and Hospital", "name_ru": "Санаторий и больница «Хаят»",
        "name_uz": "«Hayot» sogʻlomlashtirish markazi va shifoxonasi",
        "address": "Toshkent, Yunusobod tumani, Amir Temur koʻchasi 1", "phone": "+998 71 200 00 00",
        "email": "info@hayat.example", "tax_id": "301234567", "footer": "Hayat · reception open day and night",
        "signature_lines": "Chief physician\nHead of department",
        "house_rules": "Quiet hours from 22:00 to 07:00.\n\nNo smoking in the rooms or on the grounds.\n\n"
                       "Treatments start on time: please come five minutes early.",
        "meal_times": "Breakfast 08:00–09:00\nLunch 13:00–14:00\nDinner 19:00–20:00",
        "tax_name": "VAT", "tax_rate": Decimal("12"),
    })
