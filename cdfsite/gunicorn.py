"""gunicorn's settings for every server of the site (docs/performance.md, docs/operations.md).

Every server is started with `gunicorn -c python:cdfsite.gunicorn cdfsite.wsgi` (`make
serve`, `make audit`, the operators' tools in tools/serving.py, the deployment steps);
options on its command line (--bind, --workers…) override what is set here.
"""

import os

from cdfsite.env import env_int
from cdfsite.env import forwarded_allow_ips as declared_proxies

# Threaded workers (gthread). A sync worker belongs to one client until that client has
# sent its whole request, so a few slow clients (or a slowloris) stall as many workers. A
# gthread worker waits for a new connection's first bytes in its event loop and serves
# requests in `threads` threads: a slow client holds one thread while the others answer
# (tests/site/test_serving.py). Many slow clients are the proxy's to absorb: nginx reads a
# whole request before it passes it on (docs/operations.md). Each thread keeps its own
# database connection (CONN_MAX_AGE): workers × threads per instance.
worker_class = "gthread"
threads = env_int("GUNICORN_THREADS", 4)
# Processes: 2 × cores + 1, gunicorn's rule of thumb (WEB_CONCURRENCY, or --workers).
workers = env_int("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1)

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
# worker whose main loop is stuck this long (a thread holding the interpreter) is killed
# and replaced; with gthread workers a merely slow request thread does not count.
timeout = env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
