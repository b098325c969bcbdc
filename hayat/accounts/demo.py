"""Demo departments and one login per role, for `manage.py seed_demo`."""

from django.contrib.auth.hashers import check_password
from django.utils.translation import gettext as _

from hayat.accounts.models import Department, Specialisation, User
from hayat.core.roles import Role
from hayat.core.seeding import ensure

DEPARTMENTS = [
    ("IM", "Internal Medicine", "Internal medicine"),
    ("SURG", "Surgery", "General surgery"),
    ("PED", "Pediatrics", "Pediatrics"),
    ("CARD", "Cardiology", "Cardiology"),
    ("OBG", "Obstetrics and Gynecology", "Obstetrics and gynecology"),
    ("REHAB", "Rehabilitation", "Physical therapy"),
]

# (user_id, full name, role, department code)
DEMO_USERS = [
    ("admin", "Aziza Rakhimova", Role.ADMIN, "IM"),
    ("reception", "Dilnoza Yusupova", Role.RECEPTIONIST, None),
    ("doctor", "Dr. Bakhtiyor Karimov", Role.DOCTOR, "IM"),
    ("nurse", "Malika Tursunova", Role.NURSE, "IM"),
    ("teller", "Jasur Aliyev", Role.TELLER, None),
    ("coder", "Nodira Saidova", Role.CODER, None),
]


def demo_password(user_id: str) -> str:
    return f"hayat-{user_id}-demo"


def seed() -> list[tuple[str, str, str]]:
    """Creates what is missing and never changes what exists (a password someone changed stays)."""
    departments = {}
    for code, name, specialisation_name in DEPARTMENTS:
        specialisation, _ = Specialisation.objects.get_or_create(name=specialisation_name)
        departments[code], _ = ensure(Department, {"code": code}, {"name": name},
                                      defaults={"specialisation": specialisation})
    logins = []
    for user_id, full_name, role, department_code in DEMO_USERS:
        user = User.objects.filter(user_id=user_id).first()
        if user is None:
            user = User.objects.create_user(user_id, demo_password(user_id), full_name=full_name, role=role,
                                            department=departments.get(department_code))
            if role == Role.DOCTOR and departments.get(department_code):
                user.specialisations.set([departments[department_code].specialisation])
        logins.append((user.get_role_display(), user_id, password_to_show(user)))
    return logins


def password_to_show(user: User) -> str:
    """The demo password while it still opens the account; a password someone chose is never printed."""
    password = demo_password(user.user_id)
    return password if check_password(password, user.password) else _("(changed, not shown)")
