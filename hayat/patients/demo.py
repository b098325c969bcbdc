"""Demo regions and districts of Uzbekistan and the Philippines, and a few dozen patients, for `seed_demo`.

Idempotent: regions, districts and patients are found by their natural keys and only added when missing.
"""

from __future__ import annotations

from datetime import date

from hayat.core.codes import insert_with_unique_code
from hayat.patients.models import CivilStatus, District, DocumentType, Gender, Patient, Region

# (country, name, local name, [districts])
REGIONS = [
    ("UZ", "Tashkent city", "Ташкент", ["Chilonzor", "Yunusobod", "Mirzo Ulug'bek", "Yakkasaroy", "Shayxontohur",
                                         "Olmazor", "Sergeli", "Uchtepa", "Yashnobod", "Mirobod", "Bektemir",
                                         "Yangihayot"]),
    ("UZ", "Tashkent Region", "Ташкентская область", ["Chirchiq", "Olmaliq", "Angren", "Bekobod", "Zangiota",
                                                       "Qibray"]),
    ("UZ", "Samarkand", "Самарканд", ["Samarkand city", "Urgut", "Pastdarg'om", "Kattaqo'rg'on", "Bulung'ur"]),
    ("UZ", "Bukhara", "Бухара", ["Bukhara city", "G'ijduvon", "Kogon", "Vobkent"]),
    ("UZ", "Fergana", "Фергана", ["Fergana city", "Marg'ilon", "Qo'qon", "Quvasoy", "Rishton"]),
    ("UZ", "Andijan", "Андижан", ["Andijan city", "Asaka", "Xonobod", "Shahrixon"]),
    ("UZ", "Namangan", "Наманган", ["Namangan city", "Chust", "Pop", "Kosonsoy"]),
    ("UZ", "Kashkadarya", "Кашкадарья", ["Qarshi", "Shahrisabz", "Kitob", "G'uzor"]),
    ("UZ", "Surkhandarya", "Сурхандарья", ["Termiz", "Denov", "Sherobod", "Sho'rchi"]),
    ("UZ", "Khorezm", "Хорезм", ["Urganch", "Xiva", "Hazorasp"]),
    ("UZ", "Navoi", "Навои", ["Navoiy city", "Zarafshon", "Karmana", "Nurota"]),
    ("UZ", "Jizzakh", "Джизак", ["Jizzax city", "Zomin", "G'allaorol"]),
    ("UZ", "Syrdarya", "Сырдарья", ["Guliston", "Yangiyer", "Shirin"]),
    ("UZ", "Republic of Karakalpakstan", "Каракалпакстан", ["Nukus", "Xo'jayli", "To'rtko'l", "Beruniy",
                                                            "Mo'ynoq"]),
    ("PH", "National Capital Region", "Kalakhang Maynila", ["Manila", "Quezon City", "Makati", "Pasig", "Taguig",
                                                            "Caloocan"]),
    ("PH", "Central Luzon", "Gitnang Luzon", ["Angeles", "San Fernando", "Olongapo", "Malolos"]),
    ("PH", "Calabarzon", "Calabarzon", ["Calamba", "Antipolo", "Batangas City", "Lucena"]),
    ("PH", "Western Visayas", "Kanlurang Visayas", ["Iloilo City", "Bacolod", "Roxas City"]),
    ("PH", "Central Visayas", "Gitnang Visayas", ["Cebu City", "Mandaue", "Lapu-Lapu", "Tagbilaran"]),
    ("PH", "Davao Region", "Rehiyon ng Davao", ["Davao City", "Tagum", "Panabo", "Digos"]),
]

F, M = Gender.FEMALE, Gender.MALE
# (last, first, middle, birth date, gender, mobile, region, district, document number, extra fields)
PATIENTS = [
    ("Yusupova", "Shahnoza", "Akmalovna", date(1986, 3, 14), F, "+998901234567", "Tashkent city", "Chilonzor",
     "AB1234567", {"occupation": "Teacher", "civil_status": CivilStatus.MARRIED, "nationality": "Uzbek"}),
    ("Karimov", "Bobur", "Rustamovich", date(1979, 11, 2), M, "+998935550112", "Tashkent city", "Yunusobod",
     "AC2345678", {"occupation": "Engineer", "civil_status": CivilStatus.MARRIED}),
    ("Rakhimova", "Dilfuza", "Shavkatovna", date(1962, 6, 21), F, "+998977001122", "Samarkand", "Urgut", "",
     {"civil_status": CivilStatus.WIDOWED}),
    ("Tursunov", "Jasur", "Olimovich", date(1995, 1, 9), M, "+998946667788", "Fergana", "Marg'ilon", "AD3456789", {}),
    ("Nazarova", "Malika", "", date(2001, 8, 30), F, "+998991112233", "Bukhara", "Kogon", "",
     {"occupation": "Student"}),
    ("Ergashev", "Otabek", "Ilhomovich", date(1970, 4, 17), M, "+998903334455", "Andijan", "Asaka", "AE4567890", {}),
    ("Saidova", "Nodira", "Bahodirovna", date(1958, 12, 5), F, "+998915556677", "Namangan", "Chust", "", {}),
    ("Aliyev", "Timur", "Sherzodovich", date(2019, 5, 12), M, "", "Tashkent city", "Mirzo Ulug'bek", "",
     {"emergency_contact_name": "Aliyeva Kamola", "emergency_contact_phone": "+998909998877"}),
    ("Xasanov", "Farhod", "Toxirovich", date(1983, 9, 23), M, "+998887770011", "Kashkadarya", "Qarshi", "AF5678901",
     {}),
    ("Qodirova", "Zarina", "", date(1990, 2, 28), F, "+998951230987", "Khorezm", "Xiva", "", {}),
    ("Мухаммадиев", "Ўткир", "Бахромович", date(1967, 7, 7), M, "+998971239876", "Navoi", "Zarafshon", "", {}),
    ("Ким", "Елена", "Викторовна", date(1975, 10, 19), F, "+998909876543", "Tashkent city", "Mirobod", "AA7654321",
     {"nationality": "Korean"}),
    ("Петров", "Дмитрий", "Сергеевич", date(1988, 1, 30), M, "+998933219876", "Tashkent Region", "Chirchiq", "", {}),
    ("Abdullayeva", "Gulnora", "Ravshanovna", date(1949, 3, 3), F, "+998712345678", "Tashkent city", "Yakkasaroy",
     "", {"civil_status": CivilStatus.WIDOWED}),
    ("Normatov", "Sardor", "", date(2024, 2, 14), M, "", "Jizzakh", "Zomin", "", {"gestational_age_weeks": 34}),
    ("Dela Cruz", "Maria", "Santos", date(1984, 5, 20), F, "+639171234567", "National Capital Region",
     "Quezon City", "", {"philhealth_number": "123456789012", "hmo_name": "Maxicare", "hmo_number": "MX-0042117"}),
    ("Reyes", "Jose", "Garcia", date(1972, 12, 1), M, "+639189876543", "Central Visayas", "Cebu City", "", {}),
    ("Santos", "Ana", "Lim", date(1999, 4, 4), F, "+639051112222", "Davao Region", "Davao City", "",
     {"civil_status": CivilStatus.SINGLE}),
    ("Bautista", "Ramon", "Aquino", date(1956, 8, 15), M, "+639209998888", "Calabarzon", "Calamba", "",
     {"philhealth_number": "210987654321"}),
    ("Mendoza", "Liza", "", date(1991, 11, 11), F, "+639273334444", "Western Visayas", "Iloilo City", "", {}),
    # Registered twice at a busy desk: once in Cyrillic, once in Latin (the demo's duplicate to merge).
    ("Юсупова", "Шахноза", "Акмаловна", date(1986, 3, 14), F, "", "Tashkent city", "", "", {}),
]


def seed() -> None:
    districts: dict[tuple[str, str], District] = {}
    for country, name, local, district_names in REGIONS:
        region, _ = Region.objects.get_or_create(country=country, name=name, defaults={"name_local": local})
        for district_name in district_names:
            districts[(name, district_name)], _ = District.objects.get_or_create(region=region, name=district_name)
    regions = {region.name: region for region in Region.objects.all()}
    for last, first, middle, born, gender, mobile, region_name, district_name, document, extra in PATIENTS:
        if Patient.objects.filter(last_name=last, first_name=first, birth_date=born).exists():
            continue
        region = regions[region_name]
        patient = Patient(
            last_name=last, first_name=first, middle_name=middle, birth_date=born, gender=gender, mobile=mobile,
            region=region, district=districts.get((region_name, district_name)), country=region.country,
            document_type=DocumentType.PASSPORT if document else "", document_number=document, **extra,
        )
        insert_with_unique_code(patient, "code")
