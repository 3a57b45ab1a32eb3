"""Slow and idle clients against the site as `make serve` runs it (docs/operations.md).

Starts gunicorn on loopback port 9181 (SLOW_CLIENTS_PORT) as `make serve` does (DEBUG off,
cdfsite/gunicorn.py's worker class and number of workers, the demo content on SQLite),
then opens and keeps open:

- 100 idle connections (--idle): connected, nothing sent;
- 50 slow-header connections (--slow): the request line and a first header sent, then one
  byte of a header every 2 seconds, the headers never finished;

a connection the server closes is opened again at once, as an attacker would. Meanwhile a
normal client asks for the public pages one after the other for 20 seconds (--duration)
and the figures are printed: requests, errors, p50 and p99 of their times.

Exits 1 when any normal request fails or times out (5 s) or p99 is over 1 s (--p99): a
public page answers in tens of milliseconds on this machine with nothing else going on,
so a second means requests queue behind the attackers' connections; a reader waiting
longer than that is the outage issue 22 reports. Exits 2 when the server does not start.

    .venv/bin/python -m tools.slow_clients [--idle 100] [--slow 50] [--duration 20]
"""

import argparse
import contextlib
import os
import re
import socket
import statistics
import sys
import threading
import time
from http.client import HTTPConnection

from tools import serving
from tools.serving import HOST, Workspace, log

PORT = int(os.environ.get("SLOW_CLIENTS_PORT", "9181"))
# The normal client's pages: the smallest answer and the home page in each language.
PAGES = ("/robots.txt", *(f"/{code}/" for code in serving.site_languages().codes))
REQUEST_TIMEOUT = 5.0
# A slow client's request: a request line and a header that never ends.
SLOW_START = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow"
SLOW_INTERVAL = 2.0


def say(message):
    log("slow-clients", message)


class Attackers:
    """Idle and slow-header connections to the server, each opened again when the server
    closes it, in a thread of their own until stop()."""

    def __init__(self, port, idle, slow):
        self.port = port
        self.kinds = ["idle"] * idle + ["slow"] * slow
        self.sockets = [None] * len(self.kinds)
        self.reopened = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _open(self, index):
        connection = socket.create_connection((HOST, self.port), timeout=5)
        if self.kinds[index] == "slow":
            connection.sendall(SLOW_START)
        connection.setblocking(False)
        self.sockets[index] = connection

    def _closed_by_server(self, connection):
        try:
            return connection.recv(1024) == b""  # the server answered or hung up
        except BlockingIOError:
            return False
        except OSError:
            return True

    def _run(self):
        next_byte = time.monotonic() + SLOW_INTERVAL
        while not self._stop.wait(0.2):
            for index, connection in enumerate(self.sockets):
                if self._closed_by_server(connection):
                    connection.close()
                    try:
                        self._open(index)
                        self.reopened += 1
                    except OSError:
                        pass  # the closed socket stays: tried again on the next round
            if time.monotonic() >= next_byte:
                next_byte += SLOW_INTERVAL
                for index, connection in enumerate(self.sockets):
                    if self.kinds[index] == "slow":
                        # A closed one is opened again on the next round.
                        with contextlib.suppress(OSError):
                            connection.send(b"w")

    def start(self):
        for index in range(len(self.kinds)):
            self._open(index)
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join()
        for connection in self.sockets:
            connection.close()


def normal_requests(port, duration):
    """Asks for PAGES one after the other for `duration` seconds; returns the times of the
    requests that succeeded and the errors of the others."""
    times, errors = [], []
    deadline = time.monotonic() + duration
    index = 0
    while time.monotonic() < deadline:
        path = PAGES[index % len(PAGES)]
        index += 1
        connection = HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        started = time.monotonic()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                times.append(time.monotonic() - started)
            else:
                errors.append(f"{path}: {response.status}")
        except OSError as error:
            errors.append(f"{path}: {type(error).__name__} {error}")
        finally:
            connection.close()
    return times, errors


def percentile(values, share):
    """The value under which `share` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle", type=int, default=100, help="idle connections [100]")
    parser.add_argument("--slow", type=int, default=50, help="slow-header connections [50]")
    parser.add_argument("--duration", type=float, default=20, help="seconds of requests [20]")
    parser.add_argument("--p99", type=float, default=1.0, help="bound of p99, seconds [1]")
    parser.add_argument("--workers", type=int, help="gunicorn's processes [cdfsite/gunicorn.py]")
    args = parser.parse_args(argv)

    with Workspace("slow-clients") as workspace:
        env = serving.site_env(
            DATABASE_URL=f"sqlite:///{workspace.work / 'db.sqlite3'}",
            STATIC_ROOT=workspace.work / "static",
            MEDIA_ROOT=workspace.work / "media",
            REDIS_URL="",
        )
        say("filling a demo site (SQLite)")
        serving.fill_site(env)
        try:
            server = workspace.serve("site", PORT, env, workers=args.workers)
        except RuntimeError as error:
            say(str(error))
            return 2
        # As gunicorn reports it: GUNICORN_CMD_ARGS may override cdfsite/gunicorn.py's.
        worker_class = re.search(r"Using worker: (\S+)", server.error_log.read_text())
        say(
            f"gunicorn: {server.workers} workers of class {worker_class and worker_class[1]}; "
            f"{args.idle} idle and {args.slow} slow-header connections"
        )
        baseline, _ = normal_requests(PORT, 2)
        attackers = Attackers(PORT, args.idle, args.slow).start()
        try:
            time.sleep(2 * SLOW_INTERVAL)  # every slow client has sent more than its start
            times, errors = normal_requests(PORT, args.duration)
        finally:
            attackers.stop()
        workspace.stop_servers()

    say(f"alone: {len(baseline)} requests, p50 {statistics.median(baseline) * 1000:.0f} ms")
    say(f"attacker connections opened again after the server closed them: {attackers.reopened}")
    failures = [f"{len(errors)} normal requests failed, e.g. {errors[:3]}"] if errors else []
    if times:
        p50, p99 = statistics.median(times), percentile(times, 0.99)
        say(
            f"under attack: {len(times) + len(errors)} requests, {len(errors)} errors, "
            f"p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms"
        )
        if p99 > args.p99:
            failures.append(f"p99 {p99:.2f} s is over {args.p99:.2f} s")
    else:
        say(f"under attack: {len(errors)} requests, all failed")
    return serving.verdict("slow-clients", failures, "normal requests kept being served")


if __name__ == "__main__":
    sys.exit(main())
