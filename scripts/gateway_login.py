#!/usr/bin/env python3
"""Signs a demo user in to the control plane's OpenIddict server with the real authorization
code + PKCE flow (the Portal's client), and prints the access token.

    python3 scripts/gateway_login.py dev@demo.bank [Demo-Pass-1!]

Environment: CONTROLPLANE_URL (default http://localhost:5081), PORTAL_REDIRECT_URI (default
http://localhost:5082/signin-oidc). Standard library only.
"""
import base64, hashlib, html.parser, json, os, secrets, sys, urllib.error, urllib.parse, urllib.request

CP = os.environ.get("CONTROLPLANE_URL", "http://localhost:5081").rstrip("/")
REDIRECT = os.environ.get("PORTAL_REDIRECT_URI", "http://localhost:5082/signin-oidc")
CLIENT = "gateway-portal"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class _Form(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.fields[a["name"]] = a.get("value", "")


class _Session:
    """Cookies by hand: http.cookiejar does not send cookies back to a bare "localhost"."""

    def __init__(self):
        self.cookies = {}
        self.opener = urllib.request.build_opener(_NoRedirect)

    def open(self, url, data=None):
        request = urllib.request.Request(url, data=data)
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            response = self.opener.open(request)
        except urllib.error.HTTPError as e:  # 3xx (no redirect handler) and errors surface here
            response = e
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "expires=Thu, 01 Jan 1970" in header or value == "":
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        return response


def login(email, password="Demo-Pass-1!", scope="openid profile email roles offline_access gateway.api"):
    session = _Session()
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    state = secrets.token_urlsafe(16)
    authorize = CP + "/connect/authorize?" + urllib.parse.urlencode({
        "client_id": CLIENT, "redirect_uri": REDIRECT, "response_type": "code", "scope": scope,
        "code_challenge": challenge, "code_challenge_method": "S256", "state": state})

    r = session.open(authorize)                       # → 302 to the sign-in page
    login_url = urllib.parse.urljoin(CP, r.headers["Location"])
    page = session.open(login_url).read().decode()   # the form with its antiforgery token
    form = _Form()
    form.feed(page)
    form.fields.update({"email": email, "password": password})
    r = session.open(CP + "/account/login", urllib.parse.urlencode(form.fields).encode())
    if r.status != 302:
        raise SystemExit(f"sign-in failed for {email} (HTTP {r.status})")
    r = session.open(urllib.parse.urljoin(CP, r.headers["Location"]))   # back to /connect/authorize
    location = r.headers.get("Location", "")
    query = urllib.parse.parse_qs(urllib.parse.urlparse(location).query)
    if query.get("state", [""])[0] != state or "code" not in query:
        raise SystemExit(f"no authorization code for {email}: {location}")
    body = urllib.parse.urlencode({
        "grant_type": "authorization_code", "code": query["code"][0], "redirect_uri": REDIRECT,
        "client_id": CLIENT, "code_verifier": verifier}).encode()
    tokens = json.load(session.open(CP + "/connect/token", body))
    return tokens["access_token"]


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    print(login(sys.argv[1], *(sys.argv[2:3] or [])))
