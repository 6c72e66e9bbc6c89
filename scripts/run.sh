#!/usr/bin/env bash
# Starts the web server, a Celery worker and beat; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
mkdir -p var/log

$PY -m celery -A config worker --loglevel=INFO --concurrency=2 >var/log/worker.log 2>&1 &
worker=$!
$PY -m celery -A config beat --loglevel=INFO >var/log/beat.log 2>&1 &
beat=$!
trap 'kill $worker $beat 2>/dev/null; wait 2>/dev/null' EXIT INT TERM

cat <<TXT

  Ứng dụng chấm điểm CCHC đang chạy: http://$HOST:$PORT/
  Tài khoản demo (mật khẩu: demo-password):
    reviewer      Cán bộ Phòng Nội vụ (chấm điểm)
    viewer        Lãnh đạo (chỉ xem)
    head_noivu    Thủ trưởng Phòng Nội vụ
    head_vinhkhe  Chủ tịch UBND xã Vĩnh Khê
  Nhật ký worker và beat: var/log/worker.log, var/log/beat.log

TXT
$PY manage.py runserver "$HOST:$PORT"
