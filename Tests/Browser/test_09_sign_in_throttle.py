"""Wrong passwords are throttled like wrong API tokens (per client address). Last in the suite: afterwards
this address waits a second per sign-in attempt."""

import urllib.error
import urllib.parse
import urllib.request

import pytest

pytestmark = pytest.mark.story("throttle")


def wrong_sign_in(base_url: str) -> tuple[int, dict]:
    data = urllib.parse.urlencode({"name": "alice", "password": "guess"}).encode()
    request = urllib.request.Request(base_url + "/desk/sign-in", data=data, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def test_many_wrong_passwords_are_throttled(desk):
    alice = desk.browser("alice", sign_in=False)
    for attempt in range(3):
        # The browser's attempt is typed first and sent right after a burst of wrong passwords (the
        # allowance grows back by one a second, so a retry covers the case where it just did).
        alice.go("/desk/sign-in", "sign-in")
        form = alice.find("form#sign-in")
        alice.fill(form, "name", "alice")
        alice.fill(form, "password", "still-guessing")
        answers = [wrong_sign_in(desk.config.base_url) for _ in range(15)]
        statuses = [status for status, _ in answers]
        assert set(statuses) <= {401, 429}, statuses
        assert 429 in statuses, f"15 wrong passwords in a row were never throttled: {statuses}"
        assert all(h.get("Retry-After") for status, h in answers if status == 429), "a 429 without Retry-After"
        alice.click("#sign-in-submit", "sign-in-throttled")
        if alice.status() == 429:
            break
    assert alice.status() == 429, f"the sign-in page after the burst answered {alice.status()}"
    assert any("Too many failed sign-ins" in m for m in alice.flash("error")), alice.flash("error")
    assert alice.session_cookie() is None
