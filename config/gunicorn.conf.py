"""gunicorn settings for Readout (``gunicorn -c config/gunicorn.conf.py config.wsgi:application``).

Every value can be overridden from the environment (``GUNICORN_*``). Timeouts follow the page budget: pages answer
in under 150 ms and a span write in under 30 ms (design §9), so any request still running after ``timeout`` is a
bug or a runaway, not a slow page; the longest legitimate request is the streamed full CSV export (1M rows in about
25 s at the measured ~43,000 rows/s), hence 60 s, with the graceful shutdown window for requests in flight.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 5))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)  # the proxy reuses connections to us
backlog = _int("GUNICORN_BACKLOG", 2048)
# recycle workers now and then so a slow leak (or a huge page) can't grow a process for ever
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# the proxy's X-Forwarded-Proto sets wsgi.url_scheme only when it comes from a trusted proxy (as in Django)
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "") or "127.0.0.1,::1"
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
