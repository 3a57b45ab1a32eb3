"""Load test of the production server: `make loadtest` (docs/operations.md).

1. Fills a throwaway PostgreSQL database (dropped at the end) with the demo content and
   a little bulk content (`generate_bulk_content --scale 0.01`: some 100 reports, 20
   sessions, 30 people), and serves it with gunicorn on loopback as `make serve` does:
   DEBUG off, plain HTTP, whitenoise, cdfsite/gunicorn.py's gevent workers (2 × cores + 1
   processes), the page cache in Redis when a Redis server answers (its own key prefix,
   deleted at the end).
2. Drives 200 concurrent connections for 60 s at the public pages in both languages —
   home, edition, session, report, person, press, search and the lists, taken from the
   sitemap — with wrk (tools/loadtest.lua rotates the paths), or with a Python asyncio
   client when wrk is missing.
3. Meanwhile an editor works in the admin over HTTP, through the same server: creates a
   report (a copy of the demo report's form), submits, approves and publishes it, edits
   the live demo report and publishes that too, and every few rounds withdraws one of
   its reports, so that cached pages are invalidated and rendered again under load.
4. Reports requests/s, latency, responses by status, socket errors, the editor's rounds
   and the error lines of the server's logs (gunicorn's error log with Django's log
   records, and the access log's 5xx). Exits 1 unless there is no 5xx, no socket error,
   no failed editor step and no error in the logs.

    .venv/bin/python -m tools.loadtest [--duration 60] [--connections 200]
        [--database-url postgres://…/cdfsite_loadtest] [--no-editor] [--keep-logs DIR]

Without PostgreSQL it falls back to a SQLite file (and says so): concurrent writes then
queue on SQLite's single writer lock, which is not what production runs.
"""

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from tools import serving
from tools.admin_client import Client, done, errors
from tools.serving import HOST, Workspace, check_logs, log, verdict

# The site's languages, as the language registry names them.
LANGUAGES = serving.site_languages()

PORT = 9150
LUA = Path(__file__).with_name("loadtest.lua")
# Searches, each in both languages' pages.
SEARCHES = ["digital economy", "computing power", "Tianjin", "算力", "数字经济", "天津"]
# Of each kind of page, at most this many per language (the demo's are always in).
PER_KIND = 25


def say(message):
    log("loadtest", message)


# --- The pages ----------------------------------------------------------------------------

KINDS = [
    ("home", re.compile(r"^/[\w-]+/$")),
    ("report list", re.compile(r"^/[\w-]+/reports/$")),
    ("people list", re.compile(r"^/[\w-]+/people/$")),
    ("about", re.compile(r"^/[\w-]+/about/$")),
    ("report", re.compile(r"^/[\w-]+/reports/[\w-]+/$")),
    ("person", re.compile(r"^/[\w-]+/people/[\w-]+/$")),
    ("session", re.compile(r"^/[\w-]+/[\w-]+/sessions/[\w-]+/$")),
    ("press", re.compile(r"^/[\w-]+/[\w-]+/press/$")),
    ("edition", re.compile(r"^/[\w-]+/[\w-]+/$")),
]


def kind_of(path):
    for kind, pattern in KINDS:
        if pattern.match(path):
            return kind
    return None


def sitemap_paths(client):
    """Every path the sitemap lists (following a sitemap index if there is one)."""
    found, queue, seen = [], ["/sitemap.xml"], set()
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status != 200:
            raise RuntimeError(f"GET {path}: HTTP {response.status}")
        root = ET.fromstring(response.body)  # noqa: S314 (our own server's sitemap)
        namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
        for loc in root.iter(f"{namespace}loc"):
            target = urllib.parse.urlsplit(loc.text.strip())
            local = target.path + (f"?{target.query}" if target.query else "")
            (queue if root.tag.endswith("sitemapindex") else found).append(local)
        for link in root.iter("{http://www.w3.org/1999/xhtml}link"):
            found.append(urllib.parse.urlsplit(link.get("href")).path)
    return found


def public_pages(client):
    """[(kind, path)]: the pages of the load, in both languages, kinds interleaved."""
    by_kind = {}
    paths = set(sitemap_paths(client))
    for language in LANGUAGES.written:
        paths |= {f"/{language}/", f"/{language}/reports/", f"/{language}/people/"}
    # Each edition's press page (not in the sitemap).
    paths |= {path + "press/" for path in list(paths) if kind_of(path) == "edition"}
    for path in sorted(paths, key=lambda p: ("bulk" in p, p)):
        kind = kind_of(path)
        language = path.split("/")[1]
        if kind and len(by_kind.setdefault((kind, language), [])) < PER_KIND:
            by_kind[(kind, language)].append(path)
    for language in LANGUAGES.written:
        by_kind[("search", language)] = [
            f"/{language}/search/?" + urllib.parse.urlencode({"q": query}) for query in SEARCHES
        ]
    # Interleave the kinds so that each stretch of the rotation has every kind.
    pages, lists = [], {key: list(values) for key, values in sorted(by_kind.items())}
    while any(lists.values()):
        for key, values in lists.items():
            if values:
                pages.append((key[0], values.pop(0)))
    return pages


# --- The editor ---------------------------------------------------------------------------


class Editor(threading.Thread):
    """Creates, publishes, edits and withdraws reports in the admin until `deadline`."""

    def __init__(self, port, deadline):
        super().__init__(daemon=True)
        self.port, self.deadline = port, deadline
        self.counts = Counter()
        self.failures = []

    def step(self, name, ok, detail=""):
        self.counts[name] += 1
        if not ok:
            self.failures.append(f"{name}: {detail}")

    def publish(self, client, pk):
        steps = client.publish(pk)
        for action, ok, shown in steps:
            self.step(action, ok, f"report {pk}: {shown}")
        return all(ok for _action, ok, _shown in steps)

    def find_report(self, client, slug):
        page = client.get("/admin/forum/report/?" + urllib.parse.urlencode({"q": slug}))
        match = re.search(r"/admin/forum/report/(\d+)/change/", page.text)
        if not match:
            raise RuntimeError(f"report {slug} not found in the admin")
        return int(match.group(1))

    def run(self):
        try:
            client = Client(HOST, self.port, timeout=60).login(*serving.DEMO_EDITOR)
            demo = self.find_report(client, serving.demo_report_slugs()[LANGUAGES.default])
            mine, round_number = [], 0
            while time.monotonic() < self.deadline:
                round_number += 1
                self.one_round(client, demo, mine, round_number)
        except Exception as error:  # reported, and fails the load test
            self.failures.append(f"editor stopped: {type(error).__name__}: {error}")

    def one_round(self, client, demo, mine, n):
        stamp = f"{os.getpid()}-{n}"
        english, chinese = LANGUAGES.written
        headline = {code: LANGUAGES.column("headline", code) for code in LANGUAGES.written}
        pk = client.add_report_like(
            demo,
            {
                headline[english]: f"Load test report {stamp}",
                headline[chinese]: f"压力测试报告 {stamp}",
                LANGUAGES.column("slug", english): f"load-test-report-{stamp}",
                LANGUAGES.column("slug", chinese): f"ya-li-ce-shi-bao-gao-{stamp}",
            },
        )
        self.step("create", True)
        if self.publish(client, pk):
            mine.append(pk)
        if time.monotonic() >= self.deadline:
            return
        url, form = client.report_form(demo)
        form[headline[english]] = (
            re.sub(r" \(round \d+\)$", "", form[headline[english]]) + f" (round {n})"
        )
        form[headline[chinese]] = (
            re.sub(r"（第\d+轮）$", "", form[headline[chinese]]) + f"（第{n}轮）"
        )
        saved = client.save_report(url, form)
        self.step("edit", saved.status == 302, f"HTTP {saved.status} {errors(saved)}")
        if saved.status == 302:
            self.publish(client, demo)
        if n % 3 == 0 and mine:
            withdrawn = mine.pop(0)
            shown = client.transition(withdrawn, "unpublish", comment="load test")
            self.step("unpublish", done(shown), f"report {withdrawn}: {shown}")


# --- Load generators ----------------------------------------------------------------------


def run_wrk(port, paths_file, connections, duration, threads):
    command = [
        shutil.which("wrk"),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(LUA),
        f"http://{HOST}:{port}",
        "--",
        str(paths_file),
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    units = {"us": 1e-3, "ms": 1.0, "s": 1e3}
    latency = {}
    for percentile in ("50", "99"):
        found = re.search(rf"^\s+{percentile}(?:\.\d+)?%\s+([\d.]+)(us|ms|s)", output, re.M)
        latency[percentile] = float(found.group(1)) * units[found.group(2)] if found else None
    socket_errors = {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    if found := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        socket_errors = dict(zip(socket_errors, map(int, found.groups()), strict=True))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    return {
        "tool": "wrk",
        "requests": total,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency["50"],
        "p99": latency["99"],
        "statuses": {int(s): int(c) for s, c in re.findall(r"^status (\d+) (\d+)$", output, re.M)},
        "socket_errors": socket_errors,
        "raw": output,
    }


async def _python_load(port, paths, connections, duration):
    """An asyncio client: `connections` workers, each one request at a time."""
    statuses, latencies = Counter(), []
    socket_errors = Counter({"connect": 0, "read": 0, "write": 0, "timeout": 0})
    deadline = time.monotonic() + duration

    async def fetch(path):
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\n\r\n".encode()
            )
            await writer.drain()
            data = await reader.read()
        finally:
            writer.close()
        return int(data.split(b" ", 2)[1])

    async def worker(offset):
        index = offset
        while time.monotonic() < deadline:
            path = paths[index % len(paths)]
            index += 1
            started = time.perf_counter()
            try:
                status = await asyncio.wait_for(fetch(path), timeout=10)
            except TimeoutError:
                socket_errors["timeout"] += 1
                continue
            except ConnectionRefusedError:
                socket_errors["connect"] += 1
                continue
            except (OSError, ValueError, IndexError):
                socket_errors["read"] += 1
                continue
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[status] += 1

    started = time.monotonic()
    await asyncio.gather(*(worker(i * 7) for i in range(connections)))
    elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "tool": "python asyncio client",
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) if latencies else None,
        "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)] if latencies else None,
        "statuses": dict(statuses),
        "socket_errors": dict(socket_errors),
        "raw": "",
    }


# --- Main ---------------------------------------------------------------------------------


def prepare(args, workspace):
    """(env, description): a filled database and the server's settings."""
    work = workspace.work
    extra = {"STATIC_ROOT": work / "static", "MEDIA_ROOT": work / "media", "PAGE_CACHE": "true"}
    if args.database_url:
        extra["DATABASE_URL"] = args.database_url
        database = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    elif serving.postgres_available():
        extra["DATABASE_URL"] = workspace.postgres()
        database = "PostgreSQL"
    else:
        say("PostgreSQL is not reachable: falling back to SQLite (not what production runs)")
        extra["DATABASE_URL"] = f"sqlite:///{work / 'loadtest.sqlite3'}"
        database = "SQLite"
    if serving.redis_available():
        extra.update(REDIS_URL=serving.REDIS_URL, CACHE_KEY_PREFIX=workspace.redis_prefix())
        cache = "Redis"
    else:
        extra["REDIS_URL"] = ""
        cache = "local memory (Redis not reachable)"
    env = serving.site_env(**extra)
    say(f"filling the database ({database})")
    serving.fill_site(env, bulk_scale=args.scale)
    return env, f"{database}, page cache in {cache}"


def report(args, result, machine_load, editor, failures):
    """Prints the load's and the editor's figures; adds their failures to `failures`."""
    print()
    if result:
        statuses = result["statuses"]
        fives = sum(count for status, count in statuses.items() if status >= 500)
        others = sum(count for status, count in statuses.items() if not 200 <= status < 400)
        socket_errors = sum(result["socket_errors"].values())
        print(f"Load ({result['tool']}): {result['requests']} requests in {args.duration} s")
        # The client, the server and anything else running share the machine's cores.
        before, after = machine_load
        print(f"  machine load      {before:.1f} before, {after:.1f} at the end (1 min)")
        print(f"  requests/s        {result['rps']:.0f}")
        if result["p50"] is not None:
            print(f"  latency p50 / p99 {result['p50']:.0f} ms / {result['p99']:.0f} ms")
        print(f"  responses         {dict(sorted(statuses.items()))}")
        print(f"  5xx               {fives}")
        print(f"  non-2xx/3xx       {others}")
        print(f"  socket errors     {result['socket_errors']}")
        if fives:
            failures.append(f"{fives} responses with a 5xx status")
        if others - fives:
            failures.append(f"{others - fives} responses with a 4xx status")
        if socket_errors:
            failures.append(f"socket errors: {result['socket_errors']}")
    if editor:
        print(f"Editor (admin over HTTP): {dict(editor.counts)}, {len(editor.failures)} failed")
        for failure in editor.failures[:10]:
            print(f"  {failure}")
        failures += [f"editor: {failure}" for failure in editor.failures]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load [60]")
    parser.add_argument("--connections", type=int, default=200, help="concurrent [200]")
    # One wrk thread keeps 200 connections busy and leaves the second core to the server.
    parser.add_argument("--threads", type=int, default=1, help="wrk threads [1]")
    parser.add_argument("--workers", type=int, help="gunicorn workers [2 × cores + 1]")
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--scale", type=float, default=0.01, help="bulk content [0.01]")
    parser.add_argument("--database-url", help="an existing, empty database to fill")
    parser.add_argument("--no-editor", action="store_true", help="readers only")
    parser.add_argument("--python-client", action="store_true", help="even if wrk is there")
    parser.add_argument("--keep-logs", help="copy the server's logs to this directory")
    args = parser.parse_args()
    if not 9100 <= args.port <= 9199:
        parser.error("use a port in 9100–9199")

    result, machine_load, editor, failures = None, None, None, []
    with Workspace("load", keep_logs=args.keep_logs) as workspace:
        try:
            env, setup = prepare(args, workspace)
            server = workspace.serve("loadtest", args.port, env, workers=args.workers)
            reader = Client(HOST, args.port, timeout=60)
            pages = public_pages(reader)
            for kind, path in pages:  # every page answers before the load (and is cached)
                status = reader.get(path).status
                if status != 200:
                    failures.append(f"before the load, {kind} {path}: HTTP {status}")
            kinds = Counter(kind for kind, _path in pages)
            paths_file = workspace.work / "paths.txt"
            paths_file.write_text("".join(path + "\n" for _kind, path in pages))
            summary = ", ".join(f"{kind} {count}" for kind, count in kinds.items())
            say(f"{len(pages)} pages in both languages ({summary})")
            tool = "wrk" if shutil.which("wrk") and not args.python_client else "python"
            say(
                f"{args.connections} connections for {args.duration} s with {tool}; "
                f"{server.workers} gunicorn workers, {server.concurrent_requests} requests at a "
                f"time each, on {HOST}:{args.port}; {setup}"
                + ("" if args.no_editor else "; an editor publishing and editing meanwhile")
            )
            load_before = os.getloadavg()[0]
            if not args.no_editor:
                editor = Editor(args.port, time.monotonic() + args.duration)
                editor.start()
            if tool == "wrk":
                result = run_wrk(
                    args.port, paths_file, args.connections, args.duration, args.threads
                )
            else:
                paths = [path for _kind, path in pages]
                result = asyncio.run(
                    _python_load(args.port, paths, args.connections, args.duration)
                )
            machine_load = (load_before, os.getloadavg()[0])
            if editor:
                editor.join(timeout=120)
                if editor.is_alive():
                    failures.append("the editor did not finish its round within 120 s")
        except Exception as error:
            failures.append(f"{type(error).__name__}: {error}")
            result = None
        workspace.stop_servers()
        report(args, result, machine_load, editor, failures)
        failures += check_logs(workspace.servers)
    return verdict("loadtest", failures, "no 5xx, no socket errors, no errors in the logs")


if __name__ == "__main__":
    sys.exit(main())
