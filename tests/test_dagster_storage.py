"""The project's Dagster storage (news_assets/dagster_storage.py) records what Dagster's stock SQLite
storage records, on a real range run; it is what dagster.yaml selects; its connections stay bounded."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
import yaml

from news_assets import dagster_storage
from news_assets.records import LAKE_ASSETS
from news_assets.runner import materialize_range

REPO = Path(__file__).resolve().parent.parent
START, END = "2024-05-19", "2024-05-22"


def _history(inst: dg.DagsterInstance) -> dict:
    """Per lake asset: materialised partitions, observed partitions and their row counts."""
    out = {}
    for key in LAKE_ASSETS:
        ak = dg.AssetKey(key)
        mats = inst.fetch_materializations(ak, limit=1000).records
        obs = inst.fetch_observations(ak, limit=1000).records
        out[key] = (sorted(inst.get_materialized_partitions(ak)), sorted(r.partition_key for r in mats),
                    sorted((r.partition_key, r.asset_observation.metadata["dagster/row_count"].value) for r in obs))
    return out


def _planned(inst: dg.DagsterInstance, run_id: str) -> list:
    return list(inst.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED))


def test_a_range_run_leaves_the_same_asset_history_as_dagsters_stock_storage(tmp_path, monkeypatch):
    seen = {}
    for name in ("stock", "project"):
        home = tmp_path / name
        home.mkdir()
        monkeypatch.setenv("NEWS_WAREHOUSE_DIR", str(tmp_path / f"wh_{name}"))
        overrides = dagster_storage.overrides(str(home)) if name == "project" else {}
        with dg.instance_for_test(temp_dir=str(home), overrides=overrides) as inst:
            is_ours = isinstance(inst.event_log_storage, dagster_storage.PooledSqliteEventLogStorage)
            assert is_ours == (name == "project")
            materialize_range(START, END, dagster_instance=inst)
            news_run = next(r for r in inst.get_runs() if r.job_name == "news_job")
            seen[name] = (_history(inst), _planned(inst, news_run.run_id))
    stock, ours = seen["stock"][0], seen["project"][0]
    assert ours == stock
    assert ours["articles"][0] == ["2024-05-19", "2024-05-20", "2024-05-21", "2024-05-22"]
    assert sum(n for _, n in ours["articles"][2]) > 0  # the observations carry the days' row counts
    # planned events: one per partition and asset in the stock storage, one per asset (with the range) in ours
    stock_planned, our_planned = seen["stock"][1], seen["project"][1]
    assert len(stock_planned) == 4 * len(our_planned)
    subsets = [e.dagster_event.event_specific_data.partitions_subset for e in our_planned]
    assert all(sorted(s.get_partition_keys()) == ours["articles"][0] for s in subsets)


def test_the_projects_dagster_yaml_selects_this_storage():
    for path in (REPO / "dagster.yaml", REPO / "deploy" / "celery" / "dagster.yaml"):
        custom = yaml.safe_load(path.read_text(encoding="utf-8"))["storage"]["custom"]
        ours = dagster_storage.overrides("x")["storage"]["custom"]
        assert (custom["module"], custom["class"]) == (ours["module"], ours["class"]), path


def test_open_files_stay_bounded_and_old_runs_stay_readable(tmp_path):
    with dg.instance_for_test(temp_dir=str(tmp_path), overrides=dagster_storage.overrides(str(tmp_path))) as inst:
        @dg.asset
        def a() -> dg.MaterializeResult:
            return dg.MaterializeResult(metadata={"n": 1})

        n_runs = dagster_storage.MAX_OPEN_SHARDS + 4
        for _ in range(n_runs):
            assert dg.materialize([a], instance=inst).success
        storage = inst.event_log_storage
        assert len(storage._engines) <= dagster_storage.MAX_OPEN_SHARDS
        # every run's own shard is still readable, the closed ones reopened on demand
        runs = inst.get_runs()
        assert len(runs) == n_runs
        assert all(any(e.dagster_event and e.dagster_event.is_step_success for e in inst.all_logs(r.run_id))
                   for r in runs)
        assert len(_open_files(tmp_path, ".db")) <= dagster_storage.MAX_OPEN_SHARDS + 1  # + the run storage


def _open_files(under: Path, suffix: str) -> list[str]:
    fd_dir = Path(f"/proc/{os.getpid()}/fd")
    out = []
    for fd in os.listdir(fd_dir):
        try:
            target = os.readlink(fd_dir / fd)
        except FileNotFoundError:  # the directory listing's own descriptor, closed by now
            continue
        if target.startswith(str(under)) and target.endswith(suffix):
            out.append(target)
    return out


def test_a_ranges_materialisations_are_stored_as_one_batch(tmp_path, monkeypatch):
    """Dagster sends a range output's materialisations as a batch; this storage writes each batch in
    one transaction per file, and the partitions still each get their own materialisation."""
    monkeypatch.setenv("NEWS_WAREHOUSE_DIR", str(tmp_path / "wh"))
    batches: list[int] = []
    real = dagster_storage.PooledSqliteEventLogStorage.store_event_batch

    def spy(self, events):
        batches.append(len(events))
        return real(self, events)

    monkeypatch.setattr(dagster_storage.PooledSqliteEventLogStorage, "store_event_batch", spy)
    with dg.instance_for_test(temp_dir=str(tmp_path), overrides=dagster_storage.overrides(str(tmp_path))) as inst:
        assert os.environ[dagster_storage.BATCH_ENV] == str(dagster_storage.EVENT_BATCH_SIZE)
        materialize_range(START, END, dagster_instance=inst)
        assert batches.count(4) >= len(LAKE_ASSETS)  # each lake asset's 4 days together
        for key in LAKE_ASSETS:
            assert sorted(inst.get_materialized_partitions(dg.AssetKey(key))) == [
                "2024-05-19", "2024-05-20", "2024-05-21", "2024-05-22"]
