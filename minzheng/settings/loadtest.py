"""The load test's settings (scripts/loadtest.sh): production's, served over plain HTTP on
127.0.0.1 with no TLS proxy in front, so HTTPS redirects, secure-only cookies and HSTS are off.
Never for a real installation."""

from .production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_PRELOAD = False
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
