"""The sample article's life, with the people of a newsroom in their own browsers (issue 14, point 4).

alice (author) uploads the seed file and submits it; bob (editor) requests changes with a reason; alice fixes
the consul's name ("Асхад" -> "Асхат") in the edit form and submits again; bob, who then also edits it, is not
let approve it (four-eyes); dora (a second editor) approves; carol (publisher, in Moscow) schedules it in her
zone, sees the time back in her zone and in UTC, and it is published.
"""

import json
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from desk import article_id

pytestmark = pytest.mark.story("life")

WRONG, RIGHT = "Асхад", "Асхат"
CAROL_ZONE = "Europe/Moscow"


def listed(browser, container: str) -> list[str]:
    return [li.get_attribute("data-article-id").lower() for li in browser.finds(f"{container} li[data-article-id]")]


def open_from_your_turn(browser, article: str, page: str):
    assert article in listed(browser, "#your-turn"), (
        f"{browser.user}'s #your-turn does not list the article {article}: {browser.text('#your-turn')!r}"
    )
    browser.click(f"#your-turn li[data-article-id='{article}'] a.article-link", page)
    assert browser.path.split("?")[0] == f"/desk/articles/{article}", browser.path


def state(browser) -> str:
    return browser.text("#article-state")


def act(browser, command: str, page: str, **fields):
    form = browser.action_form(command)
    assert form is not None, f"{browser.user} has no {command!r} button; the page offers {browser.actions()}"
    for name, value in fields.items():
        browser.fill(form, name, value)
    browser.submit(form, page)
    errors = browser.flash("error")
    assert not errors, f"{browser.user}'s {command} was refused: {errors}"


def seed_parts(path):
    text = path.read_text(encoding="utf-8")
    title = text.split("\n", 1)[0]
    return text, title


def test_the_sample_articles_life(desk, cli):
    seed_text, title = seed_parts(desk.config.seed_file)
    assert seed_text.count(WRONG) == 1

    # alice uploads the seed file through the import page.
    alice = desk.browser("alice")
    alice.click("#nav-import", "import")
    assert alice.path == "/desk/import", alice.path
    form = alice.find("form#import")
    assert (form.get_attribute("enctype") or "").lower() == "multipart/form-data"
    alice.find("input[type='file'][name='files']", within=form).send_keys(str(desk.config.seed_file.resolve()))
    alice.click("#import-submit", "imported")
    assert not alice.flash("error"), alice.flash("error")
    assert alice.status() == 200, f"the import answered {alice.status()}"
    links = alice.finds("#created a.article-link")
    assert len(links) == 1, f"the import page lists {len(links)} created articles: {[l.text for l in links]}"
    assert links[0].text.strip() == title
    article = article_id(links[0].get_attribute("href"))
    alice.click(links[0], "article-draft")
    assert alice.text("#article-title") == title
    assert state(alice) == "draft"
    assert alice.text("#article-version") == "1"
    body = alice.find("#article-body")
    body_lang = body.get_attribute("lang") or body.find_element("css selector", "[lang]").get_attribute("lang")
    assert body_lang == "ru", f"the Russian body is marked lang={body_lang!r}"
    for css in ("#article-title", "#article-lead"):
        assert alice.find(css).get_attribute("lang") == "ru", f"{css} is not marked lang=ru"
    assert WRONG in body.text
    act(alice, "submit", "submitted")
    assert state(alice) == "in_review"
    assert alice.flash("notice"), "no notice after submitting"

    # bob, an editor, finds it in "your turn" and requests changes with a reason.
    bob = desk.browser("bob")
    open_from_your_turn(bob, article, "article-in-review")
    assert bob.action_form("approve") is not None, f"bob, who has not edited it, could approve: {bob.actions()}"
    reason = f"The consul is {RIGHT} Сыздыков, not {WRONG}: fix the name in the last paragraph."
    act(bob, "request-changes", "changes-requested", reason=reason)
    assert state(bob) == "changes_requested"

    # alice fixes the name in the edit form and submits again.
    alice.go("/desk", "desk-changes-requested")
    open_from_your_turn(alice, article, "article-changes-requested")
    alice.click("#edit-link", "edit")
    form = alice.find("form#edit-article")
    version_before = int(alice.value(form, "expected_version"))
    text = alice.value(form, "body")
    assert text.count(WRONG) == 1, f"the edit form's body holds {text.count(WRONG)} {WRONG!r}"
    alice.fill(form, "body", text.replace(WRONG, RIGHT))
    alice.fill(form, "note", f"{WRONG} -> {RIGHT}, as bob asked")
    alice.click("#edit-submit", "edited")
    assert alice.path.split("?")[0] == f"/desk/articles/{article}", f"after saving alice is on {alice.path}"
    assert not alice.flash("error"), alice.flash("error")
    assert RIGHT in alice.text("#article-body") and WRONG not in alice.text("#article-body")
    assert int(alice.text("#article-version")) == version_before + 1
    # Exactly one word changed: the form kept every other character (line breaks included, no CR LF).
    stored = cli.show(article)
    before = cli.run("show", article, "--version", str(version_before), "--json")
    before_body = json.loads(before.stdout)["body"]
    assert stored["body"] == before_body.replace(WRONG, RIGHT), "the saved body differs from the old one by more than the name"
    act(alice, "submit", "resubmitted")
    assert state(alice) == "in_review"

    # bob opens it (he has not edited this revision, so he is offered approve) ...
    bob.go("/desk", "desk-in-review-again")
    open_from_your_turn(bob, article, "article-resubmitted")
    stale_approve_tab = bob.driver.current_window_handle
    assert bob.action_form("approve") is not None, f"bob could approve before editing: {bob.actions()}"
    # ... then edits something small himself, in another tab.
    bob.driver.switch_to.new_window("tab")
    bob.go(f"/desk/articles/{article}/edit", "bob-edit")
    form = bob.find("form#edit-article")
    bob.fill(form, "tags", "Казахстан, Волгоград")
    bob.fill(form, "note", "tags")
    bob.click("#edit-submit", "bob-edited")
    assert not bob.flash("error"), bob.flash("error")
    if bob.action_form("submit") is not None:
        act(bob, "submit", "bob-submitted")
    assert state(bob) == "in_review"
    # Four-eyes: the domain's allowed list no longer offers bob approve on a fresh page.
    assert bob.action_form("approve") is None, f"bob edited this revision but is still offered approve: {bob.actions()}"
    version = cli.show(article)["version"]
    # The tab he opened before editing still shows the approve button; pressing it is refused, nothing written.
    bob.driver.switch_to.window(stale_approve_tab)
    bob.submit(bob.action_form("approve"), "approve-refused")
    refusal = " ".join(bob.flash("error"))
    assert refusal, f"bob's approve from the stale tab showed no refusal (status {bob.status()})"
    # The domain's own words: he wrote or edited this revision, so another editor must approve it.
    assert "four-eyes" in refusal and "bob" in refusal, f"the refusal is not the domain's four-eyes words: {refusal!r}"
    assert bob.status() == 403, bob.status()
    assert cli.show(article)["version"] == version and cli.show(article)["state"] == "in_review"
    assert bob.action_form("approve") is None, f"after the refusal bob is still offered approve: {bob.actions()}"
    print(f"bob's approve from the tab opened before his edit was refused with: {refusal!r} (HTTP {bob.status()})")

    # dora, a second editor, approves it.
    dora = desk.browser("dora")
    open_from_your_turn(dora, article, "article-to-approve")
    act(dora, "approve", "approved")
    assert state(dora) == "approved"

    # carol, a publisher in Moscow, schedules it in her zone.
    carol = desk.browser("carol", timezone=CAROL_ZONE)
    assert carol.driver.execute_script("return Intl.DateTimeFormat().resolvedOptions().timeZone") == CAROL_ZONE
    carol.go("/desk", "desk-approved")  # desk.js has now told the server her zone
    open_from_your_turn(carol, article, "article-approved")
    form = carol.action_form("publish")
    assert form is not None, f"carol is not offered publish: {carol.actions()}"
    zone_field = carol.value(form, "zone")
    assert zone_field == CAROL_ZONE, f"the publish form's zone is {zone_field!r}, not the browser's {CAROL_ZONE}"
    # The next whole minute at least 40 s away (datetime-local has minutes), typed as Moscow wall time.
    now = datetime.now(timezone.utc)
    due = (now + timedelta(seconds=40 + 60)).replace(second=0, microsecond=0)
    local = due.astimezone(ZoneInfo(CAROL_ZONE))
    carol.set_value(form, "at", local.strftime("%Y-%m-%dT%H:%M"))
    carol.submit(form, "scheduled")
    assert not carol.flash("error"), carol.flash("error")
    assert state(carol) == "scheduled"
    shown = carol.visible_text()
    local_text, utc_text = local.strftime("%Y-%m-%d %H:%M"), due.strftime("%Y-%m-%d %H:%M") + " UTC"
    assert local_text in shown, f"the scheduled time is not shown in carol's zone ({local_text}): {shown[:800]!r}"
    assert utc_text in shown, f"the scheduled time is not shown in UTC ({utc_text}): {shown[:800]!r}"
    assert (cli.show(article).get("scheduledFor") or "").startswith(due.strftime("%Y-%m-%dT%H:%M")), cli.show(article)

    # ... and it is published: by the scheduler when due, or by carol where the page offers it once due.
    deadline = time.monotonic() + (due - datetime.now(timezone.utc)).total_seconds() + 60
    time.sleep(max(0.0, (due - datetime.now(timezone.utc)).total_seconds() + 1))
    while True:
        carol.reload("article-due")
        if state(carol) == "published":
            break
        due_form = carol.action_form("publish-due")
        if due_form is not None:
            act(carol, "publish-due", "published-by-carol")
            continue
        assert time.monotonic() < deadline, f"not published a minute after it was due; state {state(carol)}"
        time.sleep(3)
    assert state(carol) == "published"
    assert RIGHT in carol.text("#article-body") and WRONG not in carol.text("#article-body")
    assert cli.show(article)["state"] == "published"
    live_since = carol.text("#live-since")
    assert "scheduler" in live_since or "carol" in live_since, f"#live-since says {live_since!r}"

    # The history tells the whole story, in carol's zone with UTC at hand.
    carol.click("#history-link", "history")
    events = carol.finds("ol#timeline li.event")
    assert len(events) >= 8, f"the timeline has {len(events)} events"
    timeline = carol.text("ol#timeline")
    assert reason in timeline, "bob's reason is not in the history"
    for who in ("alice", "bob", "dora", "carol"):
        assert who in timeline, f"{who} is not in the history"
    times = carol.finds("ol#timeline time[datetime]")
    assert times and all((t.get_attribute("title") or "").endswith("UTC") for t in times), "a time without UTC in its title"
    reasons = [e.text for e in carol.finds("ol#timeline li.event .reason")]
    assert any(reason in r for r in reasons), f"bob's reason is not in a .reason: {reasons}"
    notes = [e.text for e in carol.finds("ol#timeline li.event .note")]
    assert any(f"{WRONG} -> {RIGHT}" in n for n in notes), f"alice's note is not in a .note: {notes}"
    assert all(carol.finds(".state-change", within=e) for e in events), "an event without .state-change"
    last = events[-1]
    publisher = carol.find(".actor", within=last)
    if publisher.find_elements("css selector", ".system"):
        assert "scheduler" in publisher.text, publisher.text
    else:
        assert "carol" in publisher.text, publisher.text
    assert "published" in carol.find(".state-change", within=last).text

    # Comparing alice's fix with the version before shows one word replaced, nothing else.
    fix = [e for e in events if e.get_attribute("id") == f"v{version_before + 1}"] or [events[version_before]]
    carol.click(carol.find("a.compare-previous", within=fix[0]), "compare-the-fix")
    body_diff = carol.find("section.field-diff[data-field='body']")

    def words(css):
        return [
            e.get_attribute("textContent").replace("[+", "").replace("+]", "").replace("[-", "").replace("-]", "").strip()
            for e in carol.finds(css, within=body_diff)
        ]

    assert words("del") == [WRONG] and words("ins") == [RIGHT], f"the fix's diff deletes {words('del')} and inserts {words('ins')}"
    assert [s.get_attribute("data-field") for s in carol.finds("section.field-diff")] == ["body"], "fields other than the body differ"
