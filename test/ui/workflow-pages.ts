/**
 * What the browser tests do on the Temporal Web UI's pages (2.42): start a workflow through the
 * "Start a Workflow" form and read a run's status from its page. Selectors live here only, so a
 * UI upgrade that moves them breaks one file.
 */
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';

/** A workflow start as the form asks for it: one JSON payload as the input. */
export interface FormStart {
  namespace: string;
  workflowId: string;
  taskQueue: string;
  workflowType: string;
  input: Record<string, unknown>;
}

/** Statuses the UI prints in a run's header badge. */
const STATUS_TEXT = /^\s*(Running|Completed|Failed|Canceled|Terminated|Timed Out|Continued as New)\s*$/;

/**
 * Opens the namespace's workflow list, follows its "Start Workflow" button and submits the form.
 * Resolves with the run id the server answered; rejects when the UI is not allowed to start
 * workflows (the button is missing) or the server refuses the start.
 */
export async function startWorkflowThroughForm(page: Page, uiUrl: string, start: FormStart): Promise<string> {
  await page.goto(`${uiUrl}/namespaces/${start.namespace}/workflows`);
  // The entry point is a link styled as a button; it is only rendered when the UI's settings
  // allow starting workflows (StartWorkflowDisabled / DisableWriteActions).
  await page.getByRole('button', { name: 'Start Workflow', exact: true }).click();
  await page.locator('#workflowId').fill(start.workflowId);
  await page.locator('#taskQueue').fill(start.taskQueue);
  await page.locator('#workflowType').fill(start.workflowType);

  // The input is a code editor, not a form field; inserting the text in one go bypasses its
  // bracket and quote auto-closing, which typing key by key would trigger.
  const editor = page.locator('.cm-content[contenteditable="true"]');
  await editor.click();
  await page.keyboard.insertText(JSON.stringify(start.input));
  assert.deepEqual(JSON.parse(await editor.innerText()), start.input, 'the editor holds the input as typed');
  // Leaving the editor reformats the JSON and grows it, which moves the submit button: leave it
  // first, so the click does not land where the button used to be.
  await editor.blur();

  const path = `/api/v1/namespaces/${start.namespace}/workflows/${encodeURIComponent(start.workflowId)}`;
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === path),
    page.getByTestId('start-workflow-button').click(),
  ]);
  const body = await response.text();
  assert.ok(response.ok(), `the UI's start request failed: HTTP ${response.status()} ${body}`);
  await page.getByRole('link', { name: 'Workflow started successfully' }).waitFor();
  const runId = (JSON.parse(body) as { runId?: unknown }).runId;
  assert.equal(typeof runId, 'string', `the start response names the run: ${body}`);
  return runId as string;
}

/** The URL of a run's page (its event history tab). */
export function workflowPageUrl(uiUrl: string, namespace: string, workflowId: string, runId: string): string {
  return `${uiUrl}/namespaces/${namespace}/workflows/${encodeURIComponent(workflowId)}/${runId}/history`;
}

/** The status badge: a bare span in the header block that also holds the workflow id heading. */
function statusBadge(page: Page): Locator {
  return page
    .locator('div:has(> div > h1[data-testid="workflow-id-heading"])')
    .locator('span')
    .filter({ hasText: STATUS_TEXT })
    .first();
}

/**
 * Loads the run's page and reloads it until its header shows `status`. Reloading, rather than
 * trusting the page to refresh itself, proves the server-side state and not a cached view.
 */
export async function waitForStatusInUi(page: Page, url: string, status: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let shown = '(page not loaded)';
  await page.goto(url);
  for (;;) {
    try {
      shown = (await statusBadge(page).innerText({ timeout: 10_000 })).trim();
      if (shown === status) return;
    } catch {
      shown = '(no status badge)';
    }
    if (Date.now() + 2_000 > deadline) break;
    await page.waitForTimeout(2_000);
    await page.reload();
  }
  throw new Error(`The Web UI did not show ${status} within ${timeoutMs} ms; it showed ${shown} at ${url}`);
}

/** The text of a run's Input and Result panels, as rendered (the editor renders the top lines). */
export async function resultPanelText(page: Page): Promise<string> {
  return page.getByTestId('input-and-result').innerText();
}

/** Waits until the Input and Result panels show text matching `pattern` (the result loads after the status). */
export async function waitForResultText(page: Page, pattern: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  for (let round = 1; Date.now() < deadline; round++) {
    text = await resultPanelText(page).catch(() => '');
    if (pattern.test(text)) return text;
    await page.waitForTimeout(500);
    // A page loaded just before the run closed can keep showing its earlier (null) result.
    if (round % 6 === 0) await page.reload({ waitUntil: 'domcontentloaded' });
  }
  throw new Error(
    `the Result panel did not show ${String(pattern)} within ${timeoutMs} ms; it showed: ${text.slice(0, 300)}`,
  );
}

/** Reloads the workflow list until the row of `workflowId` shows `text` (e.g. its status). */
export async function waitForListedRow(
  page: Page,
  listUrl: string,
  workflowId: string,
  text: string,
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let shown = '(list not loaded)';
  await page.goto(listUrl);
  for (;;) {
    shown = await page
      .getByTestId('workflows-summary-configurable-table-row')
      .filter({ hasText: workflowId })
      .first()
      .innerText({ timeout: 10_000 })
      .catch(() => '(no row)');
    if (shown.includes(text)) return shown;
    if (Date.now() + 2_000 > deadline) break;
    await page.waitForTimeout(2_000);
    await page.reload();
  }
  throw new Error(`The workflow list did not show "${text}" for ${workflowId}; its row showed: ${shown}`);
}

/**
 * Opens the run's User Metadata tab, reloading until one of its panels matches `pattern`, and
 * returns the text of every panel (Summary, Details, Current Details). The UI renders each panel's
 * markdown in a sandboxed frame of its own, so the text is read from the frames.
 */
export async function waitForUserMetadataInUi(
  page: Page,
  url: string,
  pattern: RegExp,
  timeoutMs: number,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let shown: string[] = [];
  await page.goto(url);
  for (;;) {
    try {
      await page.getByText('User Metadata', { exact: true }).first().click({ timeout: 10_000 });
      await page.getByText('Current Details', { exact: true }).first().waitFor({ timeout: 10_000 });
      await page.waitForTimeout(1_000);
      const frames = page.frames().filter((frame) => frame !== page.mainFrame());
      shown = (
        await Promise.all(
          frames.map((frame) =>
            frame
              .locator('body')
              .innerText({ timeout: 5_000 })
              .catch(() => ''),
          ),
        )
      ).map((text) => text.trim());
      if (shown.some((text) => pattern.test(text))) return shown;
    } catch {
      shown = ['(no User Metadata tab)'];
    }
    if (Date.now() + 2_000 > deadline) break;
    await page.waitForTimeout(2_000);
    await page.reload();
  }
  throw new Error(`The run page's user metadata did not match ${String(pattern)}; it showed: ${JSON.stringify(shown)}`);
}
