"""Two sessions editing one article: the second save shows the conflict page and keeps what was typed."""

import time

import pytest

pytestmark = pytest.mark.story("conflict")

LEAD = "The harbour reopens on Monday."
BODY = "The harbour closed two years ago for works.\n\nShips will berth again from Monday morning."


def test_second_save_gets_the_conflict_page_and_keeps_the_text(desk, cli):
    article = cli.draft("alice", "Harbour reopens", body=BODY, lead=LEAD, section="City")
    alice = desk.browser("alice")
    bob = desk.browser("bob")
    # dora only watches the article page: the banner must tell her someone changed it.
    dora = desk.browser("dora")
    dora.go(f"/desk/articles/{article}", "watching-article")
    banner = dora.find("#changed-banner")
    assert not banner.is_displayed(), "the changed banner shows before anything changed"

    # Both open the edit form at version 1.
    alice.go(f"/desk/articles/{article}/edit", "edit")
    bob.go(f"/desk/articles/{article}/edit", "edit")
    alice_form = alice.find("form#edit-article")
    bob_form = bob.find("form#edit-article")
    assert alice.value(alice_form, "expected_version") == bob.value(bob_form, "expected_version") == "1"
    assert alice.value(alice_form, "body").replace("\r\n", "\n") == BODY

    # alice saves first.
    alice_lead = "The harbour reopens on Monday after two years of works."
    alice.fill(alice_form, "lead", alice_lead)
    alice.click("#edit-submit", "saved-first")
    assert alice.path.split("?")[0] == f"/desk/articles/{article}", alice.path
    assert alice.text("#article-lead") == alice_lead
    assert cli.show(article)["version"] == 2

    # The page dora has open says so (desk.js, from the feed).
    deadline = time.monotonic() + 15
    while not banner.is_displayed():
        assert time.monotonic() < deadline, "#changed-banner did not appear on dora's open page within 15 s"
        time.sleep(0.25)
    dora.arrived("changed-banner")

    # bob, still on version 1, rewrites the body and saves: the conflict page, with his text kept.
    bob_body = "The harbour closed two years ago for works on the quay.\n\nShips berth again from Monday, 6:00."
    bob.fill(bob_form, "body", bob_body)
    bob.fill(bob_form, "note", "times from the port authority")
    bob.click("#edit-submit", "conflict")
    assert bob.status() == 409, f"the second save answered {bob.status()}, not 409"
    conflict = bob.find("#conflict")
    yours = bob.find("#yours", within=conflict)
    apply_mine = bob.find("form#apply-mine", within=yours)
    assert bob.value(apply_mine, "body").replace("\r\n", "\n") == bob_body, "bob's typed body was not kept"
    assert bob.value(apply_mine, "note") == "times from the port authority", "bob's note was not kept"
    assert bob.value(apply_mine, "expected_version") == "2", "#apply-mine does not expect the current version"
    assert bob.value(apply_mine, "base_version") == "1", "#apply-mine does not remember the version bob opened"
    assert alice_lead in bob.text("#theirs"), "#theirs does not show what is there now"
    meanwhile = bob.find("#meanwhile", within=conflict)
    assert "two years of works" in meanwhile.text, f"#meanwhile does not show alice's change: {meanwhile.text!r}"
    assert meanwhile.find_elements("css selector", "ins"), "#meanwhile marks no insertion"
    assert cli.show(article)["body"] == BODY, "the refused save wrote something"

    # Applying his on top works.
    bob.submit(apply_mine, "applied-mine")
    assert bob.path.split("?")[0] == f"/desk/articles/{article}", bob.path
    assert not bob.flash("error"), bob.flash("error")
    stored = cli.show(article)
    assert stored["version"] == 3
    assert stored["body"] == bob_body
    assert "Ships berth again from Monday, 6:00." in bob.text("#article-body")


def test_applying_mine_on_top_keeps_what_i_did_not_touch(desk, cli):
    """bob changes only the body; meanwhile alice changed the lead. "Apply mine on top" must not put back the
    lead bob's form was opened with: that would undo alice's change without anyone choosing to (the lost
    update the conflict page exists to prevent)."""
    article = cli.draft("alice", "Bridge reopens", body=BODY, lead=LEAD, section="City")
    bob = desk.browser("bob")
    bob.go(f"/desk/articles/{article}/edit", "edit")
    form = bob.find("form#edit-article")
    alice_lead = "The bridge reopens on Monday after two years of works."
    cli.run("edit", article, "--lead", alice_lead, "--as", "alice")
    bob_body = BODY.replace("Monday morning", "Monday, 6:00")
    bob.fill(form, "body", bob_body)
    bob.click("#edit-submit", "conflict")
    assert bob.status() == 409 and bob.has("#conflict"), bob.status()
    bob.submit("form#apply-mine", "applied-mine")
    stored = cli.show(article)
    assert stored["body"] == bob_body
    assert stored["lead"] == alice_lead, (
        f"applying bob's text on top undid alice's change to the lead, which bob never touched: "
        f"the lead is {stored['lead']!r} again, not {alice_lead!r}"
    )
