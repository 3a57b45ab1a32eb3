"""A small HTTP client for the operations commands: an editor working in the admin of a
running server (login, open a report's change form, save it, take workflow steps) and an
anonymous reader fetching public pages. Standard library only.

Cookies are kept by name without regard to their Secure flag: the commands talk to a
production-configured server over plain HTTP on loopback. The tests parse admin forms
with `form_data`.
"""

import re
import secrets
import urllib.parse
from html.parser import HTMLParser
from http.client import HTTPConnection

from tools.serving import site_languages


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # {lower-case name: value} (the last one wins)
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def header(self, name, default=""):
        return self.headers.get(name.lower(), default)


class Client:
    """One browser: its own cookies (an editor's session, or none for a reader)."""

    def __init__(self, host, port, timeout=30, host_header=None):
        self.host, self.port, self.timeout = host, port, timeout
        self.language = site_languages().default  # the admin's language, asked of the site
        # Behind a proxy every instance sees the public host name: pass it to share cached
        # pages between instances (the page cache keys pages by host and path).
        self.host_header = host_header or f"{host}:{port}"
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        connection = HTTPConnection(self.host, self.port, timeout=self.timeout)
        all_headers = {"Host": self.host_header, "Accept-Language": self.language}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        all_headers.update(headers or {})
        try:
            connection.request(method, path, body=body, headers=all_headers)
            raw = connection.getresponse()
            payload = raw.read()
            received = {}
            for name, value in raw.getheaders():
                if name.lower() == "set-cookie":
                    self._keep_cookie(value)
                received[name.lower()] = value
            return Response(raw.status, received, payload)
        finally:
            connection.close()

    def _keep_cookie(self, header):
        name, _sep, rest = header.partition("=")
        value = rest.split(";", 1)[0]
        expired = re.search(r"max-age=0\b|expires=thu, 01 jan 1970", header, re.I)
        if expired or value in ("", '""'):
            self.cookies.pop(name.strip(), None)
        else:
            self.cookies[name.strip()] = value

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, data):
        """POSTs form data ({name: value or [values]}) with the CSRF token and a Referer."""
        body = urllib.parse.urlencode(self._with_token(data), doseq=True).encode()
        return self._post(path, body, "application/x-www-form-urlencoded")

    def post_multipart(self, path, data, files):
        """POSTs a form with files ({name: (filename, bytes, content type)}) as a browser
        does (multipart/form-data), with the CSRF token and a Referer."""
        fields = self._with_token(data)
        boundary = f"----cdfsite{secrets.token_hex(12)}"
        parts = []
        for name, values in fields.items():
            for value in values if isinstance(values, list) else [values]:
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                    f"{value}\r\n".encode()
                )
        for name, (filename, content, content_type) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self._post(path, body, f"multipart/form-data; boundary={boundary}")

    def _with_token(self, data):
        """The form's fields with the CSRF token, as the page's form would send it."""
        fields = dict(data)
        if "csrftoken" in self.cookies:
            fields.setdefault("csrfmiddlewaretoken", self.cookies["csrftoken"])
        return fields

    def _post(self, path, body, content_type):
        # Django's CSRF check wants the site's own Origin and Referer, as a browser sends.
        origin = f"http://{self.host_header}"
        headers = {"Content-Type": content_type, "Referer": origin + path, "Origin": origin}
        return self.request("POST", path, body=body, headers=headers)

    # --- The admin ----------------------------------------------------------------------

    def login(self, username, password):
        page = self.get("/admin/login/")
        form = form_data(page.text, r"login-form")
        form.update({"username": username, "password": password, "next": "/admin/"})
        response = self.post("/admin/login/", form)
        if response.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login as {username} failed: HTTP {response.status}")
        return self

    def report_form(self, pk):
        """(url, data) of a report's change form, as a browser would post it unchanged."""
        url = f"/admin/forum/report/{pk}/change/"
        page = self.get(url)
        if page.status != 200:
            raise RuntimeError(f"GET {url}: HTTP {page.status}")
        return url, form_data(page.text, r"report_form")

    def save_report(self, url, data):
        """Posts the change form; returns the response (302 when saved)."""
        data = dict(data)
        data["_continue"] = "1"
        return self.post(url, data)

    def add_report_like(self, pk, changes):
        """Creates a new report from a copy of report `pk`'s change form, with `changes`.

        Returns the new report's id. The credits are copied as new rows.
        """
        _url, data = self.report_form(pk)
        data = {
            name: value
            for name, value in data.items()
            if not re.fullmatch(r"credits-\d+-(id|report|DELETE)", name)
            and name != "expected_version"
        }
        data["credits-INITIAL_FORMS"] = "0"
        data.update(changes)
        data["_continue"] = "1"
        response = self.post("/admin/forum/report/add/", data)
        match = re.search(r"/admin/forum/report/(\d+)/change/", response.header("location"))
        if response.status != 302 or not match:
            raise RuntimeError(
                f"adding a report failed: HTTP {response.status}\n{errors(response)}"
            )
        return int(match.group(1))

    def transition(self, pk, action, comment=""):
        """Takes a workflow step; returns the message the admin shows (success or error)."""
        url = f"/admin/forum/report/{pk}/transition/{action}/"
        response = self.post(url, {"comment": comment})
        if response.status != 302:
            raise RuntimeError(f"POST {url}: HTTP {response.status}")
        page = self.get(response.header("location"))
        return messages(page.text)

    def publish(self, pk):
        """Submits, approves and publishes a report, up to the first step refused:
        [(action, done, messages shown)]."""
        steps = []
        for action in ("submit", "approve", "publish"):
            shown = self.transition(pk, action)
            steps.append((action, done(shown), shown))
            if not steps[-1][1]:
                break
        return steps


def done(shown):
    """Whether the admin's messages after a workflow step say it was taken."""
    return any(level == "success" and "Done" in text for level, text in shown)


def messages(html):
    """The admin's messages on a page: [(level, text)]."""
    found = re.findall(r'<li class="(success|error|warning|info)">(.*?)</li>', html, re.S)
    return [(level, re.sub(r"<[^>]+>", "", text).strip()) for level, text in found]


def errors(response):
    """The form errors on an admin page, as text (for failure messages)."""
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.text, re.S)
    return "\n".join(re.sub(r"<[^>]+>", " ", item).strip() for item in found)


# --- Forms ------------------------------------------------------------------------------


class _FormParser(HTMLParser):
    """Collects what a browser would submit from the form whose id matches."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = re.compile(form_id)
        self.in_form = self.done = False
        self.data = {}
        self.select = self.textarea = None

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done and self.form_id.fullmatch(attrs.get("id") or ""):
            self.in_form = True
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.add(name, attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self.select = {
                "name": name,
                "chosen": [],
                "first": None,
                "multiple": "multiple" in attrs,
            }
        elif tag == "option" and self.select is not None:
            value = attrs.get("value")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["chosen"].append(value)
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if not self.in_form:
            return
        if tag == "select" and self.select is not None:
            chosen = self.select["chosen"]
            if not chosen and not self.select["multiple"] and self.select["first"] is not None:
                chosen = [self.select["first"]]
            for value in chosen:
                self.add(self.select["name"], value or "")
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # A browser drops the single newline that follows <textarea>.
            self.add(name, text[1:] if text.startswith("\n") else text)
            self.textarea = None
        elif tag == "form":
            self.in_form = False
            self.done = True


def form_data(html, form_id):
    """{name: value or [values]} of the form, without the inlines' `__prefix__` templates."""
    parser = _FormParser(form_id)
    parser.feed(html)
    if not parser.done and not parser.data:
        raise RuntimeError(f"no form {form_id!r} on the page")
    return {
        name: values if len(values) > 1 else values[0]
        for name, values in parser.data.items()
        if "__prefix__" not in name
    }
