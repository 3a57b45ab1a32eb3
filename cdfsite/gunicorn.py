"""gunicorn's settings for every server of the site (README: Serving, Deployment).

Every server is started with `gunicorn -c python:cdfsite.gunicorn cdfsite.wsgi` (`make
serve`, `make audit`, the operators' tools in tools/serving.py, the deployment steps);
options on its command line (--bind, --workers…) override what is set here.
"""

import os

from cdfsite.env import env_bool, env_int

# Threaded workers (gthread). A sync worker belongs to one client until that client has
# sent its whole request, so a few slow clients (or a slowloris) stall as many workers. A
# gthread worker waits for a new connection's first bytes in its event loop and serves
# requests in `threads` threads: a slow client holds one thread while the others answer
# (tests/site/test_serving.py). Many slow clients are the proxy's to absorb: nginx reads a
# whole request before it passes it on (README: Deployment). Each thread keeps its own
# database connection (CONN_MAX_AGE): workers × threads per instance.
worker_class = "gthread"
threads = env_int("GUNICORN_THREADS", 4)
# Processes: 2 × cores + 1, gunicorn's rule of thumb (WEB_CONCURRENCY, or --workers).
workers = env_int("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1)

# X-Forwarded-Proto, -Ssl and -Protocol make a request count as https. gunicorn believes
# them from loopback by default; here only from a declared proxy (TRUST_X_FORWARDED_PROTO
# or PROXY_COUNT, which the Django settings read too) at FORWARDED_ALLOW_IPS (gunicorn's
# own variable; loopback when unset), and from nobody otherwise.
if env_bool("TRUST_X_FORWARDED_PROTO") or env_int("PROXY_COUNT", 0) > 0:
    forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
else:
    forwarded_allow_ips = ""

# The overall limit of a request, in layers: each call to a dependency gives up within
# about a second (PostgreSQL: DATABASE_STATEMENT_TIMEOUT) and a failing one is not asked
# again for a while (forum/core/breaker.py, forum/core/cache.py), so a request ends in
# seconds on its own; the proxy in front answers 504 past its own read timeout. Here, a
# worker whose main loop is stuck this long (a thread holding the interpreter) is killed
# and replaced; with gthread workers a merely slow request thread does not count.
timeout = env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
