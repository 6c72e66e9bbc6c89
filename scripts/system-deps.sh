#!/usr/bin/env bash
# The Debian packages the tests need beyond Python: Chromium for the browser tests (no browser
# download: Playwright drives /usr/bin/chromium), poppler-utils to read the rendered PDFs, and
# HarfBuzz's subsetter that WeasyPrint embeds fonts with, redis-server and PostgreSQL's server programs
# for the fault tests, which start, stop and restart a Redis and a PostgreSQL of their own (never the
# machine's), and a compose client to validate docker-compose.yml. Installs what is missing when it can
# (root, or sudo without a password); otherwise says what to install and fails.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pdftotext >/dev/null && command -v pdffonts >/dev/null && command -v pdftoppm >/dev/null || missing+=(poppler-utils)
ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset\.so\.0' || missing+=(libharfbuzz-subset0)
ldconfig -p 2>/dev/null | grep -q 'libpango-1\.0\.so\.0' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
command -v redis-server >/dev/null || missing+=(redis-server)
compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null || missing+=(postgresql)
# The compose client validates docker-compose.yml (tests/ops/test_compose.py) where Docker's own
# plugin is absent: Debian's docker-compose reads the same Compose Specification.
docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null || missing+=(docker-compose)

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "Thiếu gói hệ thống cho bộ kiểm thử: ${missing[*]}" >&2
  echo "Cài bằng: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
