#!/usr/bin/env bash
# Stop what start.sh started: each recorded PID's process group (servers spawn code servers), by PID.
#   deploy/celery/stop.sh           everything
#   deploy/celery/stop.sh redis     one part (the name of its pid file)
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(daemon webserver $(cd "$NEWS_SCALE_RUN" 2>/dev/null && ls worker-*.pid 2>/dev/null | sed 's/\.pid$//') s3 redis)
for name in "${names[@]}"; do
  f="$NEWS_SCALE_RUN/$name.pid"
  [ -f "$f" ] || continue
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL -- "-$pid" 2>/dev/null
  fi
  rm -f "$f"
  echo "stopped $name ($pid)"
done
