/**
 * Launches the system's Debian `chromium` through playwright-core. Playwright's own browser
 * download needs internet access CI does not have, so the tests drive the distribution package
 * that `.ci/run` installs.
 */
import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's `chromium` package puts its launcher. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Headless, no sandbox (CI runs as root, where chromium refuses its sandbox), and nothing that
 * reaches out to Google's services: the tests must only ever talk to 127.0.0.1.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts chromium, failing with an install hint (never skipping) when it is missing. */
export async function launchChromium(): Promise<Browser> {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
  } catch {
    throw new Error(
      `${CHROMIUM_PATH} is missing: install Debian's chromium ` +
        '(apt-get install -y --no-install-recommends chromium), as .ci/run does',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], timeout: 60_000 });
}
