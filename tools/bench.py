"""Benchmark of the public pages: `make bench` (about 5 minutes on 2 cores).

1. Fills a dedicated database twice: the demo content plus `generate_bulk_content` at
   --scale 0.01 (1x) and at full scale (100x: 20 editions, 2,000 sessions, 10,000 reports,
   5,000 contacts), counting the SQL queries of each page both times.
2. Serves the site with gunicorn on loopback as `make serve` does (2 workers with
   cdfsite/gunicorn.py's threads, DEBUG off, plain HTTP, collected static files) with the
   page cache off ("cold"), then on (local memory, and Redis when a server answers), and
   measures each page with wrk (2 threads, 8 connections, 10 s)
   next to a constant 30 KB Django view, the floor.
3. Times one uncached request at a time of the responses whose work grows with the
   content unless they are paginated or streamed (the sitemap index and a full sitemap
   file, the feed, press pages and vCard lists) on the 100x content: each under a second.
4. Prints a table (requests/s, p50/p99 latency, share of the floor's requests/s, queries)
   and writes it to .bench/results.md.

The database is a SQLite file in .bench/ unless BENCH_DATABASE_URL names a PostgreSQL
database, which must have "bench" in its name: it is emptied. REDIS_URL (default
redis://127.0.0.1:6379/0) is used with a key prefix of its own, never flushed.

    .venv/bin/python -m tools.bench [--duration 10] [--skip-fill] [--profile] [--render-only]
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
from tools.serving import BASE_DIR, DEMO_REPORT_SLUGS, PYTHON

WORK = BASE_DIR / ".bench"
PORT = 8910
WORKERS = 2
# A throwaway SECRET_KEY for the benchmark's DEBUG-off server.
BENCH_SECRET = secrets.token_urlsafe(40)

DEMO_REPORT = {
    language: f"/{language}/reports/{slug}/" for language, slug in DEMO_REPORT_SLUGS.items()
}
DEMO_SESSION = "/en/2024/sessions/digital-empowerment-industrial-transformation/"
# Measured for throughput: the demo keynote report (the Wagtail reference's content).
PAGES = {
    "report (en)": DEMO_REPORT["en"],
    "report (zh)": DEMO_REPORT["zh-hans"],
    "session": DEMO_SESSION,
    "home": "/en/",
    "search": "/en/search/?q=digital+economy",
}
FLOOR = "/bench/floor/"
# Counted for queries, at 1x and 100x: also the bulk "featured" pages, whose related rows
# (speeches, credits, contacts, roles) grow with the content.
QUERY_PAGES = {
    **PAGES,
    "search (zh)": "/zh-hans/search/?q=%E6%95%B0%E5%AD%97%E7%BB%8F%E6%B5%8E",
    "report list": "/en/reports/",
    "edition": "/en/bulk-2023/",
    "press": "/en/bulk-2023/press/",
    "bulk report": "/en/reports/bulk-report-0/",
    "bulk session": "/en/bulk-2023/sessions/bulk-session-0/",
    "bulk person": "/en/people/bulk-person-0/",
    "people": "/en/people/",
    "feed": "/en/feeds/reports.atom",
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
    "feed": "/en/feeds/reports.atom",
    "press": "/en/2024/press/",
    "press vCards": "/en/2024/press/contacts.vcf",
    "press (bulk edition)": "/en/bulk-2023/press/",
    "press vCards (bulk edition)": "/en/bulk-2023/press/contacts.vcf",
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
    """{page: queries} for QUERY_PAGES, from a child process with the bench settings."""
    return from_child("--count-queries")


def render_times():
    """{page: {seconds, status, bytes}} for RENDER_PAGES, from a child process."""
    return from_child("--render-times")


def from_child(flag):
    """What `python -m tools.bench <flag>` prints last (JSON), with the bench settings."""
    output = subprocess.run(  # noqa: S603 (our own module)
        [PYTHON, "-m", "tools.bench", flag],
        cwd=BASE_DIR,
        env=site_env(),
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
        client.get(path)  # warm: template and URL caches
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


def profile(path, requests=200):
    """Where the time of an uncached page goes (pyinstrument, in-process)."""
    subprocess.run(  # noqa: S603 (our own module)
        [PYTHON, "-m", "tools.bench", "--profile-here", path, str(requests)],
        cwd=BASE_DIR,
        env=site_env(),
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


# --- Serving and loading ------------------------------------------------------------------


class Server:
    def __init__(self, name, **env):
        self.name = name
        self.env = site_env(**env)
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(  # noqa: S603 (the venv's gunicorn)
            [*serving.gunicorn_command(PORT, workers=WORKERS), "--log-level", "warning"],
            cwd=BASE_DIR,
            env=self.env,
            start_new_session=True,
        )
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{FLOOR}", timeout=2):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        # The port is free again before the next server starts.
        for _ in range(50):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", PORT)) != 0:
                    break
            time.sleep(0.1)


def warm(path, seconds=2):
    load(path, seconds)


def load(path, seconds):
    url = f"http://127.0.0.1:{PORT}{path}"
    if shutil.which("wrk"):
        return _wrk(url, seconds)
    return _python_load(path, seconds)


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def _wrk(url, seconds):
    output = subprocess.run(  # noqa: S603 (wrk from PATH, fixed arguments)
        [shutil.which("wrk"), "-t2", "-c8", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {}
    for percentile in ("50", "99"):
        value, unit = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)", output, re.M).groups()
        latency[percentile] = float(value) * UNITS[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = int(errors.group(1)) if errors else 0
    return {"rps": rps, "p50": latency["50"], "p99": latency["99"], "errors": errors}


def _python_load(path, seconds):
    """A fallback load generator (8 connections in threads) when wrk is missing."""
    deadline = time.monotonic() + seconds
    latencies, lock = [], threading.Lock()

    def worker():
        mine = []
        while time.monotonic() < deadline:
            connection = HTTPConnection("127.0.0.1", PORT, timeout=10)
            started = time.perf_counter()
            connection.request("GET", path)
            connection.getresponse().read()
            mine.append((time.perf_counter() - started) * 1000)
            connection.close()
        with lock:
            latencies.extend(mine)

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
        "errors": 0,
    }


def measure(modes, duration):
    """{mode: {page: result}}, with the floor ("floor") of each mode's server."""
    results = {}
    for mode, env in modes.items():
        with Server(mode, **env):
            log(f"serving: {mode}")
            results[mode] = {}
            # The floor with each server: ratios compare measurements minutes apart at most.
            warm(FLOOR)
            results[mode]["floor"] = load(FLOOR, duration)
            for name, path in PAGES.items():
                warm(path)
                results[mode][name] = load(path, duration)
                result = results[mode][name]
                log(f"  {name}: {result['rps']:.0f} requests/s, {result['errors']} errors")
    return results


# --- Report -------------------------------------------------------------------------------


def table(results, queries_small, queries_bulk, fill_seconds):
    modes = list(results)
    lines = [
        "Floor (constant 30 KB Django view), measured with each server: "
        + "; ".join(
            "{} {rps:.0f} requests/s (p50 {p50:.1f} ms, p99 {p99:.1f} ms)".format(
                mode, **results[mode]["floor"]
            )
            for mode in modes
        )
        + ".",
        "",
        "| page | "
        + " | ".join(f"{mode} req/s (% floor) | {mode} p50 / p99 ms" for mode in modes)
        + " | queries 1x | queries 100x |",
        "| --- |" + " --- | --- |" * len(modes) + " --- | --- |",
    ]
    for name in PAGES:
        cells = []
        for mode in modes:
            result = results[mode][name]
            share = result["rps"] / results[mode]["floor"]["rps"] * 100
            cells.append(f"{result['rps']:.0f} ({share:.0f} %)")
            cells.append(f"{result['p50']:.1f} / {result['p99']:.1f}")
        lines.append(
            f"| {name} | "
            + " | ".join(cells)
            + f" | {queries_small.get(name)} | {queries_bulk.get(name)} |"
        )
    lines += ["", "| page (queries only) | 1x | 100x |", "| --- | --- | --- |"]
    for name in QUERY_PAGES:
        if name not in PAGES:
            lines.append(f"| {name} | {queries_small.get(name)} | {queries_bulk.get(name)} |")
    lines += ["", f"Bulk content generated (100x) in {fill_seconds:.0f} s."]
    return "\n".join(lines)


def goals(results, queries_small, queries_bulk):
    cached_mode = "cached (locmem)"
    checks = []
    for name in ("report (en)", "report (zh)"):
        cached = results[cached_mode][name]["rps"] / results[cached_mode]["floor"]["rps"] * 100
        cold = results["cold"][name]["rps"] / results["cold"]["floor"]["rps"] * 100
        checks.append(f"cached {name} {cached:.0f} % of floor (goal 50 %): {ok(cached >= 50)}")
        checks.append(f"uncached {name} {cold:.0f} % of floor (goal 15 %): {ok(cold >= 15)}")
    grew = {
        name
        for name in QUERY_PAGES
        if name not in BOUNDED and queries_small.get(name) != queries_bulk.get(name)
    }
    grew |= {
        name
        for name, bound in BOUNDED.items()
        if max(queries_small.get(name) or 99, queries_bulk.get(name) or 99) > bound
    }
    checks.append(
        "queries constant as content grows 100x (search: at most one per kind of result): "
        + (ok(True) if not grew else f"MISSED on {', '.join(sorted(grew))}")
    )
    return "\n".join(checks)


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


def ok(passed):
    return "met" if passed else "MISSED"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--skip-fill", action="store_true", help="reuse the filled database")
    parser.add_argument("--profile", action="store_true", help="profile the cold report page")
    parser.add_argument(
        "--render-only",
        action="store_true",
        help="only time the responses that grow with the content, on the filled database",
    )
    parser.add_argument("--count-queries", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--render-times", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--profile-here", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.count_queries:
        return _count_queries_here()
    if args.render_times:
        return _render_times_here()
    if args.profile_here:
        return _profile_here(args.profile_here[0], int(args.profile_here[1]))

    # A `kill` stops the servers too (their `with` blocks exit).
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(1))
    started = time.monotonic()
    WORK.mkdir(exist_ok=True)
    state = WORK / "queries.json"
    # DEBUG off: pages need the hashed static files' manifest.
    manage("collectstatic", "--noinput", "-v0")
    if args.render_only:
        print(render_table(render_times()))
        return None
    if args.skip_fill and state.exists():
        saved = json.loads(state.read_text())
        queries_small, queries_bulk, fill_seconds = saved["1x"], saved["100x"], saved["fill"]
    else:
        log("filling 1x (demo + bulk content at --scale 0.01)")
        fill(0.01)
        queries_small = count_queries()
        log("filling 100x (demo + bulk content at full scale)")
        fill_seconds = fill(1.0)
        queries_bulk = count_queries()
        state.write_text(
            json.dumps({"1x": queries_small, "100x": queries_bulk, "fill": fill_seconds})
        )
    log("timing the responses that grow with the content (100x, uncached)")
    render = render_table(render_times())

    modes = {
        "cold": {"PAGE_CACHE": "false"},
        "cached (locmem)": {"PAGE_CACHE": "true", "PAGE_CACHE_TIMEOUT": "600"},
    }
    redis = redis_url()
    if redis:
        modes["cached (redis)"] = {
            "PAGE_CACHE": "true",
            "REDIS_URL": redis,
            "CACHE_KEY_PREFIX": f"cdfsite-bench-{secrets.token_hex(4)}",
            "PAGE_CACHE_TIMEOUT": "600",
        }
    else:
        log("no Redis server answers: measuring the local-memory cache only")
    load_before = os.getloadavg()[0]
    if load_before > 0.5:
        log(f"load average {load_before:.1f}: other processes compete for the CPUs")
    results = measure(modes, args.duration)

    report = table(results, queries_small, queries_bulk, fill_seconds)
    verdict = goals(results, queries_small, queries_bulk)
    tool = "wrk -t2 -c8" if shutil.which("wrk") else "Python load generator, 8 connections"
    header = (
        f"gunicorn, {WORKERS} workers × {serving.gunicorn_settings()['threads']} threads, "
        f"DEBUG off, {os.cpu_count()} cores; {tool}, "
        f"{args.duration} s per page; database {database_url().split(':')[0]}; "
        f"load average before: {load_before:.1f}."
    )
    text = f"{header}\n\n{report}\n\n{render}\n\n{verdict}\n"
    (WORK / "results.md").write_text(text)
    print("\n" + text)
    if args.profile:
        log("profile of the cold English report page (200 requests):")
        profile(DEMO_REPORT["en"])
    log(f"done in {time.monotonic() - started:.0f} s; results in {WORK / 'results.md'}")
    return None


if __name__ == "__main__":
    main()
