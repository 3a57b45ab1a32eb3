"""Benchmark of the public pages against the Wagtail reference and the Django floor:
`make bench` (about 12 minutes on 2 cores; `BENCH_ARGS=--quick` about 3).

1. Fills a dedicated database twice: the demo content plus `generate_bulk_content` at
   --scale 0.01 (1x) and at full scale (100x: 20 editions, 2,000 sessions, 10,000 reports,
   5,000 contacts), counting the SQL queries of each page both times, rendered in full
   and from cached fragments. --quick fills 1x only.
2. Serves the site on loopback with gunicorn under the reference sites' settings (2 sync
   workers, DEBUG off, collected static files; --site-gunicorn: cdfsite/gunicorn.py's
   threaded workers instead) three times: "rendered" (the page cache off: every request
   runs the view and the outer template, with the page's fragments cached), "cached" (the
   page cache in local memory) and "uncached" (the page cache and fragments off: the full
   render of a page's first view). Beside them, the perf anchor (../shared/perf-anchor,
   or PERF_ANCHOR): the Wagtail reference site and the Django floor (a constant 30 KB view),
   started and stopped with its own scripts; without Python >= 3.12 or its folder the run
   goes on without them and says so.
3. Measures every page of every server with wrk (2 threads, 8 connections) in rounds,
   interleaved, so that all of them share the machine's moments; the cached pages also
   with a random `utm_source` on every request. Medians over the rounds.
4. Prints requests/s, the ratios (rendered ÷ Wagtail, cached ÷ floor, cached with a random
   utm_source ÷ floor), each server's memory per worker (RSS), the time of a report
   page's first render after it is published again, the query counts, and the uncached
   responses that grow with the content; writes it all to .bench/results.md (and every
   sample to .bench/results.json).

The database is a SQLite file in .bench/ unless BENCH_DATABASE_URL names a PostgreSQL
database, which must have "bench" in its name: it is emptied.

    .venv/bin/python -m tools.bench [--quick] [--duration 5] [--rounds 3] [--skip-fill]
        [--port-base 8001] [--site-gunicorn] [--redis] [--profile] [--render-only]
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from http.client import HTTPConnection
from pathlib import Path

from tools import serving
from tools.serving import BASE_DIR, PYTHON, demo_report_slugs, site_languages

WORK = BASE_DIR / ".bench"
WORKERS = 2
# A throwaway SECRET_KEY for the benchmark's DEBUG-off servers.
BENCH_SECRET = secrets.token_urlsafe(40)
PERF_ANCHOR = Path(os.environ.get("PERF_ANCHOR") or BASE_DIR.parent / "shared" / "perf-anchor")
ANCHOR_RUN_DIR = Path(os.environ.get("RUN_DIR", "/tmp/perf-anchor"))  # noqa: S108 (its scripts')
WAGTAIL_DIR = Path(os.environ.get("WAGTAIL_DIR", "/tmp/wagtail-ref"))  # noqa: S108
FLOOR_DIR = Path(os.environ.get("FLOOR_DIR", "/tmp/django-floor"))  # noqa: S108

# English and Chinese, as the language registry names them.
EN, ZH = site_languages().written
DEMO_REPORT = {
    language: f"/{language}/reports/{slug}/" for language, slug in demo_report_slugs().items()
}
DEMO_SESSION = f"/{EN}/2024/sessions/digital-empowerment-industrial-transformation/"
# Measured for throughput. The demo keynote report is the Wagtail reference's content.
PAGES = {
    "report (en)": DEMO_REPORT[EN],
    "report (zh)": DEMO_REPORT[ZH],
    "home": f"/{EN}/",
    "edition": f"/{EN}/2024/",
    "session": DEMO_SESSION,
    "person": f"/{EN}/people/li-wenhai/",
    "search": f"/{EN}/search/?q=digital+economy",
    "report list": f"/{EN}/reports/",
}
# The pages of the goals (and of --quick).
GOAL_PAGES = ("report (en)", "report (zh)", "home", "edition", "session")
# The Wagtail reference's pages: the same report, and its report list. Our pages without
# a counterpart there are compared with its English report page.
WAGTAIL_PAGES = {
    "report (en)": f"/{EN}/reports/digital-transformation-keynote/",
    "report (zh)": f"/{ZH}/reports/digital-transformation-keynote/",
    "report list": f"/{EN}/reports/",
}
WAGTAIL_COUNTERPART = {name: name if name in WAGTAIL_PAGES else "report (en)" for name in PAGES}
OWN_FLOOR = "/bench/floor/"
GOAL_RENDERED = 3.0  # × the Wagtail reference's requests/s
GOAL_CACHED = 0.9  # × the floor's requests/s
SETTLE = 1.0  # seconds between two measurements

# Counted for queries, at 1x and 100x: also the bulk "featured" pages, whose related rows
# (speeches, credits, contacts, roles) grow with the content.
QUERY_PAGES = {
    **PAGES,
    "search (zh)": f"/{ZH}/search/?q=%E6%95%B0%E5%AD%97%E7%BB%8F%E6%B5%8E",
    "bulk edition": f"/{EN}/bulk-2023/",
    "press": f"/{EN}/bulk-2023/press/",
    "bulk report": f"/{EN}/reports/bulk-report-0/",
    "bulk session": f"/{EN}/bulk-2023/sessions/bulk-session-0/",
    "bulk person": f"/{EN}/people/bulk-person-0/",
    "people": f"/{EN}/people/",
    "feed": f"/{EN}/feeds/reports.atom",
    "sitemap": "/sitemap.xml",
    "sitemap file": "/sitemap-reports.xml",
}
# Search pages load each kind of result (report, session, person…) in one query, so their
# count follows the mix of kinds on the page, not the number of rows: at most 4 + 5.
BOUNDED = {"search": 9, "search (zh)": 9}

# Timed at 100x, uncached, one request at a time (the median of 3): responses whose work
# grows with the content unless they are paginated or streamed. The sitemap file is the
# first, full file of the largest section.
RENDER_PAGES = {
    "sitemap index": "/sitemap.xml",
    "sitemap file (reports)": "/sitemap-reports.xml",
    "feed": f"/{EN}/feeds/reports.atom",
    "press": f"/{EN}/2024/press/",
    "press vCards": f"/{EN}/2024/press/contacts.vcf",
    "press (bulk edition)": f"/{EN}/bulk-2023/press/",
    "press vCards (bulk edition)": f"/{EN}/bulk-2023/press/contacts.vcf",
}
RENDER_GOAL = 1.0  # seconds


def log(message):
    print(f"[bench] {message}", flush=True)


# --- Environment --------------------------------------------------------------------------


def database_url():
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url:
        return f"sqlite:///{WORK / 'bench.sqlite3'}"
    name = url.rsplit("/", 1)[-1].split("?")[0]
    if "bench" not in name:
        sys.exit(f"BENCH_DATABASE_URL must name a database with 'bench' in it: {name} is emptied.")
    return url


def site_env(**extra):
    """A production-style server's environment (tools/serving.py) with the bench's database,
    folders and floor view."""
    bench = {
        "PYTHONPATH": BASE_DIR,
        "SECRET_KEY": BENCH_SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": database_url(),
        "STATIC_ROOT": WORK / "static",
        "MEDIA_ROOT": WORK / "media",
        "SERVE_MEDIA": "false",
        "BENCH_FLOOR_VIEW": "true",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "600",
        "PAGE_CACHE": "false",
        "FRAGMENT_CACHE": "true",
        "PAGE_CACHE_TIMEOUT": "600",
        "REDIS_URL": "",
    }
    return serving.site_env(**{**bench, **extra})


def manage(*args, **env):
    command = [PYTHON, "manage.py", *args]
    subprocess.run(command, cwd=BASE_DIR, env=site_env(**env), check=True)  # noqa: S603


def redis_url():
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except Exception:
        return None
    return url


# --- Filling and counting queries ---------------------------------------------------------


def fill(scale):
    url = database_url()
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        manage("migrate", "--noinput", "-v0")
    else:
        manage("migrate", "--noinput", "-v0")
        manage("flush", "--noinput")
    manage("load_demo_content", "--no-accounts")
    started = time.monotonic()
    manage("generate_bulk_content", "--scale", str(scale))
    return time.monotonic() - started


def count_queries():
    """{page: [queries rendered in full, queries with the page's fragments cached]}."""
    full = from_child("--count-queries", FRAGMENT_CACHE="false")
    fragments = from_child("--count-queries", FRAGMENT_CACHE="true")
    return {name: [full.get(name), fragments.get(name)] for name in QUERY_PAGES}


def render_times():
    """{page: {seconds, status, bytes}} for RENDER_PAGES, from a child process."""
    return from_child("--render-times", FRAGMENT_CACHE="false")


def first_render_after_publish():
    """{seconds, cpu, cached_seconds}: a report page's first render after a publish."""
    return from_child("--after-publish", PAGE_CACHE="true", FRAGMENT_CACHE="true")


def from_child(flag, **env):
    """What `python -m tools.bench <flag>` prints last (JSON), with the bench settings."""
    output = subprocess.run(  # noqa: S603 (our own module)
        [PYTHON, "-m", "tools.bench", flag],
        cwd=BASE_DIR,
        env=site_env(**env),
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _count_queries_here():
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = {}
    for name, path in QUERY_PAGES.items():
        client.get(path)  # warm: template and URL caches, and the fragments when cached
        with CaptureQueriesContext(connection) as context:
            response = client.get(path)
        counts[name] = len(context.captured_queries) if response.status_code == 200 else None
    print(json.dumps(counts))


def _render_times_here(repeat=3):
    import django

    django.setup()
    from django.test import Client

    client = Client()
    times = {}
    for name, path in RENDER_PAGES.items():
        client.get(path)  # warm: template and URL caches
        seconds, cpu = [], []
        for _ in range(repeat):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(path)
            body = b"".join(response)  # a streamed response is made while it is read
            seconds.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
        times[name] = {
            "seconds": statistics.median(seconds),
            "cpu": statistics.median(cpu),
            "status": response.status_code,
            "bytes": len(body),
        }
    print(json.dumps(times))


def _after_publish_here(repeat=5):
    """The demo report published again (a new modification time, as a republished working
    copy gets): the page cache and the fragments that showed it are invalidated, and the
    next reader's request renders it afresh."""
    import django

    django.setup()
    from django.db import transaction
    from django.test import Client
    from django.utils import timezone

    from forum.core import languages
    from forum.models import Report

    client = Client()
    path = DEMO_REPORT[EN]
    report = Report.objects.get(**{languages.column("slug", EN): demo_report_slugs()[EN]})
    first, cpu, cached = [], [], []
    for _ in range(repeat):
        client.get(path)
        client.get(path)  # the page and its fragments are cached
        with transaction.atomic():  # invalidation runs when this commits
            report.live_updated_at = timezone.now()
            report.save()
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(path)
        first.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        if response.get("X-Page-Cache") != "miss":
            raise RuntimeError("the publish did not invalidate the cached page")
        started = time.perf_counter()
        response = client.get(path)
        cached.append(time.perf_counter() - started)
    result = {
        "seconds": statistics.median(first),
        "cpu": statistics.median(cpu),
        "cached_seconds": statistics.median(cached),
    }
    print(json.dumps(result))


def profile(path, requests=200, **env):
    """Where the time of a page goes (pyinstrument, in-process)."""
    subprocess.run(  # noqa: S603 (our own module)
        [PYTHON, "-m", "tools.bench", "--profile-here", path, str(requests)],
        cwd=BASE_DIR,
        env=site_env(**env),
        check=True,
    )


def _profile_here(path, requests):
    import django

    django.setup()
    from django.test import Client

    client = Client()
    client.get(path)
    try:
        from pyinstrument import Profiler
    except ImportError:  # the standard library's profiler, by cumulative time
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(requests):
            client.get(path)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        return
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(requests):
        client.get(path)
    profiler.stop()
    print(profiler.output_text(unicode=False, color=False))


# --- Serving ------------------------------------------------------------------------------


def _wait_for(port, path, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2):  # noqa: S310
                return True
        except OSError:
            time.sleep(0.2)
    return False


def _wait_until_free(port):
    for _ in range(100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return
        time.sleep(0.1)


def worker_rss(master_pid):
    """The resident memory (MB) of each worker of a gunicorn master."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master_pid}$", text, re.M):
            rss = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
            if rss:
                sizes.append(int(rss.group(1)) / 1024)
    return sorted(sizes)


class Site:
    """Our site served by gunicorn on a port, in one of the benchmark's modes."""

    def __init__(self, name, port, site_gunicorn, **env):
        self.name, self.port, self.site_gunicorn = name, port, site_gunicorn
        self.env = site_env(**env)
        self.process = None

    def start(self):
        if not serving.port_is_free(self.port):
            raise RuntimeError(f"port {self.port} is in use")
        command = [*serving.gunicorn_command(self.port, workers=WORKERS), "--log-level", "warning"]
        if not self.site_gunicorn:  # the reference sites' settings: sync workers
            command += ["--worker-class", "sync"]
        self.process = subprocess.Popen(  # noqa: S603 (the venv's gunicorn)
            command, cwd=BASE_DIR, env=self.env, start_new_session=True
        )
        if not _wait_for(self.port, OWN_FLOOR):
            self.stop()
            raise RuntimeError(f"gunicorn ({self.name}) did not start")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def rss(self):
        return worker_rss(self.process.pid)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
            _wait_until_free(self.port)


class Anchor:
    """A perf-anchor site (Wagtail reference or floor), started and stopped by its scripts."""

    def __init__(self, name, directory, app, port):
        self.name, self.directory, self.app, self.port = name, directory, app, port

    def start(self):
        subprocess.run(  # noqa: S603 (the perf anchor's own script)
            [str(PERF_ANCHOR / "serve.sh"), str(self.directory), self.app, str(self.port)],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def rss(self):
        pidfile = ANCHOR_RUN_DIR / f"gunicorn-{self.port}.pid"
        return worker_rss(int(pidfile.read_text())) if pidfile.exists() else []

    def stop(self):
        subprocess.run(  # noqa: S603 (the perf anchor's own script)
            [str(PERF_ANCHOR / "stop.sh"), str(self.port)], check=False, stdout=subprocess.DEVNULL
        )


def anchor_python():
    """The perf anchor's Python >= 3.12 (its common.sh: pick_python), or None."""
    result = subprocess.run(  # noqa: S603 (the perf anchor's own script)
        ["bash", "-c", f'source "{PERF_ANCHOR}/common.sh" && pick_python'],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() or None


def prepare_anchor():
    """Sets the perf anchor's sites up when missing; the reason when it cannot be used."""
    if not (PERF_ANCHOR / "serve.sh").exists():
        return f"no perf anchor at {PERF_ANCHOR} (set PERF_ANCHOR)"
    if anchor_python() is None:
        return (
            "no Python >= 3.12 for the perf anchor (its Wagtail and Django need it: install "
            "one with pyenv, or set PYTHON=/path/to/python3.12+)"
        )
    for directory, script in (
        (WAGTAIL_DIR, "setup_wagtail_ref.sh"),
        (FLOOR_DIR, "setup_django_floor.sh"),
    ):
        if not directory.exists():
            log(f"setting the perf anchor up: {script}")
            done = subprocess.run(  # noqa: S603 (the perf anchor's own script)
                [str(PERF_ANCHOR / script)], cwd=PERF_ANCHOR, check=False
            )
            if done.returncode != 0:
                return f"{script} failed (exit {done.returncode})"
    return None


# --- Loading ------------------------------------------------------------------------------

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def load(url, seconds, utm=False):
    if shutil.which("wrk"):
        return _wrk(url, seconds, utm)
    return _python_load(url, seconds, utm)


def _wrk(url, seconds, utm):
    script = BASE_DIR / "tools" / "bench_wrk.lua"
    output = subprocess.run(  # noqa: S603 (wrk from PATH, fixed arguments)
        [shutil.which("wrk"), "-t2", "-c8", f"-d{seconds}s", "--latency", "-s", script, url],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "BENCH_WRK_UTM": "1" if utm else ""},
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {}
    for percentile in ("50", "99"):
        value, unit = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)", output, re.M).groups()
        latency[percentile] = float(value) * UNITS[unit]
    errors = int(re.search(r"^non2xx=(\d+)", output, re.M).group(1))
    return {"rps": rps, "p50": latency["50"], "p99": latency["99"], "errors": errors}


def _python_load(url, seconds, utm):
    """A fallback load generator (8 connections in threads) when wrk is missing."""
    host_port, path = url.removeprefix("http://").split("/", 1)
    port = int(host_port.rsplit(":", 1)[1])
    deadline = time.monotonic() + seconds
    latencies, errors, lock = [], [], threading.Lock()

    def worker():
        mine, failed = [], 0
        while time.monotonic() < deadline:
            target = f"/{path}"
            if utm:
                target += ("&" if "?" in target else "?") + f"utm_source={secrets.token_hex(6)}"
            connection = HTTPConnection("127.0.0.1", port, timeout=10)
            started = time.perf_counter()
            connection.request("GET", target)
            response = connection.getresponse()
            response.read()
            mine.append((time.perf_counter() - started) * 1000)
            failed += not 200 <= response.status < 300
            connection.close()
        with lock:
            latencies.extend(mine)
            errors.append(failed)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {
        "rps": len(latencies) / seconds,
        "p50": statistics.median(latencies),
        "p99": latencies[int(len(latencies) * 0.99) - 1],
        "errors": sum(errors),
    }


def plan(servers, pages):
    """[(server, page name, path, utm)] measured in each round, in this order.

    The references (the Wagtail reference's page, the floor) are measured again next to
    each page compared with them, so that their samples spread over the whole run like
    the pages' do: on a machine whose load changes from one second to the next, each
    ratio is the median of a page's samples to the median of all its reference's.
    """
    runs = []
    for name in pages:
        counterpart = WAGTAIL_COUNTERPART[name]
        if "wagtail" in servers:
            runs.append(("wagtail", counterpart, WAGTAIL_PAGES[counterpart], False))
        runs.append(("rendered", name, PAGES[name], False))
        if "floor" in servers:
            runs.append(("floor", "floor", "/", False))
        runs.append(("cached", name, PAGES[name], False))
        if name in GOAL_PAGES:
            runs.append(("cached", name, PAGES[name], True))
        if "uncached" in servers and name in ("report (en)", "report (zh)", "home"):
            runs.append(("uncached", name, PAGES[name], False))
        if "redis" in servers:
            runs.append(("redis", name, PAGES[name], False))
    if "wagtail" in servers and "report list" not in pages:
        runs += [("wagtail", name, path, False) for name, path in WAGTAIL_PAGES.items()]
    runs.append(("cached", "our floor", OWN_FLOOR, False))
    return runs


def measure(servers, runs, rounds, duration):
    """{(server, page, utm): [the result of each of its measurements]}, in rounds."""
    for server, _name, path, utm in dict.fromkeys(runs):
        load(servers[server].url(path), 1, utm)  # warm: templates, URL caches, caches
    results = {}
    for number in range(1, rounds + 1):
        log(f"round {number} of {rounds}")
        for server, name, path, utm in runs:
            # The requests still in flight when the last measurement ended are answered
            # first, on the same CPUs.
            time.sleep(SETTLE)
            result = load(servers[server].url(path), duration, utm)
            results.setdefault((server, name, utm), []).append(result)
    return results


def median(results, key, field="rps"):
    samples = results.get(key)
    return statistics.median(sample[field] for sample in samples) if samples else None


FLOOR_KEY = ("floor", "floor", False)


def ratio(results, key, reference):
    value, base = median(results, key), median(results, reference)
    return value / base if value and base else None


def to_wagtail(results, name):
    return ratio(results, ("rendered", name, False), ("wagtail", WAGTAIL_COUNTERPART[name], False))


# --- Report -------------------------------------------------------------------------------


def fmt(value, digits=0):
    return "n/a" if value is None else f"{value:,.{digits}f}"


def throughput_table(results, pages):
    lines = [
        "| page | rendered req/s | ÷ Wagtail | cached req/s | ÷ floor | cached, random "
        "utm_source | ÷ floor | uncached (no fragments) req/s | Wagtail req/s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name in pages:
        counterpart = WAGTAIL_COUNTERPART[name]
        wagtail = fmt(median(results, ("wagtail", counterpart, False)))
        if counterpart != name:
            wagtail += f" (its {counterpart})"
        cells = [
            fmt(median(results, ("rendered", name, False))),
            times(to_wagtail(results, name)),
            fmt(median(results, ("cached", name, False))),
            percent(ratio(results, ("cached", name, False), FLOOR_KEY)),
            fmt(median(results, ("cached", name, True))),
            percent(ratio(results, ("cached", name, True), FLOOR_KEY)),
            fmt(median(results, ("uncached", name, False))),
            wagtail,
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    floor = median(results, ("floor", "floor", False))
    own = median(results, ("cached", "our floor", False))
    lines += [
        "",
        "Ratios: the median of a page's samples to the median of all its reference's samples"
        " (measured next to each page compared with it, so spread over the whole run).",
        f"Django floor (perf anchor, constant 30 KB view): {fmt(floor)} requests/s; the same"
        f" view through our middleware (/bench/floor/, cached server): {fmt(own)} requests/s"
        f" ({percent(ratio(results, ('cached', 'our floor', False), FLOOR_KEY))} of the floor).",
    ]
    if "redis" in {key[0] for key in results}:
        redis = "; ".join(
            f"{name} {fmt(median(results, ('redis', name, False)))} "
            f"({percent(ratio(results, ('redis', name, False), FLOOR_KEY))} of the floor)"
            for name in pages
        )
        lines.append(f"Page cache in Redis: {redis}.")
    errors = sum(sample["errors"] for samples in results.values() for sample in samples)
    lines.append(f"Answers other than 2xx in all measurements: {errors}.")
    return "\n".join(lines)


def times(value):
    return "n/a" if value is None else f"{value:.1f}×"


def percent(value):
    return "n/a" if value is None else f"{value * 100:.0f} %"


def rounds_table(results):
    lines = ["| server | page | each round's req/s (p50 / p99 ms) |", "| --- | --- | --- |"]
    for (server, name, utm), samples in results.items():
        label = f"{name}, random utm_source" if utm else name
        cells = "; ".join(
            f"{sample['rps']:,.0f} ({sample['p50']:.1f} / {sample['p99']:.1f})"
            for sample in samples
        )
        lines.append(f"| {server} | {label} | {cells} |")
    return "\n".join(lines)


def memory_table(memory):
    lines = ["| server | RSS per worker (MB) |", "| --- | --- |"]
    for name, sizes in memory.items():
        lines.append(f"| {name} | {', '.join(f'{size:.0f}' for size in sizes) or 'n/a'} |")
    return "\n".join(lines)


def queries_table(queries_small, queries_bulk):
    lines = [
        "| page | queries 1x (in full / from fragments) | queries 100x (the same) |",
        "| --- | --- | --- |",
    ]
    for name in QUERY_PAGES:
        small = queries_small.get(name) or [None, None]
        bulk = (queries_bulk or {}).get(name) or [None, None]
        lines.append(f"| {name} | {small[0]} / {small[1]} | {bulk[0]} / {bulk[1]} |")
    return "\n".join(lines)


def render_table(render):
    lines = [
        "Uncached, one request at a time, 100x content (median of 3 requests; CPU: this"
        " process's, the database's too with SQLite):",
        "",
        "| response | seconds | CPU seconds | size |",
        "| --- | --- | --- | --- |",
    ]
    for name, path in RENDER_PAGES.items():
        result = render[name]
        size = f"{result['bytes'] / 1024:,.0f} KB" if result["status"] == 200 else result["status"]
        timing = f"{result['seconds']:.2f} | {result['cpu']:.2f}"
        lines.append(f"| {name} `{path}` | {timing} | {size} |")
    slow = [
        name
        for name, result in render.items()
        if result["status"] != 200 or result["seconds"] >= RENDER_GOAL
    ]
    lines += [
        "",
        f"uncached responses that grow with the content under {RENDER_GOAL:.0f} s: "
        + (ok(True) if not slow else f"MISSED on {', '.join(slow)}"),
    ]
    return "\n".join(lines)


def goals(results, queries_small, queries_bulk):
    checks = []
    for name in GOAL_PAGES:
        rendered = to_wagtail(results, name)
        if rendered is not None:
            checks.append(
                f"rendered {name} {rendered:.1f}× Wagtail (goal {GOAL_RENDERED:.0f}×):"
                f" {ok(rendered >= GOAL_RENDERED)}"
            )
        for label, utm in (("cached", False), ("cached, random utm_source,", True)):
            value = ratio(results, ("cached", name, utm), FLOOR_KEY)
            if value is not None:
                checks.append(
                    f"{label} {name} {value * 100:.0f} % of the floor (goal "
                    f"{GOAL_CACHED * 100:.0f} %): {ok(value >= GOAL_CACHED)}"
                )
    if queries_bulk:
        grew = {
            name
            for name in QUERY_PAGES
            if name not in BOUNDED and queries_small.get(name) != queries_bulk.get(name)
        }
        grew |= {
            name
            for name, bound in BOUNDED.items()
            if max(max(queries_small.get(name) or [99]), max(queries_bulk.get(name) or [99]))
            > bound
        }
        checks.append(
            "queries constant as content grows 100x (search: at most one per kind of result): "
            + (ok(True) if not grew else f"MISSED on {', '.join(sorted(grew))}")
        )
    return "\n".join(checks)


def ok(passed):
    return "met" if passed else "MISSED"


# --- Main ---------------------------------------------------------------------------------


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1x content, the goal pages, 1 round")
    parser.add_argument("--duration", type=int, help="seconds per measurement (5; quick: 2)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (3; quick: 1)")
    parser.add_argument("--skip-fill", action="store_true", help="reuse the filled database")
    parser.add_argument("--port-base", type=int, default=8001, help="first of 6 ports (8001)")
    parser.add_argument(
        "--site-gunicorn",
        action="store_true",
        help="serve our site with cdfsite/gunicorn.py's threaded workers, not sync ones",
    )
    parser.add_argument("--redis", action="store_true", help="also the page cache in Redis")
    parser.add_argument("--profile", action="store_true", help="profile the report page")
    parser.add_argument(
        "--render-only",
        action="store_true",
        help="only time the responses that grow with the content, on the filled database",
    )
    parser.add_argument("--count-queries", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--render-times", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--after-publish", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile-here", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.duration = args.duration or (2 if args.quick else 5)
    args.rounds = args.rounds or (1 if args.quick else 3)
    return args


def fill_and_count(args, state):
    if args.skip_fill and state.exists():
        saved = json.loads(state.read_text())
        return saved["1x"], saved["100x"], saved["fill"]
    log("filling 1x (demo + bulk content at --scale 0.01)")
    fill_seconds = fill(0.01)
    queries_small, queries_bulk = count_queries(), None
    if not args.quick:
        log("filling 100x (demo + bulk content at full scale)")
        fill_seconds = fill(1.0)
        queries_bulk = count_queries()
    state.write_text(json.dumps({"1x": queries_small, "100x": queries_bulk, "fill": fill_seconds}))
    return queries_small, queries_bulk, fill_seconds


def start_servers(args):
    ports = iter(range(args.port_base, args.port_base + 6))
    wagtail_port, floor_port = next(ports), next(ports)
    servers = {
        "rendered": Site("rendered", next(ports), args.site_gunicorn, PAGE_CACHE="false"),
        "cached": Site("cached", next(ports), args.site_gunicorn, PAGE_CACHE="true"),
    }
    uncached_port = next(ports)
    if not args.quick:
        servers["uncached"] = Site(
            "uncached",
            uncached_port,
            args.site_gunicorn,
            PAGE_CACHE="false",
            FRAGMENT_CACHE="false",
        )
    redis_port = next(ports)
    if args.redis:
        url = redis_url()
        if url:
            servers["redis"] = Site(
                "redis",
                redis_port,
                args.site_gunicorn,
                PAGE_CACHE="true",
                REDIS_URL=url,
                CACHE_KEY_PREFIX=f"cdfsite-bench-{secrets.token_hex(4)}",
            )
        else:
            log("no Redis server answers: the page cache is measured in local memory only")
    missing = prepare_anchor()
    if missing:
        log(f"WITHOUT the Wagtail reference and the floor: {missing}")
    else:
        servers["wagtail"] = Anchor(
            "wagtail", WAGTAIL_DIR, "refsite.wsgi_bench:application", wagtail_port
        )
        servers["floor"] = Anchor("floor", FLOOR_DIR, "floorsite.wsgi:application", floor_port)
    started = []
    try:
        for server in servers.values():
            server.start()
            started.append(server)
    except Exception:
        for server in started:
            server.stop()
        raise
    return servers, missing


def main():
    args = parse_args()
    if args.count_queries:
        return _count_queries_here()
    if args.render_times:
        return _render_times_here()
    if args.after_publish:
        return _after_publish_here()
    if args.profile_here:
        return _profile_here(args.profile_here[0], int(args.profile_here[1]))

    # A `kill` stops the servers too (the `finally` below runs).
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(1))
    started = time.monotonic()
    WORK.mkdir(exist_ok=True)
    # DEBUG off: pages need the hashed static files' manifest.
    manage("collectstatic", "--noinput", "-v0")
    if args.render_only:
        print(render_table(render_times()))
        return None
    queries_small, queries_bulk, fill_seconds = fill_and_count(args, WORK / "queries.json")
    render = None if args.quick else render_table(render_times())
    log("timing a report page's first render after a publish")
    after_publish = first_render_after_publish()

    pages = GOAL_PAGES if args.quick else tuple(PAGES)
    load_before = os.getloadavg()[0]
    if load_before > 0.5:
        log(f"load average {load_before:.1f}: other processes compete for the CPUs")
    servers, missing = start_servers(args)
    try:
        runs = plan(servers, pages)
        log(f"{len(runs)} measurements a round, {args.duration} s each")
        results = measure(servers, runs, args.rounds, args.duration)
        memory = {name: server.rss() for name, server in servers.items()}
    finally:
        for server in servers.values():
            server.stop()

    worker = "cdfsite/gunicorn.py's threaded" if args.site_gunicorn else "sync"
    tool = "wrk -t2 -c8" if shutil.which("wrk") else "Python load generator, 8 connections"
    header = (
        f"gunicorn, {WORKERS} {worker} workers for every site, DEBUG off, {os.cpu_count()} "
        f"cores; {tool}, {args.duration} s per measurement, {args.rounds} interleaved "
        f"round(s), medians; database {database_url().split(':')[0]}, "
        f"{'1x' if args.quick else '100x'} content; load average before: {load_before:.1f}."
    )
    if missing:
        header += f"\n\nWithout the Wagtail reference and the floor: {missing}."
    sections = [
        header,
        "rendered: the page cache off (view and outer template each request, fragments cached);"
        " cached: the page cache (local memory); uncached: page cache and fragments off.",
        throughput_table(results, pages),
        "First render of the English report page after it is published again (in-process, the"
        f" page cache and fragments on; median of 5): {after_publish['seconds'] * 1000:.1f} ms"
        f" (CPU {after_publish['cpu'] * 1000:.1f} ms); the next request, from the page cache:"
        f" {after_publish['cached_seconds'] * 1000:.2f} ms.",
        memory_table(memory),
        queries_table(queries_small, queries_bulk),
        f"Bulk content generated ({'1x' if args.quick else '100x'}) in {fill_seconds:.0f} s.",
    ]
    if render:
        sections.append(render)
    sections += [goals(results, queries_small, queries_bulk), rounds_table(results)]
    text = "\n\n".join(sections) + "\n"
    (WORK / "results.md").write_text(text)
    samples = [
        {"server": key[0], "page": key[1], "utm": key[2], "samples": value}
        for key, value in results.items()
    ]
    (WORK / "results.json").write_text(json.dumps(samples, indent=1))
    print("\n" + text)
    if args.profile:
        log("profile of the rendered English report page (200 requests, fragments cached):")
        profile(DEMO_REPORT[EN])
    log(f"done in {time.monotonic() - started:.0f} s; results in {WORK / 'results.md'}")
    return None


if __name__ == "__main__":
    main()
