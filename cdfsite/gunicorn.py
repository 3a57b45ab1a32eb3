"""gunicorn's settings for every server of the site (docs/performance.md, docs/operations.md).

Every server is started with `gunicorn -c python:cdfsite.gunicorn cdfsite.wsgi` (`make
serve`, `make audit`, the operators' tools in tools/serving.py, the deployment steps);
options on its command line (--bind, --workers…) override what is set here.
"""

import os
import threading

from cdfsite.env import env_int
from cdfsite.env import forwarded_allow_ips as declared_proxies

# gevent workers: each connection is a greenlet of a few kilobytes, so idle and slow
# clients cost almost nothing, and one that has not sent a whole request within
# `keepalive` seconds is dropped. The threaded workers (gthread) used before handed every
# new connection to one of a few threads, which a client sending its headers a byte at a
# time held for good: 20 such clients, or 100 idle ones, and no one else was served
# (`python -m tools.slow_clients`, tests/site/test_serving.py). The app stays synchronous:
# gevent makes the sockets of psycopg (it detects gevent and waits cooperatively), Redis,
# boto3 and SMTP cooperative, and Django's per-thread objects per greenlet.
worker_class = "gevent"
# Seconds a client has to send the headers of a request (and to start its next one on a
# kept-alive connection) before it is dropped: ample for a reader on a slow network, and
# long enough that a worker busy for a moment does not drop a client that has sent them.
keepalive = env_int("GUNICORN_KEEPALIVE", 5)
# Connections a worker holds at most, idle ones included; further ones wait in the
# listen queue.
worker_connections = env_int("GUNICORN_WORKER_CONNECTIONS", 1000)
# Processes: 2 × cores + 1, gunicorn's rule of thumb (WEB_CONCURRENCY, or --workers).
workers = env_int("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1)

# Requests a worker runs at a time; the others wait for a turn once their headers are in.
# It bounds a worker's memory and its database connections (workers × this many per
# instance) as the four threads of a gthread worker did: a greenlet holds its own database
# connection, closed after each request (CONN_MAX_AGE 0) since a greenlet lives only as
# long as its client's connection.
concurrent_requests = env_int("GUNICORN_CONCURRENT_REQUESTS", 4)
raw_env = [f"CONN_MAX_AGE={os.environ.get('CONN_MAX_AGE', '0')}"]


def post_worker_init(worker):
    # After gevent's patching: a semaphore of greenlets.
    worker.request_turns = threading.BoundedSemaphore(concurrent_requests)


def pre_request(worker, req):
    worker.request_turns.acquire()


def post_request(worker, req, environ, resp):
    worker.request_turns.release()


# X-Forwarded-Proto, -Ssl and -Protocol make a request count as https. gunicorn believes
# them from loopback by default; here only from the proxies Django believes too
# (cdfsite.env.forwarded_allow_ips: FORWARDED_ALLOW_IPS once a proxy is declared), and from
# nobody otherwise.
forwarded_allow_ips = ",".join(declared_proxies())

# The access log (`--access-logfile`) and the error log with the secrets of addresses masked:
# password-reset tokens, session cookies (forum/core/logs.py, the same masking as the app's log).
logger_class = "forum.core.logs.GunicornLogger"

# The overall limit of a request, in layers: each call to a dependency gives up within
# about a second (PostgreSQL: DATABASE_STATEMENT_TIMEOUT) and a failing one is not asked
# again for a while (forum/core/breaker.py, forum/core/cache.py), so a request ends in
# seconds on its own; the proxy in front answers 504 past its own read timeout. Here, a
# worker whose event loop is stuck this long (a request computing without pause) is killed
# and replaced; a request waiting on the network lets the loop run and does not count.
timeout = env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
