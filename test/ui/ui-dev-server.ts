/**
 * A Temporal dev server with its Web UI, for the browser tests only: the server `npm test`
 * shares is headless, and the UI's settings decide which of its actions a test can use.
 */
import { freePort, startDevServer, type DevServer } from '../../src/devtools/dev-server';
import { resolveTemporalCli } from '../../src/devtools/temporal-cli';
import { TEST_ENV } from '../harness/env';

/** The UI settings the tests depend on (a subset of what `GET /api/v1/settings` returns). */
export interface UiSettings {
  Version: string;
  DisableWriteActions: boolean;
  StartWorkflowDisabled: boolean;
}

/** A running dev server whose UI answers HTTP. */
export interface UiDevServer extends DevServer {
  uiUrl: string;
  settings: UiSettings;
}

/**
 * Starts the server on loopback with the UI on a free port. The UI is started in the background
 * by the CLI, so a ready gRPC frontend does not mean a ready UI: wait for its settings too.
 */
export async function startUiDevServer(readyTimeoutMs = 90_000): Promise<UiDevServer> {
  const executable =
    process.env[TEST_ENV.cli] ?? resolveTemporalCli({ allowSdkDownload: false, log: () => {} }).executable;
  if (!executable) throw new Error('No Temporal CLI to start a dev server with its Web UI');
  const server = await startDevServer({ executable, uiPort: await freePort(), readyTimeoutMs });
  try {
    const uiUrl = server.uiUrl!;
    const settings = await waitForUi(uiUrl, readyTimeoutMs);
    return { ...server, uiUrl, settings };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

async function waitForUi(uiUrl: string, timeoutMs: number): Promise<UiSettings> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${uiUrl}/api/v1/settings`, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return (await response.json()) as UiSettings;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Temporal Web UI at ${uiUrl} did not answer within ${timeoutMs} ms (${lastError})`);
}
