"""Shared fixtures: a real (temporary, on-disk) Dagster instance."""

import dagster as dg
import pytest

from news_assets import dagster_storage


@pytest.fixture
def instance(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    # the storage the project's dagster.yaml configures
    with dg.instance_for_test(temp_dir=str(home), overrides=dagster_storage.overrides(str(home))) as inst:
        yield inst
