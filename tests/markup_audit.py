"""Finds markup a browser would execute in a response, for the security tests.

`executable_markup(html)` lists, for an HTML document or fragment, every element or
attribute that runs code or is blocked by our Content-Security-Policy:

- a <script> with inline code and no nonce (JSON and JSON-LD data blocks are not code),
  or one loading a script from another site;
- a <style> without a nonce, and any style="…" attribute;
- any on…= event handler attribute;
- a javascript:, vbscript: or data:text/html URL in href, src, action, formaction…;
- <iframe>, <object>, <embed>, <base>, <meta http-equiv="refresh">, <svg>, <math>
  (inline <svg> is allowed with `allow_svg`: the admin draws its theme icons with it).

With `nonce`, inline elements must carry exactly that nonce.
"""

import re
from html.parser import HTMLParser

DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "importmap"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}
DANGEROUS_URL = re.compile(r"^\s*(javascript|vbscript|data\s*:\s*text/html)", re.I)
FORBIDDEN_ELEMENTS = {"iframe", "object", "embed", "base", "svg", "math", "frame", "frameset"}


class _Auditor(HTMLParser):
    def __init__(self, nonce, allow_svg):
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.forbidden = FORBIDDEN_ELEMENTS - ({"svg"} if allow_svg else set())
        self.problems = []
        self.inline = None  # (tag, attrs) of the <script>/<style> being read
        self.inline_text = ""

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)
        if tag in ("script", "style"):
            self.inline = (tag, dict(attrs))
            self.inline_text = ""

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_data(self, data):
        if self.inline is not None:
            self.inline_text += data

    def handle_endtag(self, tag):
        if self.inline is not None and tag == self.inline[0]:
            self._check_inline(*self.inline, self.inline_text)
            self.inline = None

    def _check(self, tag, attrs):
        attributes = dict(attrs)
        if tag in self.forbidden:
            self.problems.append(f"<{tag}> element")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler")
            if name == "style":
                self.problems.append(f"<{tag} style=…> inline style")
            if name in URL_ATTRIBUTES and value and DANGEROUS_URL.match(value):
                self.problems.append(f"<{tag} {name}={value[:40]!r}> script URL")
        if tag == "script" and attributes.get("src"):
            src = attributes["src"]
            if re.match(r"^(https?:)?//", src):
                self.problems.append(f"<script src={src!r}> from another site")

    def _check_inline(self, tag, attributes, text):
        kind = (attributes.get("type") or "").lower()
        if tag == "script" and attributes.get("src"):
            return
        if tag == "script" and kind in DATA_SCRIPT_TYPES - {"importmap"}:
            return
        if not text.strip() and tag == "script":
            return
        nonce = attributes.get("nonce")
        if not nonce:
            self.problems.append(f"inline <{tag}> without a nonce: {text.strip()[:60]!r}")
        elif self.nonce is not None and nonce != self.nonce:
            self.problems.append(f"inline <{tag}> with another nonce")


def executable_markup(html, nonce=None, allow_svg=False):
    auditor = _Auditor(nonce, allow_svg)
    auditor.feed(html)
    auditor.close()
    return auditor.problems


def header_nonce(response):
    """The nonce of a response's Content-Security-Policy header, or None."""
    match = re.search(r"'nonce-([^']+)'", response.get("Content-Security-Policy", ""))
    return match.group(1) if match else None
