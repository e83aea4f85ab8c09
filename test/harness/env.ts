/** Names of the variables through which `npm test` hands its shared server and bundle to test files. */
export const TEST_ENV = {
  address: 'VCHA_TEST_TEMPORAL_ADDRESS',
  bundle: 'VCHA_TEST_WORKFLOW_BUNDLE',
  cli: 'VCHA_TEST_TEMPORAL_CLI',
} as const;

/**
 * Dynamic config the test dev servers add to deploy/temporal/dynamicconfig.yaml's. A version that
 * stops being current reports DRAINED only after a visibility grace period and at a refresh
 * interval (3 minutes each by default); the upgrade test waits for DRAINED, so both are short here.
 */
export const TEST_DYNAMIC_CONFIG: readonly string[] = [
  'matching.wv.VersionDrainageStatusVisibilityGracePeriod="2s"',
  'matching.wv.VersionDrainageStatusRefreshInterval="1s"',
];
