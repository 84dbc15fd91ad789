# Settings of the Celery deployment; source it (`. deploy/celery/env.sh`). Anything set before
# sourcing wins, so the same files serve this machine, a test with its own ports, or real S3.
NEWS_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export NEWS_REPO
export NEWS_SCALE_RUN="${NEWS_SCALE_RUN:-$NEWS_REPO/.scale-run}"       # pid files and logs
export DAGSTER_HOME="${DAGSTER_HOME:-$NEWS_SCALE_RUN/dagster_home}"
export NEWS_EXECUTOR=celery
export NEWS_BACKFILL_RUN_PARTITIONS="${NEWS_BACKFILL_RUN_PARTITIONS:-30}"
export NEWS_REDIS_PORT="${NEWS_REDIS_PORT:-6379}"
export NEWS_CELERY_BROKER="${NEWS_CELERY_BROKER:-redis://127.0.0.1:$NEWS_REDIS_PORT/0}"
export NEWS_CELERY_BACKEND="${NEWS_CELERY_BACKEND:-redis://127.0.0.1:$NEWS_REDIS_PORT/1}"
# the lake: S3-compatible storage; by default the moto server start.sh runs on this machine
export NEWS_S3_PORT="${NEWS_S3_PORT:-9000}"
export AWS_ENDPOINT_URL="${AWS_ENDPOINT_URL:-http://127.0.0.1:$NEWS_S3_PORT}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-testing}"        # moto accepts any keys
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-testing}"
export AWS_REGION="${AWS_REGION:-us-east-1}"
export NEWS_WAREHOUSE_DIR="${NEWS_WAREHOUSE_DIR:-s3://news/lake}"
export NEWS_WAREHOUSE_DB="${NEWS_WAREHOUSE_DB:-$NEWS_SCALE_RUN/news.duckdb}"  # the analyst's file, local
export NEWS_WEB_PORT="${NEWS_WEB_PORT:-3000}"
export PYTHONUNBUFFERED=1
