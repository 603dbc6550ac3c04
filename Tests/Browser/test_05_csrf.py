"""A POST without a valid CSRF token is refused (403, #csrf-refused) and writes nothing."""

import json

import pytest

pytestmark = pytest.mark.story("csrf")


def tamper(browser, form, token):
    """Removes the form's hidden csrf input (token None) or replaces its value."""
    if token is None:
        browser.driver.execute_script("arguments[0].querySelectorAll(\"input[name='csrf']\").forEach(e => e.remove())", form)
    else:
        browser.driver.execute_script(
            "arguments[0].querySelectorAll(\"input[name='csrf']\").forEach(e => e.value = arguments[1])", form, token
        )


def assert_refused(browser, what):
    status = browser.status()
    assert status == 403, f"{what}: answered {status}, not 403 (page: {browser.visible_text()[:300]!r})"
    assert browser.has("#csrf-refused"), f"{what}: no #csrf-refused on the 403 page"


def articles_by(cli, author):
    return len(json.loads(cli.run("list", "--author", author, "--json").stdout))


def test_posts_without_the_token_write_nothing(desk, cli):
    article = cli.draft("alice", "Bridge closed for repairs", body="The bridge closes on Monday.")
    alice = desk.browser("alice")
    bob = desk.browser("bob")

    # A command without the token, then with a made-up one, then with bob's (another session's) token.
    bob.go(f"/desk/articles/{article}", "article")
    bobs_token = bob.value(bob.find("form.action[data-command]"), "csrf")
    for label, token in (("no-token", None), ("made-up-token", "0" * 43), ("another-sessions-token", bobs_token)):
        alice.go(f"/desk/articles/{article}", "article")
        form = alice.action_form("submit")
        assert form is not None, f"alice is not offered submit: {alice.actions()}"
        assert alice.value(form, "csrf"), "the submit form carries no csrf token"
        tamper(alice, form, token)
        alice.submit(form, f"submit-{label}")
        assert_refused(alice, f"submit with {label}")
        shown = cli.show(article)
        assert (shown["version"], shown["state"]) == (1, "draft"), f"submit with {label} wrote: {shown}"

    # An edit without the token.
    alice.go(f"/desk/articles/{article}/edit", "edit")
    form = alice.find("form#edit-article")
    alice.fill(form, "title", "Bridge closed for repairs until May")
    tamper(alice, form, None)
    alice.click("#edit-submit", "edit-no-token")
    assert_refused(alice, "edit without a token")
    assert cli.show(article)["title"] == "Bridge closed for repairs", "the edit without a token was written"

    # A new article without the token.
    before = articles_by(cli, "alice")
    alice.go("/desk/articles/new", "new")
    form = alice.find("form#new-article")
    alice.fill(form, "title", "Market moves")
    tamper(alice, form, None)
    alice.click("#new-article-submit", "new-no-token")
    assert_refused(alice, "new article without a token")
    assert articles_by(cli, "alice") == before, "an article was drafted without a token"

    # Signing out without the token does not sign out.
    alice.go("/desk", "desk")
    form = alice.find("form#sign-out")
    tamper(alice, form, None)
    alice.click("#sign-out-submit", "sign-out-no-token")
    assert_refused(alice, "sign-out without a token")
    alice.go("/desk", "desk-still-signed-in")
    assert alice.path == "/desk" and alice.has("#whoami"), f"alice was signed out by a POST without a token ({alice.path})"

    # With its token the same form works (the refusals above were the token's doing).
    alice.go(f"/desk/articles/{article}", "article")
    alice.submit(alice.action_form("submit"), "submitted")
    assert cli.show(article)["state"] == "in_review"
