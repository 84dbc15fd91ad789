"""The GraphQL a range backfill is launched and watched with, for scripts and tests.

`DagsterGraphQLClient` has no backfill call, so `launchPartitionBackfill` is posted to /graphql; these
are the queries the deploy script and the end-to-end tests share.
"""

LAKE_KEYS = [["raw_html"], ["articles"], ["facts"], ["region_mentions"], ["date_mentions"]]
LAUNCH = """mutation($p: LaunchBackfillParams!) { launchPartitionBackfill(backfillParams: $p) {
  __typename ... on LaunchBackfillSuccess { backfillId }
  ... on PythonError { message } ... on InvalidSubsetError { message } ... on UnauthorizedError { message } } }"""
BACKFILL = """query($id: String!) { partitionBackfillOrError(backfillId: $id) { __typename
  ... on PartitionBackfill { status runs { runId status } } } }"""
