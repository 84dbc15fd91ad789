#!/usr/bin/env bash
# Start the Celery deployment on this machine, or one part of it:
#   deploy/celery/start.sh            redis, s3 (moto), two workers, webserver, daemon
#   deploy/celery/start.sh worker w3  one more worker (any machine with the same env.sh settings)
# Each process runs in its own session; its PID goes to $NEWS_SCALE_RUN/<name>.pid (stop.sh reads them).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$NEWS_REPO"
mkdir -p "$NEWS_SCALE_RUN" "$DAGSTER_HOME"
[ -f "$DAGSTER_HOME/dagster.yaml" ] || cp deploy/celery/dagster.yaml "$DAGSTER_HOME/dagster.yaml"

spawn() {  # spawn NAME CMD...: in a new session, so stop.sh ends it and its children by one PID
  local name=$1; shift
  setsid "$@" >"$NEWS_SCALE_RUN/$name.log" 2>&1 < /dev/null &
  echo $! >"$NEWS_SCALE_RUN/$name.pid"
}

wait_port() {  # wait_port PORT NAME [SECONDS]
  for _ in $(seq 1 $((${3:-30} * 10))); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$2 is not listening on 127.0.0.1:$1 (see $NEWS_SCALE_RUN/$2.log)" >&2; return 1
}

start_redis() {
  spawn redis redis-server --port "$NEWS_REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
    --dir "$NEWS_SCALE_RUN"
  wait_port "$NEWS_REDIS_PORT" redis
}

start_s3() {  # moto's S3 server and the bucket of $NEWS_WAREHOUSE_DIR
  spawn s3 python -m moto.server -H 127.0.0.1 -p "$NEWS_S3_PORT"
  wait_port "$NEWS_S3_PORT" s3
  python - <<'PY'
import os
import boto3
bucket = os.environ["NEWS_WAREHOUSE_DIR"].split("://", 1)[1].split("/", 1)[0]
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
if bucket not in [b["Name"] for b in s3.list_buckets().get("Buckets", [])]:
    s3.create_bucket(Bucket=bucket)
PY
}

start_worker() {  # one Celery worker process: one step at a time, acknowledged when done
  spawn "worker-$1" celery -A news_assets.celery_worker worker --loglevel INFO --concurrency 1 \
    --prefetch-multiplier 1 -Q dagster -n "$1@%h"
}

start_servers() {
  dagster instance migrate >/dev/null  # create the storage once, before two processes race to
  spawn webserver dagster-webserver -w workspace.yaml -h 127.0.0.1 -p "$NEWS_WEB_PORT"
  spawn daemon dagster-daemon run -w workspace.yaml
  wait_port "$NEWS_WEB_PORT" webserver 240  # it loads the code location first
}

case "${1:-all}" in
  all) start_redis; start_s3; start_worker w1; start_worker w2; start_servers ;;
  redis) start_redis ;;
  s3) start_s3 ;;
  worker) start_worker "${2:?worker name}" ;;
  servers) start_servers ;;
  *) echo "usage: $0 [all|redis|s3|worker NAME|servers]" >&2; exit 2 ;;
esac
echo "started ${1:-all}; pids and logs in $NEWS_SCALE_RUN"
