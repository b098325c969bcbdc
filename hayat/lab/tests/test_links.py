"""A result may belong to one of the patient's episodes or stays, never to someone else's."""

from datetime import timedelta

import pytest
from django.urls import reverse

from hayat.clinical.tests.factories import checked_in
from hayat.core.errors import DomainError
from hayat.lab import services
from hayat.lab.tests.factories import make_patient, make_result
from hayat.stays.models import BookingStatus
from hayat.stays.tests.factories import book, make_room, make_tariff

pytestmark = pytest.mark.django_db


@pytest.fixture
def stay(receptionist, patient, clock):
    room = make_room("101")
    return book(receptionist, guests=[(patient, room, make_tariff(prices={"Standard": "100000"}))],
                start=clock.now().date() + timedelta(days=1))


def data(by, test_type, **links) -> services.ResultData:
    from hayat.core import clock

    return services.ResultData(test_type=test_type, summary="ECG normal", performed_by=by,
                               performed_at=clock.now(), **links)


def test_a_result_belongs_to_the_patients_episode_and_stay(doctor, receptionist, patient, cbc, stay):
    episode = checked_in(patient, receptionist)
    result = services.create_result(by=doctor, patient=patient, data=data(doctor, cbc, episode=episode,
                                                                          booking=stay))
    assert result.episode == episode and result.booking == stay
    assert list(episode.lab_results.all()) == [result] and list(stay.lab_results.all()) == [result]


def test_another_patients_episode_or_stay_is_refused(doctor, receptionist, patient, cbc, stay):
    stranger = make_patient("Other", "Person")
    with pytest.raises(DomainError) as episode:
        services.create_result(by=doctor, patient=stranger,
                               data=data(doctor, cbc, episode=checked_in(patient, receptionist)))
    assert (episode.value.field, episode.value.code) == ("episode", "other_patient")
    with pytest.raises(DomainError) as booking:
        services.create_result(by=doctor, patient=stranger, data=data(doctor, cbc, booking=stay))
    assert booking.value.field == "booking"


def test_the_new_result_form_suggests_the_open_episode_and_offers_only_the_patients(
        doctor, receptionist, patient, client_as, stay, cbc):
    episode = checked_in(patient, receptionist)
    other_episode = checked_in(make_patient("Other", "Person"), receptionist)
    client = client_as(doctor)
    page = client.get(reverse("lab:result_create"), {"patient": patient.pk}).content.decode()
    assert f'<option value="{episode.pk}" selected>' in page
    assert episode.case_number in page and stay.number in page and other_episode.case_number not in page
    links = client.get(reverse("lab:patient_links"), {"patient": patient.pk}).content.decode()
    assert 'id="link-fields"' in links and episode.case_number in links and "<html" not in links
    assert "No episode" in client.get(reverse("lab:patient_links"), {"patient": "x"}).content.decode()


def test_a_stay_in_the_house_is_suggested(doctor, receptionist, patient, stay):
    from hayat.lab import selectors

    assert selectors.current_links(patient.pk)["booking"] is None
    type(stay).objects.filter(pk=stay.pk).update(status=BookingStatus.CHECKED_IN)
    assert selectors.current_links(patient.pk)["booking"] == stay


def test_the_list_and_api_filter_by_episode(doctor, receptionist, patient, cbc, api_as, client_as):
    episode = checked_in(patient, receptionist)
    linked = make_result(by=doctor, patient=patient, test_type=cbc)
    services.update_result(by=doctor, result=linked, data=data(doctor, cbc, episode=episode))
    loose = make_result(by=doctor, patient=patient, test_type=cbc)
    body = api_as(doctor).get(reverse("lab-result-list"), {"episode": episode.pk}).json()
    assert [item["code"] for item in body["results"]] == [linked.code]
    assert body["results"][0]["episode"] == {"id": episode.pk, "case_number": episode.case_number}
    page = client_as(doctor).get(reverse("lab:result_list"), {"episode": episode.pk},
                                 HTTP_HX_REQUEST="true").content.decode()
    assert linked.code in page and loose.code not in page


def test_each_row_links_to_the_results_of_its_episode_and_stay_and_the_list_names_its_scope(
        doctor, receptionist, patient, cbc, client_as, stay):
    episode = checked_in(patient, receptionist)
    result = services.create_result(by=doctor, patient=patient, data=data(doctor, cbc, episode=episode,
                                                                          booking=stay))
    client = client_as(doctor)
    rows = client.get(reverse("lab:result_list"), HTTP_HX_REQUEST="true").content.decode()
    assert f'href="{reverse("lab:result_list")}?episode={episode.pk}"' in rows and episode.case_number in rows
    assert f'href="{reverse("lab:result_list")}?booking={stay.pk}"' in rows and stay.number in rows
    assert 'id="list-scope"' not in client.get(reverse("lab:result_list")).content.decode()
    narrowed = client.get(reverse("lab:result_list"), {"episode": episode.pk, "booking": stay.pk,
                                                       "patient": patient.pk}).content.decode()
    scope = narrowed[narrowed.index('id="list-scope"'):narrowed.index('id="result-rows"')]
    assert f"episode {episode.case_number}" in scope and f"stay {stay.number}" in scope
    assert patient.code in scope and "Show all results" in scope
    assert result.code in narrowed


def test_the_api_links_a_new_result_to_an_episode(doctor, receptionist, patient, cbc, api_as):
    episode = checked_in(patient, receptionist)
    response = api_as(doctor).post(reverse("lab-result-list"), {
        "patient": patient.pk, "test_type": cbc.pk, "summary": "x", "episode": episode.pk}, format="json")
    assert response.status_code == 201 and response.json()["episode"]["id"] == episode.pk
    stranger = make_patient("Other", "Person")
    refused = api_as(doctor).post(reverse("lab-result-list"), {
        "patient": stranger.pk, "test_type": cbc.pk, "summary": "x", "episode": episode.pk}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "other_patient"


def test_episode_and_stay_pages_lead_to_their_results_for_those_who_may_read_them(
        doctor, receptionist, patient, cbc, stay, client_as):
    episode = checked_in(patient, receptionist)
    services.create_result(by=doctor, patient=patient, data=data(doctor, cbc, episode=episode, booking=stay))
    services.create_result(by=doctor, patient=patient, data=data(doctor, cbc, episode=episode))
    episode_page = client_as(doctor).get(episode.get_absolute_url()).content.decode()
    button = episode_page[episode_page.index('id="lab-results-for"') - 60:]
    button = button[:button.index("</a>")]
    assert f"?episode={episode.pk}" in button and ">2</span>" in button
    assert f'{reverse("lab:result_create")}?patient={patient.pk}' in episode_page
    stay_page = client_as(doctor).get(stay.get_absolute_url()).content.decode()
    button = stay_page[stay_page.index('id="lab-results-for"') - 60:]
    assert f"?booking={stay.pk}" in button[:button.index("</a>")] and ">1</span>" in button[:button.index("</a>")]
    assert 'id="new-lab-result-for"' not in stay_page
    for page in (client_as(receptionist).get(url).content.decode()
                 for url in (episode.get_absolute_url(), stay.get_absolute_url())):
        assert 'id="lab-results-for"' not in page
