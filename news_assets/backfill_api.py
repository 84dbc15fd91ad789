"""The GraphQL a range backfill is launched and watched with, for scripts and tests.

`DagsterGraphQLClient` has no backfill call, so `launchPartitionBackfill` is posted to /graphql; these
are the queries the deploy script and the end-to-end tests share.
"""

from .records import LAKE_ASSETS

LAKE_KEYS = [[name] for name in LAKE_ASSETS]  # asset-key paths, as GraphQL's AssetKeyInput wants them
LAUNCH = """mutation($p: LaunchBackfillParams!) { launchPartitionBackfill(backfillParams: $p) {
  __typename ... on LaunchBackfillSuccess { backfillId }
  ... on PythonError { message } ... on InvalidSubsetError { message } ... on UnauthorizedError { message } } }"""
BACKFILL = """query($id: String!) { partitionBackfillOrError(backfillId: $id) { __typename
  ... on PartitionBackfill { status runs { runId status } } } }"""
