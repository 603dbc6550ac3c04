"""Every kind of desk page, visited at least once (for the screenshots and axe), with its contract's elements."""

import json
import time

import pytest
from selenium.webdriver.support.ui import Select

from desk import SECURITY_HEADERS, article_id

pytestmark = pytest.mark.story("pages")

PARAGRAPHS = [
    f"Paragraph {n}: the council met on Tuesday and talked about the harbour, the bridge and the market."
    for n in range(1, 13)
]


def check_headers(browser, path, page=True):
    status, headers, _ = browser.fetch(path)
    assert status == 200, f"GET {path} answered {status}"
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, f"{name} on {path} is {headers.get(name)!r}"
    if page:
        assert "no-store" in headers.get("Cache-Control", ""), f"Cache-Control on {path} is {headers.get('Cache-Control')!r}"
    return headers


def make_articles(cli):
    """One article with several versions in review, and one published with a pending revision."""
    body = "\n\n".join(PARAGRAPHS)
    reviewed = cli.draft("alice", "Council meets on the harbour", body=body, lead="The council met.", section="City")
    changed = PARAGRAPHS[:6] + [PARAGRAPHS[6].replace("the bridge", "the old bridge")] + PARAGRAPHS[7:]
    cli.run("edit", reviewed, "--body", "\n\n".join(changed), "--note", "which bridge", "--as", "alice")
    cli.run("edit", reviewed, "--lead", "The council met on Tuesday.", "--as", "alice")
    cli.run("submit", reviewed, "--as", "alice")
    cli.run("comment", reviewed, "--text", "Check the date of the meeting", "--as", "bob")
    live = cli.draft("alice", "Library extends its hours", body="The library opens until 22:00.", section="Culture")
    cli.run("submit", live, "--as", "alice")
    cli.run("approve", live, "--as", "bob")
    cli.run("publish", live, "--as", "carol")
    cli.run("edit", live, "--body", "The library opens until 23:00 on weekdays.", "--as", "alice")
    return reviewed, live


def import_many(desk, cli, author, count):
    folder = desk.config.browser_dir / "many-seeds"
    folder.mkdir(exist_ok=True)
    for n in range(1, count + 1):
        title = f"Weather note {n:02d}"
        (folder / f"{n:03d}.txt").write_text(
            f"{title}\n\nWeather >> 01.12.2026\n{title}\nA short lead.\n\nRain in the afternoon.", encoding="utf-8"
        )
    cli.run("import", str(folder), "--as", author)


def test_every_page_kind(desk, cli):
    import_many(desk, cli, "dora", 30)  # first: the desk's author choices are cached for a few seconds
    reviewed, live = make_articles(cli)
    bob = desk.browser("bob")

    # Desk: your turn, counts, search with filters, results.
    assert bob.path == "/desk"
    assert reviewed in [li.get_attribute("data-article-id").lower() for li in bob.finds("#your-turn li[data-article-id]")]
    counts = bob.finds("#state-counts a")
    assert counts, "no state counts"
    assert any("in_review" in a.text or "in review" in a.text.lower() for a in counts), [a.text for a in counts]
    check_headers(bob, "/desk")
    search = bob.find("form#search")
    for name in ("q", "state", "section", "author", "live"):
        bob.find(f"[name='{name}']", within=search)
    bob.fill(search, "q", "harbour")
    bob.submit(search, "desk-search")
    found = [article_id(a.get_attribute("href")) for a in bob.finds("#results a.article-link")]
    assert reviewed in found and live not in found, f"search 'harbour' found {found}"
    in_review = [a for a in bob.finds("#state-counts a") if "review" in a.text.lower()]
    bob.click(in_review[0], "desk-state-in-review")
    found = [article_id(a.get_attribute("href")) for a in bob.finds("#results a.article-link")]
    assert reviewed in found and live not in found, f"the in_review count's link lists {found}"
    # Pagination: 30 articles by dora, filtered by author, are a page of 25 and a page of 5.
    deadline = time.monotonic() + 40
    while True:
        bob.go("/desk", "desk")
        search = bob.find("form#search")
        authors = Select(bob.find("select[name='author']", within=search))
        if "dora" in [o.get_attribute("value") for o in authors.options]:
            break
        assert time.monotonic() < deadline, "dora is not among the desk's authors 40 s after her import"
        time.sleep(2)
    authors.select_by_value("dora")
    bob.submit(search, "desk-by-dora")
    first = bob.finds("#results li[data-article-id]")
    assert len(first) == 25, f"the first page lists {len(first)} articles"
    assert not bob.has("a[rel=prev]")
    bob.click("a[rel=next]", "desk-by-dora-page-2")
    second = bob.finds("#results li[data-article-id]")
    assert len(second) == 5, f"the second page lists {len(second)} articles"
    assert not bob.has("a[rel=next]")
    bob.click("a[rel=prev]", "desk-by-dora-page-1")
    assert len(bob.finds("#results li[data-article-id]")) == 25

    # Article page, with the actions bob may take; the live article with its pending revision.
    bob.go(f"/desk/articles/{reviewed}", "article")
    for css in ("#article-title", "#article-lead", "#article-body", "#article-state", "#article-version", "#last-change", "#history-link"):
        bob.find(css)
    assert bob.text("#article-state") == "in_review"
    assert set(bob.actions()) >= {"request-changes", "approve", "comment"}, bob.actions()
    for form in bob.finds("form.action"):
        assert form.get_attribute("method").lower() == "post"
        assert bob.value(form, "csrf") and bob.value(form, "expected_version") == bob.text("#article-version")
    check_headers(bob, f"/desk/articles/{reviewed}")
    bob.go(f"/desk/articles/{live}", "article-live-with-pending")
    assert bob.has("#live-text") and bob.has("#pending-diff"), "a published article with a pending revision lacks #live-text or #pending-diff"
    assert "22:00" in bob.text("#live-text")
    assert "carol" in bob.text("#live-since"), bob.text("#live-since")
    pending = bob.find("#pending-diff")
    inserted = " ".join(e.get_attribute("textContent") for e in bob.finds("ins", within=pending))
    deleted = " ".join(e.get_attribute("textContent") for e in bob.finds("del", within=pending))
    assert "23" in inserted and "weekdays" in inserted and "22" in deleted, (inserted, deleted)

    # Edit, new, import.
    bob.go(f"/desk/articles/{reviewed}", "article")
    bob.click("#edit-link", "edit")
    form = bob.find("form#edit-article")
    for name in ("title", "lead", "body", "section", "tags", "expected_version", "csrf", "note"):
        bob.find(f"[name='{name}']", within=form)
    check_headers(bob, f"/desk/articles/{reviewed}/edit")
    bob.click("#nav-new", "new")
    form = bob.find("form#new-article")
    for name in ("title", "lead", "body", "section", "tags", "csrf"):
        bob.find(f"[name='{name}']", within=form)
    check_headers(bob, "/desk/articles/new")
    bob.click("#nav-import", "import")
    bob.find("form#import input[type='file'][name='files'][multiple]")
    check_headers(bob, "/desk/import")
    # A file that is not in the seed format: the importer's message, naming the file, and nothing written.
    bad = desk.config.browser_dir / "not-a-seed.txt"
    bad.write_text("Only a title, no section line\n", encoding="utf-8")
    before = len(json.loads(cli.run("list", "--author", "bob", "--json").stdout))
    bob.find("form#import input[name='files']").send_keys(str(bad))
    bob.click("#import-submit", "import-refused")
    assert bob.status() == 422, f"a bad import answered {bob.status()}"
    errors = [e.text for e in bob.finds("p.flash.error.import-error")]
    assert errors and "not-a-seed.txt" in errors[0], f"the importer's errors: {errors}"
    assert not bob.finds("#created a.article-link")
    assert len(json.loads(cli.run("list", "--author", "bob", "--json").stdout)) == before, "a refused import wrote"

    # History: a timeline, each event with its version and a comparison with the one before.
    bob.go(f"/desk/articles/{reviewed}", "article")
    bob.click("#history-link", "history")
    events = bob.finds("ol#timeline li.event")
    history = cli.history(reviewed)
    assert len(events) == len(history), f"the timeline has {len(events)} events, the history {len(history)}"
    for event in events:
        bob.find(".actor", within=event)
        stamp = bob.find("time", within=event)
        assert stamp.get_attribute("datetime").endswith("Z"), stamp.get_attribute("datetime")
        assert "UTC" in (stamp.get_attribute("title") or ""), stamp.get_attribute("outerHTML")
        bob.find(".action", within=event)
    timeline = bob.text("ol#timeline")
    assert "which bridge" in timeline and "Check the date of the meeting" in timeline, timeline
    check_headers(bob, f"/desk/articles/{reviewed}/history")
    bob.click(bob.finds("a.view-version")[0], "version")
    assert "/versions/" in bob.path, bob.path
    bob.find("#article-title")
    check_headers(bob, bob.path)
    bob.go(f"/desk/articles/{reviewed}/history", "history")
    compare_links = bob.finds("a.compare-previous")
    assert compare_links, "no compare-with-previous link"
    bob.click(compare_links[-1] if len(compare_links) > 1 else compare_links[0], "compare-previous")
    assert "/compare" in bob.path, bob.path

    # Compare 1 -> 2: one word in one paragraph; the rest folded; changes marked by more than colour.
    bob.go(f"/desk/articles/{reviewed}/compare?from=1&to=2", "compare")
    bob.find("#compare")
    section = bob.find("section.field-diff[data-field='body']")
    inserted = [e.get_attribute("textContent") for e in bob.finds("ins", within=section)]
    deleted = [e.get_attribute("textContent") for e in bob.finds("del", within=section)]
    assert any("old" in t for t in inserted), f"the body diff's insertions are {inserted}"
    assert bob.finds(".folded", within=section), "unchanged paragraphs are not folded"
    marked = section.get_attribute("textContent")
    assert "[+" in marked and "+]" in marked, "insertions are not marked with [+ +] for readers who do not see colour"
    check_headers(bob, f"/desk/articles/{reviewed}/compare?from=1&to=2")

    # Audit, for editors: filters and the downloads.
    bob.click("#nav-audit", "audit")
    bob.find("form#audit-filter")
    rows = bob.finds("#audit-table tbody tr")
    assert rows, "the audit table is empty"
    check_headers(bob, "/desk/audit")
    filter_form = bob.find("form#audit-filter")
    actor = filter_form.find_elements("css selector", "[name='actor']")
    if actor:
        bob.fill(filter_form, "actor", "carol")
        bob.submit(filter_form, "audit-filtered")
        table = bob.text("#audit-table")
        assert "carol" in table and "alice" not in table.split("\n", 1)[-1], f"filtered by carol the audit shows {table[:400]!r}"
    for link, kind in (("#download-csv", "text/csv"), ("#download-jsonl", "json")):
        href = bob.find(link).get_attribute("href")
        status, headers, body = bob.fetch(href)
        assert status == 200 and kind in headers.get("Content-Type", ""), (link, status, headers.get("Content-Type"))
        if kind == "json":
            assert all(json.loads(line) for line in body.splitlines() if line.strip())

    # An unknown article: the error page.
    bob.go("/desk/articles/00000000-0000-4000-8000-000000000000", "not-found")
    assert bob.status() == 404 and bob.has("section#error-page h1"), bob.status()
    bob.go("/desk/no-such-page", "not-found-address")
    assert bob.status() == 404 and bob.has("section#error-page h1"), bob.status()

    # Static files.
    for path, kind in (("/desk/static/desk.css", "text/css"), ("/desk/static/desk.js", "javascript")):
        headers = check_headers(bob, path, page=False)
        assert kind in headers.get("Content-Type", ""), (path, headers.get("Content-Type"))


def test_audit_is_for_editors_and_above(desk):
    alice = desk.browser("alice")
    assert not alice.has("#nav-audit"), "an author is shown the audit link"
    alice.go("/desk/audit", "audit-refused")
    assert alice.status() == 403, f"an author's /desk/audit answered {alice.status()}"
    assert alice.has("section#error-page")
    for kind in ("csv", "jsonl"):
        status, _, _ = alice.fetch(f"/desk/audit/download?format={kind}")
        assert status == 403, f"an author's audit download ({kind}) answered {status}"
    for user in ("carol", "root"):
        browser = desk.browser(user)
        browser.click("#nav-audit", "audit")
        assert browser.has("#audit-table")
