"""Browsers ask every site for /favicon.ico: Hayat answers with its icon, to anyone, without a 404 in the log."""

from django.test import Client


def test_the_favicon_is_served_at_the_root_without_signing_in():
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # the ICO header
