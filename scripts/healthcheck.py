"""Container health check for the web service: is the login page served? Exit 0 if so, 1 if not.

Asks as the TLS proxy would (X-Forwarded-Proto: https, a Host from DJANGO_ALLOWED_HOSTS), so that
production settings neither redirect to HTTPS nor refuse the host. Standard library only."""

import os
import sys
import urllib.request

url = os.environ.get("HEALTHCHECK_URL", "http://127.0.0.1:8000/dang-nhap/")
hosts = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",") if h.strip()]
host = hosts[0].lstrip(".") if hosts and hosts[0] != "*" else "localhost"
request = urllib.request.Request(url, headers={"Host": host, "X-Forwarded-Proto": "https"})
try:
    with urllib.request.urlopen(request, timeout=5) as response:
        sys.exit(0 if response.status == 200 else 1)
except Exception as exc:  # any failure means unhealthy; say why in `docker inspect`
    print(f"unhealthy: {exc}", file=sys.stderr)
    sys.exit(1)
