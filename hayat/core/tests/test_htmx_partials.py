"""A live search's partial answer never stands in for its page in the browser's cache (Back shows the page)."""

from django.urls import reverse


def test_a_partial_answer_varies_on_hx_request_and_is_never_stored(receptionist, client_as):
    client = client_as(receptionist)
    partial = client.get(reverse("patients:list"), {"q": "karimov"}, headers={"HX-Request": "true"})
    assert "HX-Request" in partial["Vary"]
    assert "no-store" in partial["Cache-Control"]


def test_the_full_page_varies_on_hx_request_too(receptionist, client_as):
    page = client_as(receptionist).get(reverse("patients:list"), {"q": "karimov"})
    assert "HX-Request" in page["Vary"]
    assert "no-store" in page["Cache-Control"]  # it shows patients: kept out of every cache, as the partial
