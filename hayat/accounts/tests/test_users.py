"""Staff accounts: Admin manages them, passwords are always hashed, pictures are checked by content."""

from io import BytesIO, StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import Image

from hayat.accounts import services
from hayat.accounts.models import User
from hayat.accounts.services import UserData
from hayat.accounts.tests.factories import TEST_PASSWORD
from hayat.accounts.tests.images import png_upload
from hayat.core.errors import DomainError
from hayat.core.models import AuditEvent
from hayat.core.roles import Role

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Sunrise-over-Samarkand-7"


def new_user_data(**overrides) -> UserData:
    values = {"user_id": "n.karimova", "full_name": "Nodira Karimova", "role": Role.NURSE}
    values.update(overrides)
    return UserData(**values)


def test_admin_creates_a_user_with_a_hashed_password(admin_user):
    user = services.create_user(by=admin_user, data=new_user_data(), password=GOOD_PASSWORD)
    user.refresh_from_db()
    assert user.password != GOOD_PASSWORD and user.password.startswith("md5$")
    assert user.check_password(GOOD_PASSWORD)
    assert AuditEvent.objects.filter(action="user.create", object_id=str(user.pk), actor_id=admin_user.pk).exists()


def test_a_password_saved_through_the_orm_is_hashed_too(db):
    user = User.objects.create(user_id="raw", full_name="Raw Door", role=Role.TELLER, password="plain-text-9")
    user.refresh_from_db()
    assert user.password != "plain-text-9"
    assert user.check_password("plain-text-9")


def test_the_first_admin_of_a_real_installation_comes_from_createsuperuser(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "first-admin-Secret-9")
    call_command("createsuperuser", interactive=False, user_id="boss", full_name="Bahrom Boss", stdout=StringIO())
    boss = User.objects.get(user_id="boss")
    assert (boss.role, boss.is_staff) == (Role.ADMIN, True)
    assert boss.password != "first-admin-Secret-9" and boss.check_password("first-admin-Secret-9")


def test_receptionist_cannot_create_users(receptionist):
    with pytest.raises(PermissionDenied):
        services.create_user(by=receptionist, data=new_user_data(), password=GOOD_PASSWORD)
    assert not User.objects.filter(user_id="n.karimova").exists()


def test_weak_passwords_and_taken_user_ids_are_refused_with_a_message(admin_user, nurse):
    with pytest.raises(DomainError) as weak:
        services.create_user(by=admin_user, data=new_user_data(), password="123")
    assert weak.value.field == "password"
    with pytest.raises(DomainError) as taken:
        services.create_user(by=admin_user, data=new_user_data(user_id=nurse.user_id.upper()), password=GOOD_PASSWORD)
    assert taken.value.field == "user_id" and "taken" in taken.value.message


def test_unknown_role_is_refused_by_the_service_and_the_database(admin_user):
    with pytest.raises(DomainError):
        services.create_user(by=admin_user, data=new_user_data(role="janitor"), password=GOOD_PASSWORD)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(user_id="x", full_name="X", role="janitor")


def test_only_doctors_keep_specialisations(admin_user):
    from hayat.accounts.models import Specialisation

    cardiology = Specialisation.objects.create(name="Cardiology")
    doctor = services.create_user(by=admin_user, data=new_user_data(role=Role.DOCTOR, specialisations=[cardiology]),
                                  password=GOOD_PASSWORD)
    assert list(doctor.specialisations.all()) == [cardiology]
    services.update_user(by=admin_user, user=doctor, data=new_user_data(role=Role.NURSE, specialisations=[cardiology]))
    assert doctor.specialisations.count() == 0


def test_deactivated_user_cannot_log_in_and_admin_cannot_lock_themselves_out(admin_user, nurse, client):
    services.set_active(by=admin_user, user=nurse, active=False)
    response = client.post(reverse("login"), {"username": nurse.user_id, "password": TEST_PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    with pytest.raises(DomainError):
        services.set_active(by=admin_user, user=admin_user, active=False)
    with pytest.raises(DomainError):
        services.update_user(by=admin_user, user=admin_user, data=new_user_data(user_id="admin1", role=Role.NURSE))


def test_reset_password_changes_the_hash_and_is_audited(admin_user, nurse):
    services.reset_password(by=admin_user, user=nurse, new_password=GOOD_PASSWORD)
    nurse.refresh_from_db()
    assert nurse.check_password(GOOD_PASSWORD)
    assert AuditEvent.objects.filter(action="user.reset_password", object_id=str(nurse.pk)).exists()


def test_field_history_records_role_changes(admin_user, nurse):
    services.update_user(by=admin_user, user=nurse, data=new_user_data(user_id=nurse.user_id, role=Role.TELLER))
    roles = list(nurse.history.order_by("history_date").values_list("role", flat=True))
    assert roles[-2:] == [Role.NURSE, Role.TELLER]


def test_logging_in_writes_no_history_row(client, nurse):
    before = nurse.history.count()
    client.post(reverse("login"), {"username": nurse.user_id, "password": TEST_PASSWORD})
    nurse.refresh_from_db()
    assert nurse.last_login is not None and nurse.history.count() == before


def test_avatar_must_really_be_a_picture(nurse):
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    with pytest.raises(DomainError) as refused:
        services.set_avatar(by=nurse, user=nurse, upload=fake)
    assert refused.value.field == "avatar"
    nurse.refresh_from_db()
    assert not nurse.avatar


def test_avatar_over_the_size_limit_is_refused(nurse, settings):
    settings.HAYAT_AVATAR_MAX_BYTES = 100
    with pytest.raises(DomainError) as refused:
        services.set_avatar(by=nurse, user=nurse, upload=png_upload(size=(64, 64)))
    assert "limit" in refused.value.message


def test_avatar_upload_and_serving_through_the_profile_page(nurse, client_as):
    client = client_as(nurse)
    response = client.post(reverse("accounts:profile"), {"upload_avatar": "1", "avatar": png_upload()})
    assert response.status_code == 302
    nurse.refresh_from_db()
    served = client.get(reverse("accounts:avatar", args=[nurse.pk]))
    assert served["Content-Type"] == "image/png"
    with Image.open(BytesIO(b"".join(served.streaming_content))) as picture:
        assert (picture.format, picture.size, picture.getpixel((0, 0))) == ("PNG", (8, 8), (200, 30, 30))


def test_admin_pages_create_edit_and_deactivate_a_user(admin_user, client_as):
    client = client_as(admin_user)
    response = client.post(reverse("accounts:user_create"), {
        "user_id": "t.aliyev", "full_name": "Timur Aliyev", "role": Role.TELLER, "password": GOOD_PASSWORD})
    user = User.objects.get(user_id="t.aliyev")
    assert response["Location"] == reverse("accounts:user_edit", args=[user.pk])
    assert user.check_password(GOOD_PASSWORD)
    page = client.get(reverse("accounts:user_edit", args=[user.pk]))
    assert "Timur Aliyev" in page.content.decode()
    client.post(reverse("accounts:user_set_active", args=[user.pk]), {"active": "0"})
    user.refresh_from_db()
    assert not user.is_active


def test_admin_changes_a_role_and_resets_a_password_from_the_pages(admin_user, nurse, client_as):
    client = client_as(admin_user)
    client.post(reverse("accounts:user_edit", args=[nurse.pk]),
                {"user_id": nurse.user_id, "full_name": nurse.full_name, "role": Role.TELLER})
    page = client.post(reverse("accounts:user_reset_password", args=[nurse.pk]), {"new_password": GOOD_PASSWORD},
                       follow=True).content.decode()
    assert "Password reset. Tell the user their new password in person." in page
    nurse.refresh_from_db()
    assert nurse.role == Role.TELLER
    assert nurse.password != GOOD_PASSWORD and nurse.check_password(GOOD_PASSWORD)
    actions = set(AuditEvent.objects.filter(object_id=str(nurse.pk)).values_list("action", flat=True))
    assert {"user.update", "user.reset_password"} <= actions


def test_admin_changes_a_role_resets_a_password_and_deactivates_through_the_api(api_as, admin_user, nurse):
    api = api_as(admin_user)
    changed = api.put(reverse("user-detail", args=[nurse.pk]),
                      {"user_id": nurse.user_id, "full_name": nurse.full_name, "role": Role.CODER}, format="json")
    assert changed.json()["role"] == Role.CODER
    weak = api.post(reverse("user-reset-password", args=[nurse.pk]), {"new_password": "123"}, format="json")
    assert weak.status_code == 400 and list(weak.json()["errors"]) == ["password"]
    assert User.objects.get(pk=nurse.pk).check_password(TEST_PASSWORD)
    reset = api.post(reverse("user-reset-password", args=[nurse.pk]), {"new_password": GOOD_PASSWORD}, format="json")
    assert reset.status_code == 204
    deactivated = api.post(reverse("user-set-active", args=[nurse.pk]), {"active": False}, format="json")
    assert deactivated.json()["is_active"] is False
    nurse.refresh_from_db()
    assert (nurse.role, nurse.is_active) == (Role.CODER, False)
    assert nurse.password != GOOD_PASSWORD and nurse.check_password(GOOD_PASSWORD)


def test_a_user_changes_their_own_password_on_the_profile_page_and_logs_in_again(nurse, client_as):
    client = client_as(nurse)
    wrong = client.post(reverse("accounts:profile"), {"change_password": "1", "old_password": "not-it",
                                                      "new_password": GOOD_PASSWORD})
    assert wrong.status_code == 200 and "The current password is not correct." in wrong.content.decode()
    assert User.objects.get(pk=nurse.pk).check_password(TEST_PASSWORD)
    done = client.post(reverse("accounts:profile"), {"change_password": "1", "old_password": TEST_PASSWORD,
                                                     "new_password": GOOD_PASSWORD}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("login")
    assert "Your password was changed. Please log in again." in done.content.decode()
    nurse.refresh_from_db()
    assert nurse.password != GOOD_PASSWORD and nurse.check_password(GOOD_PASSWORD)
    assert AuditEvent.objects.filter(action="user.change_password", object_id=str(nurse.pk)).exists()


def test_admin_page_shows_form_errors_instead_of_failing(admin_user, client_as):
    client = client_as(admin_user)
    response = client.post(reverse("accounts:user_create"), {
        "user_id": "weak", "full_name": "Weak Password", "role": Role.TELLER, "password": "123"})
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not User.objects.filter(user_id="weak").exists()


def test_user_list_search_has_a_constant_query_count(admin_user, client_as, make_user,
                                                     django_assert_max_num_queries):
    client = client_as(admin_user)
    for index in range(30):
        make_user(Role.NURSE, user_id=f"nurse-{index}")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("accounts:user_list"), {"q": "nurse"})
    assert response.content.decode().count("nurse-") >= 25


def test_resetting_a_password_with_an_empty_field_says_so_and_changes_nothing(admin_user, nurse, client_as):
    client = client_as(admin_user)
    before = User.objects.get(pk=nurse.pk).password
    response = client.post(reverse("accounts:user_reset_password", args=[nurse.pk]), {"new_password": "  "},
                           follow=True)
    assert "The password was not changed: type the new password first." in response.content.decode()
    assert User.objects.get(pk=nurse.pk).password == before
    assert not AuditEvent.objects.filter(action="user.reset_password").exists()


def test_a_user_of_a_deactivated_department_can_still_be_edited(admin_user, nurse, client_as):
    from hayat.accounts.tests.factories import DepartmentFactory

    closed = DepartmentFactory(name="Closed ward", is_active=False)
    User.objects.filter(pk=nurse.pk).update(department=closed)
    client = client_as(admin_user)
    assert "Closed ward" in client.get(reverse("accounts:user_edit", args=[nurse.pk])).content.decode()
    response = client.post(reverse("accounts:user_edit", args=[nurse.pk]), {
        "user_id": nurse.user_id, "full_name": "Nina Renamed", "role": Role.NURSE, "department": closed.pk})
    assert response.status_code == 302
    nurse.refresh_from_db()
    assert (nurse.full_name, nurse.department) == ("Nina Renamed", closed)


def test_nobody_new_joins_a_deactivated_department(admin_user, nurse, doctor, client_as, api_as):
    from hayat.accounts.tests.factories import DepartmentFactory

    closed = DepartmentFactory(name="Closed ward", is_active=False)
    with pytest.raises(DomainError) as refused:
        services.update_user(by=admin_user, user=doctor, data=new_user_data(
            user_id=doctor.user_id, role=Role.DOCTOR, department=closed))
    assert refused.value.field == "department"
    page = client_as(admin_user).post(reverse("accounts:user_edit", args=[doctor.pk]), {
        "user_id": doctor.user_id, "full_name": doctor.full_name, "role": Role.DOCTOR, "department": closed.pk})
    assert page.status_code == 200
    response = api_as(admin_user).put(reverse("user-detail", args=[doctor.pk]), {
        "user_id": doctor.user_id, "full_name": doctor.full_name, "role": Role.DOCTOR, "department": closed.pk},
        format="json")
    assert response.status_code == 400 and "department" in response.json()["errors"]
    doctor.refresh_from_db()
    assert doctor.department is None


@pytest.mark.parametrize(("full_name", "short", "initials"), [
    ("Dr. Bakhtiyor Karimov", "Bakhtiyor", "BK"), ("Prof. Dr. Ana Reyes", "Ana", "AR"),
    ("Dilnoza Yusupova", "Dilnoza", "DY"), ("Dr.", "Dr.", "D"),
])
def test_greetings_and_initials_skip_titles(make_user, full_name, short, initials):
    user = make_user(full_name=full_name)
    assert (user.get_short_name(), user.initials) == (short, initials)
