"""Admin's operations pages and the demo seed."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape
from django_q.models import Schedule, Success

from hayat.accounts.models import User
from hayat.core import audit
from hayat.core.formats import format_datetime
from hayat.core.roles import Role
from hayat.ops.forms import ActivityFilterForm
from hayat.ops.schedules import HEARTBEAT

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_one_login_per_role_and_a_second_run_changes_nothing(capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    assert {user.role for user in User.objects.all()} == set(Role.values)
    nurse = User.objects.get(user_id="nurse")
    nurse.set_password("changed-by-the-nurse-1")
    nurse.save()
    count = User.objects.count()
    call_command("seed_demo")
    assert User.objects.count() == count
    nurse.refresh_from_db()
    assert nurse.check_password("changed-by-the-nurse-1")
    for user_id in ("admin", "reception", "doctor", "nurse", "teller", "coder"):
        assert f"{user_id:<12}hayat-{user_id}-demo" in first


def test_seed_demo_prints_a_demo_password_only_while_it_still_works(capsys):
    call_command("seed_demo")
    capsys.readouterr()
    nurse = User.objects.get(user_id="nurse")
    nurse.set_password("changed-by-the-nurse-1")
    nurse.save()
    call_command("seed_demo")
    second = capsys.readouterr().out
    assert "hayat-nurse-demo" not in second and f"{'nurse':<12}(changed, not shown)" in second
    assert f"{'doctor':<12}hayat-doctor-demo" in second


def test_heartbeat_schedule_exists_exactly_once_after_migrations():
    assert Schedule.objects.filter(name="heartbeat", func="hayat.ops.jobs.heartbeat").count() == 1


def test_activity_log_shows_changes_and_filters_by_patient(admin_user, nurse, client_as):
    audit.record("patient.update", by=nurse, patient_id=42, changes={"mobile": ["+998901112233", "+998907654321"]})
    audit.record("user.update", by=admin_user, obj=nurse)
    audit.log_access(by=nurse, patient_id=42, what="patient page")
    client = client_as(admin_user)
    page = client.get(reverse("ops:activity"), {"patient": "42"}).content.decode()
    assert "patient.update" in page and "+998907654321" in page and "user.update" not in page
    access = client.get(reverse("ops:activity"), {"log": "access", "patient": "42"}).content.decode()
    assert "patient page" in access and nurse.full_name in access


def test_activity_log_has_a_constant_query_count(admin_user, client_as, django_assert_max_num_queries):
    for index in range(40):
        audit.record("user.update", by=admin_user, note=f"change {index}")
    client = client_as(admin_user)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("ops:activity"))
    assert response.content.decode().count("user.update") >= 40


def heartbeat_at(moment) -> None:
    Success.objects.create(id=f"beat-{moment:%H%M%S}", name="heartbeat", func=HEARTBEAT, started=moment,
                           stopped=moment, success=True)


def test_jobs_page_lists_the_heartbeat_schedule(admin_user, client_as):
    page = client_as(admin_user).get(reverse("ops:jobs")).content.decode()
    assert "hayat.ops.jobs.heartbeat" in page and "The background worker has not reported yet." in page


def test_the_django_admin_shows_the_heartbeat_schedule_and_its_runs(admin_user, client_as, clock):
    heartbeat_at(clock.now())
    client = client_as(admin_user)
    schedules = client.get(reverse("admin:django_q_schedule_changelist")).content.decode()
    assert "heartbeat" in schedules and HEARTBEAT in schedules
    runs = client.get(reverse("admin:django_q_success_changelist")).content.decode()
    assert HEARTBEAT in runs


def test_worker_shows_running_while_heartbeats_are_recent(admin_user, client_as, clock, settings):
    settings.HAYAT_HEARTBEAT_MINUTES = 1
    heartbeat_at(clock.now() - timedelta(minutes=2))
    client = client_as(admin_user)
    for page in (client.get(reverse("ops:jobs")), client.get(reverse("web:dashboard"))):
        html = page.content.decode()
        assert 'data-worker="running"' in html and "The worker last reported 2\xa0minutes ago." in html
        assert "seems stopped" not in html


def test_worker_shows_a_warning_once_heartbeats_stop_coming(admin_user, client_as, clock, settings):
    settings.HAYAT_HEARTBEAT_MINUTES = 1
    last = clock.now() - timedelta(minutes=4)
    heartbeat_at(last)
    client = client_as(admin_user)
    for page in (client.get(reverse("ops:jobs")), client.get(reverse("web:dashboard"))):
        html = page.content.decode()
        assert 'data-worker="stopped"' in html and 'data-worker="running"' not in html
        assert "The worker seems stopped: it last ran 4\xa0minutes ago" in html
        assert format_datetime(last) in html


def test_dashboard_shows_worker_panel_to_admin_only(admin_user, nurse, client_as, client):
    assert "Background worker" in client_as(admin_user).get(reverse("web:dashboard")).content.decode()
    client.logout()
    assert "Background worker" not in client_as(nurse).get(reverse("web:dashboard")).content.decode()


@pytest.mark.parametrize("query", [{"patient": "²"}, {"patient": "99999999999999999999999"}, {"patient": "-1"},
                                   {"since": "0001-01-01"}, {"until": "9999-12-31"}, {"since": "abc"},
                                   {"log": "access", "patient": "²"}, {"log": "access", "since": "0001-01-01"}])
def test_activity_log_answers_filters_it_cannot_use_with_a_message(admin_user, client_as, query):
    audit.record("user.update", by=admin_user, patient_id=7)
    audit.log_access(by=admin_user, patient_id=7, what="patient page")
    response = client_as(admin_user).get(reverse("ops:activity"), query)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing matches these filters." in page
    refused = ActivityFilterForm(query)
    assert not refused.is_valid()
    for message in (message for messages in refused.errors.values() for message in messages):
        assert escape(message) in page


def test_activity_log_keeps_dates_at_the_edges_of_the_sane_range(admin_user, client_as):
    audit.record("user.update", by=admin_user, note="kept")
    page = client_as(admin_user).get(reverse("ops:activity"),
                                     {"since": "1900-01-01", "until": "2199-12-31"}).content.decode()
    assert "kept" in page


def test_registering_a_schedule_again_keeps_one_row_and_takes_the_new_interval():
    from django.apps import apps

    from hayat.ops.schedules import register

    register(apps, name="heartbeat", func=HEARTBEAT, minutes=1)
    register(apps, name="heartbeat", func=HEARTBEAT, minutes=7)
    heartbeat = Schedule.objects.get(name="heartbeat")
    assert (heartbeat.func, heartbeat.minutes) == (HEARTBEAT, 7)
