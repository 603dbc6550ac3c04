"""Every page works without JavaScript: a short round of work in browsers that never load desk.js."""

import pytest

from desk import article_id

pytestmark = pytest.mark.story("no-js")


def test_the_desk_works_without_javascript(desk, cli):
    alice = desk.browser("alice", javascript=False)
    alice.click("#nav-new", "new")
    form = alice.find("form#new-article")
    alice.fill(form, "title", "Market moves to the square")
    alice.fill(form, "body", "From Saturday the market is on the square.")
    alice.fill(form, "section", "City")
    alice.click("#new-article-submit", "created")
    article = article_id(alice.path)
    alice.submit(alice.action_form("submit"), "submitted")
    assert alice.text("#article-state") == "in_review"

    carol = desk.browser("carol", javascript=False, timezone="Europe/Moscow")
    bob = desk.browser("bob", javascript=False)
    bob.go(f"/desk/articles/{article}", "article")
    bob.submit(bob.action_form("approve"), "approved")
    assert bob.text("#article-state") == "approved"
    carol.go(f"/desk/articles/{article}", "article")
    form = carol.action_form("publish")
    assert carol.value(form, "zone") in ("", "UTC"), f"without desk.js the zone should default to UTC, not {carol.value(form, 'zone')!r}"
    carol.submit(form, "published")
    assert carol.text("#article-state") == "published"
    assert cli.show(article)["state"] == "published"
    carol.click("#sign-out-submit", "signed-out")
    assert carol.path.startswith("/desk/sign-in")
