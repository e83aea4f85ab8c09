/** Names of the variables through which `npm test` hands its shared server and bundle to test files. */
export const TEST_ENV = {
  address: 'VCHA_TEST_TEMPORAL_ADDRESS',
  bundle: 'VCHA_TEST_WORKFLOW_BUNDLE',
  cli: 'VCHA_TEST_TEMPORAL_CLI',
} as const;
