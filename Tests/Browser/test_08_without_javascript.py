"""Every page works without JavaScript: a short round of work in browsers with JavaScript switched off."""

import pytest

from desk import article_id

pytestmark = pytest.mark.story("no-js")


def test_the_desk_works_without_javascript(desk, cli):
    alice = desk.browser("alice", javascript=False)
    assert alice.driver.execute_script("return 1") == 1  # WebDriver still runs scripts; the page's own do not
    alice.click("#nav-new", "new")
    form = alice.find("form#new-article")
    alice.fill(form, "title", "Market moves to the square")
    alice.fill(form, "body", "From Saturday the market is on the square.")
    alice.fill(form, "section", "City")
    alice.click("#new-article-submit", "created")
    article = article_id(alice.path)
    alice.submit(alice.action_form("submit"), "submitted")
    assert alice.text("#article-state") == "in_review"

    carol = desk.browser("carol", javascript=False)
    bob = desk.browser("bob", javascript=False)
    bob.go(f"/desk/articles/{article}", "article")
    bob.submit(bob.action_form("approve"), "approved")
    assert bob.text("#article-state") == "approved"
    carol.go(f"/desk/articles/{article}", "article")
    form = carol.action_form("publish")
    assert carol.value(form, "zone") in ("", "UTC"), "without JavaScript the zone should default to UTC"
    carol.submit(form, "published")
    assert carol.text("#article-state") == "published"
    assert cli.show(article)["state"] == "published"
    carol.click("#sign-out-submit", "signed-out")
    assert carol.path.startswith("/desk/sign-in")
