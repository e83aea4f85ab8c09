/** Where the rules tests find promtool: Debian's prometheus package (scripts/install-test-deps.sh). */
export const PROMTOOL_PATH = '/usr/bin/promtool';
