#!/usr/bin/env bash
# Starts the web server, a Celery worker and Celery beat (beat reads its schedule from the database:
# django_celery_beat's DatabaseScheduler, set in config/settings/base.py). Ctrl-C, or a TERM sent to
# this script, stops all three. `make run` migrates and loads the demo data before calling this.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
LOG_DIR=${VAR_DIR:-var}/log
mkdir -p "$LOG_DIR"

pids=()
stop() {
  trap - EXIT INT TERM
  [ ${#pids[@]} -gt 0 ] || exit 0
  kill -TERM "${pids[@]}" 2>/dev/null || true
  # Give the worker time for a warm shutdown, then make sure nothing is left behind.
  for _ in $(seq 20); do
    kill -0 "${pids[@]}" 2>/dev/null || break
    sleep 0.5
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

$PY -m celery -A config worker --loglevel=INFO --concurrency=2 >"$LOG_DIR/worker.log" 2>&1 &
pids+=($!)
$PY -m celery -A config beat --loglevel=INFO >"$LOG_DIR/beat.log" 2>&1 &
pids+=($!)
# In the background too, so that a TERM reaches the trap at once instead of after runserver exits.
$PY manage.py runserver "$HOST:$PORT" &
pids+=($!)

cat <<TXT

  Ứng dụng chấm điểm CCHC đang chạy: http://$HOST:$PORT/
  Tài khoản demo (mật khẩu: demo-password; chỉ dùng để dùng thử):
    reviewer      Cán bộ Phòng Nội vụ (chấm điểm)
    viewer        Lãnh đạo (chỉ xem)
    head_noivu    Thủ trưởng Phòng Nội vụ
    head_vinhkhe  Chủ tịch UBND xã Vĩnh Khê
  Nhật ký worker và beat: $LOG_DIR/worker.log, $LOG_DIR/beat.log
  Dừng: Ctrl-C

TXT
# Whichever of the three stops first (a crash, or runserver quitting) stops the others.
wait -n
echo "Một tiến trình đã dừng; dừng các tiến trình còn lại (xem $LOG_DIR/)." >&2
exit 1
