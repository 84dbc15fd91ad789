"""The Celery app the workers run: `celery -A news_assets.celery_worker worker` (deploy/celery/).

dagster-celery's own `dagster_celery.app` reads its broker from a generated module; building the app
here from news_assets.execution.celery_settings() gives the workers exactly the settings the executor
submits with, from the same environment variables.
"""

from dagster_celery.executor import CeleryExecutor
from dagster_celery.make_app import make_app
from dagster_celery.tasks import create_task

from .execution import celery_settings

app = make_app(CeleryExecutor.for_cli(**celery_settings()).app_args())
execute_plan = create_task(app)
