"""Signing in: the page, a wrong password, the cookie, and where the desk sends a reader who is not signed in."""

import pytest

from desk import SECURITY_HEADERS

pytestmark = pytest.mark.story("sign-in")


def test_sign_in_page_loads(desk):
    alice = desk.browser("alice", sign_in=False)
    alice.go("/desk/sign-in", "sign-in")
    assert alice.driver.find_element("tag name", "html").get_attribute("lang") == "en"
    form = alice.find("form#sign-in")
    assert form.get_attribute("method").lower() == "post"
    alice.find("[name='name']", within=form)
    password = alice.find("[name='password']", within=form)
    assert password.get_attribute("type") == "password"
    alice.find("#sign-in-submit")
    status, headers, _ = alice.fetch("/desk/sign-in")
    assert status == 200
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, f"{name} on /desk/sign-in is {headers.get(name)!r}, expected {value!r}"


def test_not_signed_in_goes_to_sign_in_and_back(desk):
    alice = desk.browser("alice", sign_in=False)
    status, headers, _ = alice.fetch("/")
    assert status == 303 and headers.get("Location", "").endswith("/desk"), f"GET / answered {status} {headers.get('Location')}"
    status, headers, _ = alice.fetch("/desk/audit")
    assert status == 303, f"GET /desk/audit not signed in answered {status}"
    assert "/desk/sign-in?next=" in headers.get("Location", ""), headers.get("Location")
    # Signing in from there lands on the page asked for.
    alice.go("/desk/articles/new", "sign-in-with-next")
    assert alice.path.startswith("/desk/sign-in?next="), alice.path
    form = alice.find("form#sign-in")
    alice.fill(form, "name", "alice")
    alice.fill(form, "password", desk.config.password("alice"))
    alice.click("#sign-in-submit", "new-after-sign-in")
    assert alice.path == "/desk/articles/new", f"after signing in alice is on {alice.path}"
    assert alice.has("form#new-article")


def test_wrong_password_and_unknown_name_say_the_same(desk):
    alice = desk.browser("alice", sign_in=False)
    messages = []
    for name, password in (("alice", "not-her-password"), ("nobody-here", "whatever")):
        alice.go("/desk/sign-in", "sign-in")
        form = alice.find("form#sign-in")
        alice.fill(form, "name", name)
        alice.fill(form, "password", password)
        alice.click("#sign-in-submit", f"sign-in-refused-{'wrong-password' if name == 'alice' else 'unknown-name'}")
        assert alice.status() == 401, f"a wrong sign-in answered {alice.status()}"
        assert alice.has("form#sign-in"), "the sign-in form is not shown again"
        messages.append(alice.flash("error"))
        assert alice.session_cookie() is None
    assert messages[0] == messages[1] == ["Wrong name or password."], messages


def test_sign_in_sets_a_safe_cookie(desk):
    bob = desk.browser("bob")
    assert bob.path == "/desk", f"after signing in bob is on {bob.path}"
    cookie = bob.session_cookie()
    assert cookie, "no copydesk_session cookie after signing in"
    assert cookie.get("httpOnly") is True, cookie
    assert cookie.get("sameSite") == "Lax", cookie
    assert cookie.get("path") == "/desk", cookie
    assert cookie.get("secure") is False, "Secure without --behind-tls: the cookie would not come back over http"
    # A new session id at each sign-in.
    other = desk.browser("bob")
    assert other.session_cookie()["value"] != cookie["value"]
    assert bob.text("#whoami") == "bob (editor)"
