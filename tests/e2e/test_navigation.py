"""Each role logs in through the browser and sees exactly the navigation its capabilities allow."""

import pytest
from django.urls import reverse

from hayat.core.roles import Role
from hayat.web.navigation import sections_for


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", list(Role))
def test_each_role_logs_in_and_sees_its_navigation(role, make_user, page, log_in):
    user = make_user(role, user_id=f"e2e-{role}", full_name=f"E2E {role.label}")
    log_in(user)
    shown = page.locator("#main-nav a.nav-link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    expected = [reverse(item.url_name) for _section, items in sections_for(user) for item in items]
    assert shown == expected
    assert page.locator("#user-menu").inner_text().strip().endswith(str(role.label))
    if role == Role.ADMIN:
        assert reverse("accounts:user_list") in shown
    else:
        assert reverse("accounts:user_list") not in shown
        page.goto(reverse("accounts:user_list"))
        assert "Not allowed" in page.content()
