"""Steps several browser paths share."""

from playwright.sync_api import expect


def write_epicrisis(page, history, *, procedures: str, **fields: str) -> None:
    """The doctor opens the illness history, checks the procedures proposed from the sessions, fills `fields`
    (course, results, recommendations) and saves."""
    page.goto(history.get_absolute_url())
    page.click("#write-epicrisis")
    expect(page.locator("#id_procedures")).to_have_value(procedures)
    for name, text in fields.items():
        page.fill(f"#id_{name}", text)


def save_record_part(page, shown_in: str, text: str) -> None:
    page.click("#save-record-part")
    expect(page.locator(shown_in)).to_contain_text(text)


def check_out_at_the_desk(page, booking) -> None:
    """The desk checks the stay out, confirming the dialog, and lands on its bill."""
    page.goto(booking.get_absolute_url())
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#check-out")
    page.wait_for_url("**/billing/bills/**")
