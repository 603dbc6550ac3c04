"""The ways out of former dead ends (issue 15): carol cancels a schedule and brings an archived article back;
bob restores an earlier version's text from the history. Every button comes from the domain's allowed list."""

from datetime import datetime, timedelta, timezone

import pytest

pytestmark = pytest.mark.story("ways-out")


def test_unschedule_restore_and_restore_a_version(desk, cli):
    scheduled = cli.draft("alice", "Ferry timetable changes", body="The ferry leaves at 07:10.")
    cli.run("submit", scheduled, "--as", "alice")
    cli.run("approve", scheduled, "--as", "bob")
    later = (datetime.now(timezone.utc) + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    cli.run("publish", scheduled, "--at", later, "--as", "carol")

    archived = cli.draft("alice", "Old notice about the market", body="The market moves.")
    cli.run("archive", archived, "--as", "bob")

    carol = desk.browser("carol")
    carol.go(f"/desk/articles/{scheduled}", "article-scheduled")
    assert not carol.has('form[data-command="publish-due"]'), "the scheduler's own command is offered to carol"
    carol.submit('form[data-command="unschedule"]', "article-unscheduled")
    assert carol.text("#article-state") == "approved", carol.text("#article-state")
    assert carol.has('form[data-command="publish"]')

    carol.go(f"/desk/articles/{archived}", "article-archived")
    assert [f.get_attribute("data-command") for f in carol.finds("form.action")] == ["restore"]
    carol.submit('form[data-command="restore"]', "article-restored")
    assert carol.text("#article-state") == "draft", carol.text("#article-state")

    cli.run("edit", scheduled, "--body", "The ferry leaves at 17:10.", "--as", "alice")
    bob = desk.browser("bob")
    bob.go(f"/desk/articles/{scheduled}/versions/1", "version")
    bob.submit("form#revert-form", "article-reverted")
    assert "07:10" in bob.text("#article-body"), bob.text("#article-body")
