"""Audit the public site like a publication would: crawl the three languages, validate every
page with the Nu Html Checker, and score key pages with Lighthouse (mobile).

Usage: .venv/bin/python -m tools.audit http://127.0.0.1:8000   (make audit starts a server)
Needs Java, node_modules (npm ci) and CHROME_PATH=/usr/bin/chromium.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

from tools.serving import BASE_DIR as ROOT
from tools.serving import site_languages

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
JAVA = shutil.which("java") or "java"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
GOALS = {"performance": 90, "accessibility": 95, "best-practices": 95, "seo": 95}
LANGUAGES = site_languages()
# Each language's address prefix and the <html lang> its pages carry (BCP 47).
PREFIXES = {f"/{code}/": tag for code, tag in LANGUAGES.tags.items()}


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def crawl(base, starts, limit=300):
    """Every same-site HTML page reachable from `starts`: {url: (status, html)}."""
    seen, queue, pages = set(), list(starts), {}
    host = urlparse(base).netloc
    while queue and len(pages) < limit:
        url = queue.pop(0).split("#")[0]
        if url in seen or urlparse(url).netloc != host:
            continue
        seen.add(url)
        path = urlparse(url).path
        if path.startswith(("/admin", "/static", "/media", "/api")) or re.search(
            r"\.(vcf|ics|xml|atom|rss|json)$", path
        ):
            continue
        try:
            with urllib.request.urlopen(url) as response:  # noqa: S310 (our own server)
                if "text/html" not in response.headers.get("Content-Type", ""):
                    continue
                html = response.read().decode()
                pages[url] = (response.status, html)
        except urllib.error.HTTPError as error:
            pages[url] = (error.code, "")
            continue
        parser = Links()
        parser.feed(html)
        queue += [urljoin(url, href) for href in parser.links]
    return pages


def validate(pages):
    with tempfile.TemporaryDirectory() as folder:
        names = {}
        for index, (url, (_status, html)) in enumerate(pages.items()):
            if html:
                name = Path(folder) / f"page{index}.html"
                name.write_text(html)
                names[str(name)] = url
        result = subprocess.run(  # noqa: S603
            [JAVA, "-jar", str(VNU), "--format", "json", "--exit-zero-always", *names],
            capture_output=True,
            text=True,
            check=False,
        )
        messages = json.loads(result.stderr or '{"messages": []}')["messages"]
        errors = [m for m in messages if m.get("type") == "error"]
        for message in errors:
            url = names.get(message.get("url", "").removeprefix("file:"), message.get("url"))
            print(f"  HTML error {url}: {message['message']}")
        return len(errors)


def lighthouse(url):
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run(  # noqa: S603
            [
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={report.name}",
                "--only-categories=" + ",".join(CATEGORIES),
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu "
                "--disable-background-networking --disable-component-update --disable-sync "
                "--no-first-run",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
        )
        with open(report.name) as saved:
            data = json.load(saved)
    return {name: round(data["categories"][name]["score"] * 100) for name in CATEGORIES}


def language_tag(url):
    path = urlparse(url).path
    default = LANGUAGES.tags[LANGUAGES.default]
    return next((tag for prefix, tag in PREFIXES.items() if path.startswith(prefix)), default)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8000", help="site to audit")
    base = parser.parse_args().base.rstrip("/")
    pages = crawl(base, [f"{base}{prefix}" for prefix in PREFIXES])
    bad = {url: status for url, (status, _html) in pages.items() if status >= 500}
    print(f"Crawled {len(pages)} pages; 5xx: {len(bad)}")
    wrong_lang = [
        url
        for url, (status, html) in pages.items()
        if status == 200 and f'<html lang="{language_tag(url)}"' not in html
    ]
    print(f"Pages with the wrong <html lang>: {len(wrong_lang)}")
    errors = validate(pages)
    print(f"Nu Html Checker errors: {errors}")
    failures = len(bad) + len(wrong_lang) + errors
    key_pages = [
        p
        for p in pages
        if re.search(rf"/({'|'.join(LANGUAGES.codes)})/($|2024/$|2024/sessions/|reports/.)", p)
    ]
    for url in key_pages[:12]:
        scores = lighthouse(url)
        missed = [name for name, goal in GOALS.items() if scores[name] < goal]
        failures += bool(missed)
        print(f"Lighthouse {url}: {scores}{'  MISSED ' + ', '.join(missed) if missed else ''}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
