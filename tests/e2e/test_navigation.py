"""Each role logs in through the browser and sees exactly the menu written down here for it.

The lists are written out by hand on purpose: a menu entry that appears for a role, or goes missing, must
be a decision someone makes here, not something the test recomputes from the code that draws the menu.
"""

import pytest
from django.urls import reverse

from hayat.core.roles import Role

DASHBOARD = ["/"]
FRONT_DESK_DAY = ["/patients/", "/facilities/availability/", "/facilities/maintenance/"]
SET_UP_FOR_EVERYONE = ["/facilities/rooms/", "/facilities/departments/", "/catalog/services/", "/catalog/tariffs/"]
TREATMENT = ["/treatment/", "/treatment/day-sheet/"]
MENUS = {
    Role.ADMIN: {
        "Work": [*FRONT_DESK_DAY, "/stays/bookings/", "/stays/reservations/", "/stays/waitlist/",
                 "/stays/calendar/", "/stays/book/", "/clinical/", "/lab/", "/billing/", "/billing/cash-report/",
                 *TREATMENT, "/reports/", "/messages/"],
        "Set-up": [*SET_UP_FOR_EVERYONE, "/clinical/icd/mappings/", "/lab/test-types/", "/treatment/setup/"],
        "Administration": ["/accounts/users/", "/billing/organisations/", "/billing/refunds/", "/ops/activity/",
                           "/ops/jobs/", "/backup/", "/documents/letterhead/", "/messages/settings/", "/api/docs/"],
    },
    Role.RECEPTIONIST: {
        "Work": [*FRONT_DESK_DAY, "/stays/bookings/", "/stays/reservations/", "/stays/waitlist/",
                 "/stays/calendar/", "/stays/book/", "/clinical/", "/clinical/new/", "/billing/", *TREATMENT,
                 "/reports/", "/messages/"],
        "Set-up": SET_UP_FOR_EVERYONE,
        "Administration": ["/api/docs/"],
    },
    Role.DOCTOR: {
        "Work": [*FRONT_DESK_DAY, "/stays/bookings/", "/stays/reservations/", "/stays/calendar/", "/clinical/",
                 "/lab/", *TREATMENT, "/reports/"],
        "Set-up": SET_UP_FOR_EVERYONE,
        "Administration": ["/api/docs/"],
    },
    Role.NURSE: {
        "Work": [*FRONT_DESK_DAY, "/stays/bookings/", "/stays/reservations/", "/stays/calendar/", "/clinical/",
                 "/lab/", *TREATMENT],
        "Set-up": SET_UP_FOR_EVERYONE,
        "Administration": ["/api/docs/"],
    },
    Role.TELLER: {
        "Work": [*FRONT_DESK_DAY, "/stays/bookings/", "/stays/reservations/", "/stays/calendar/", "/clinical/",
                 "/billing/", "/billing/cash-report/", "/reports/"],
        "Set-up": SET_UP_FOR_EVERYONE,
        "Administration": ["/billing/organisations/", "/api/docs/"],
    },
    Role.CODER: {
        "Work": [*FRONT_DESK_DAY, "/clinical/"],
        "Set-up": SET_UP_FOR_EVERYONE,
        "Administration": ["/api/docs/"],
    },
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", list(Role))
def test_each_role_logs_in_and_sees_its_menu(role, make_user, page, log_in):
    user = make_user(role, user_id=f"e2e-{role}", full_name=f"E2E {role.label}")
    log_in(user)
    shown = page.locator("#main-nav a.nav-link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    expected = DASHBOARD + [href for hrefs in MENUS[role].values() for href in hrefs]
    assert shown == expected
    headings = page.locator("#main-nav > div.text-uppercase").all_inner_texts()
    assert [heading.strip().lower() for heading in headings] == [section.lower() for section in MENUS[role]]
    assert page.locator("#user-menu").inner_text().strip().endswith(str(role.label))
    if role != Role.ADMIN:
        page.goto(reverse("accounts:user_list"))
        assert "Not allowed" in page.content()
