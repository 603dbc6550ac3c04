"""Article text is user input: markup in a title is shown as text, and no dialog ever opens."""

import time

import pytest
from selenium.common.exceptions import NoAlertPresentException

from desk import article_id

pytestmark = pytest.mark.story("script-title")

TITLE = "<script>alert(1)</script><img src=x onerror=alert(2)>"
LEAD = "A lead with <b>bold</b> & an \"ampersand\" <svg onload=alert(3)>"
BODY = "A body with <script>alert(4)</script>\n\nand <a href=\"javascript:alert(5)\">a link</a>."
SECTION = "City<i>"


def no_dialog(browser):
    try:
        alert = browser.driver.switch_to.alert
        text = alert.text
    except NoAlertPresentException:
        return
    alert.accept()
    raise AssertionError(f"a dialog opened in {browser.user}'s browser on {browser.path}: {text!r}")


def no_markup_from_text(browser):
    assert not browser.finds("img[src='x']"), f"an <img src=x> from the title became an element on {browser.path}"
    handlers = [e.get_attribute("outerHTML")[:120] for e in browser.finds("[onerror], [onload], [onclick]")]
    assert not handlers, f"elements with inline handlers (from the text) on {browser.path}: {handlers}"
    assert not browser.finds("a[href^='javascript']"), f"a javascript: link became an element on {browser.path}"
    scripts = [s.get_attribute("outerHTML") for s in browser.finds("script") if "alert" in (s.get_attribute("outerHTML") or "")]
    assert not scripts, f"a <script> from the text became an element on {browser.path}: {scripts}"


def test_markup_in_a_title_is_text(desk, cli):
    alice = desk.browser("alice")
    bob = desk.browser("bob")
    bob.go("/desk", "desk-watching")  # open while alice writes: desk.js refreshes it from the feed

    alice.click("#nav-new", "new")
    form = alice.find("form#new-article")
    alice.fill(form, "title", TITLE)
    alice.fill(form, "lead", LEAD)
    alice.fill(form, "body", BODY)
    alice.fill(form, "section", SECTION)
    alice.fill(form, "tags", "<b>tag</b>, plain")
    alice.click("#new-article-submit", "created")
    assert not alice.flash("error"), alice.flash("error")
    article = article_id(alice.path)
    no_dialog(alice)
    assert alice.text("#article-title") == TITLE
    assert alice.text("#article-lead") == LEAD
    assert "<script>alert(4)</script>" in alice.text("#article-body")
    no_markup_from_text(alice)
    assert TITLE in alice.driver.title, f"the window title is {alice.driver.title!r}"
    status, _, html = alice.fetch(f"/desk/articles/{article}")
    assert status == 200
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html, "the title is not escaped in the HTML"
    stored = cli.show(article)
    assert stored["title"] == TITLE and stored["lead"] == LEAD and stored["body"] == BODY, "the text was not kept exactly"

    # The desk, its search, the edit form and the history show it as text too.
    alice.click("#nav-desk", "desk")
    links = [a for a in alice.finds("a.article-link") if article in (a.get_attribute("href") or "")]
    assert links, "the desk does not list alice's new draft"
    assert all(a.text.strip() == TITLE for a in links), [a.text for a in links]
    no_markup_from_text(alice)
    search = alice.find("form#search")
    alice.fill(search, "q", "alert")
    alice.submit(search, "search")
    results = [a for a in alice.finds("#results a.article-link") if article in (a.get_attribute("href") or "")]
    assert results and results[0].text.strip() == TITLE, f"search for 'alert' shows {alice.text('#results')!r}"
    no_markup_from_text(alice)
    alice.go(f"/desk/articles/{article}/edit", "edit")
    form = alice.find("form#edit-article")
    assert alice.value(form, "title") == TITLE
    assert alice.value(form, "lead").replace("\r\n", "\n") == LEAD
    no_markup_from_text(alice)
    alice.go(f"/desk/articles/{article}/history", "history")
    assert TITLE in alice.visible_text(), "the history page does not show the title as text"
    no_markup_from_text(alice)

    # bob's desk, open all along, and the article page he opens in a second tab: live updates (desk.js and
    # the feed) insert no markup either.
    desk_tab = bob.driver.current_window_handle
    no_dialog(bob)
    no_markup_from_text(bob)
    bob.driver.switch_to.new_window("tab")
    article_tab = bob.driver.current_window_handle
    bob.go(f"/desk/articles/{article}", "article")
    assert bob.text("#article-title") == TITLE
    no_markup_from_text(bob)
    alice.go(f"/desk/articles/{article}/edit", "edit-again")
    form = alice.find("form#edit-article")
    alice.fill(form, "title", TITLE + " <b>2</b>")
    alice.click("#edit-submit", "edited")
    time.sleep(3)  # the feed reaches bob's pages
    for tab in (desk_tab, article_tab):
        bob.driver.switch_to.window(tab)
        no_dialog(bob)
        no_markup_from_text(bob)
    bob.driver.switch_to.window(desk_tab)
    bob.arrived("desk-after-feed")
    bob.driver.switch_to.window(article_tab)
    bob.arrived("article-after-feed")
    bob.reload("article-after-edit")
    assert bob.text("#article-title") == TITLE + " <b>2</b>"
    for browser in (alice, bob):
        no_dialog(browser)
