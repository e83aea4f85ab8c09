/**
 * Validates response bodies against VMware's swagger definitions in test/fixtures/vcenter-api.
 * Reusable by any test: `assertResponseMatchesSpec(method, path, status, body)` looks up the
 * response schema the swagger declares for that path, method and status.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

const FIXTURES = join(__dirname, '..', 'fixtures', 'vcenter-api');
const SPEC_FILES = [
  'vcenter-vcha-7.0.3.json',
  'cis-tasks-8.0.2.json',
  'session-8.0.2.json',
  'vcenter-services-7.0.3.json',
  'appliance-health-8.0.2.json',
] as const;

interface SwaggerOperation {
  responses?: Record<string, { schema?: unknown }>;
}
interface SwaggerDoc {
  paths: Record<string, Record<string, SwaggerOperation>>;
  definitions: Record<string, Record<string, unknown>>;
}

/** Options of a validation. */
export interface SpecCheckOptions {
  /**
   * Also reject properties the swagger does not define. The contract lets clients tolerate
   * extras, so this is off by default; a server that claims to emit exactly the swagger's
   * property names (the simulator) is checked with it on.
   */
  strict?: boolean;
}

/** Closes every object definition that lists its properties, for strict checks. */
function forbidExtraProperties(doc: SwaggerDoc): void {
  for (const definition of Object.values(doc.definitions)) {
    if (definition.properties && definition.additionalProperties === undefined) definition.additionalProperties = false;
  }
}

function loadSpecs(strict: boolean): Map<string, SwaggerDoc> {
  const specs = new Map<string, SwaggerDoc>();
  for (const file of SPEC_FILES) {
    const doc = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as SwaggerDoc;
    if (strict) forbidExtraProperties(doc);
    specs.set(file, doc);
  }
  // The swagger types CisTaskInfo.error as a string; that is a generator slip (see CONTRACT.md):
  // vCenter and VMware's SDKs send the vAPI error object. Patch our copy so a FAILED task's
  // error is checked as that object.
  const taskInfo = specs.get('cis-tasks-8.0.2.json')?.definitions.CisTaskInfo as
    { properties: Record<string, unknown> } | undefined;
  assert.ok(taskInfo, 'CisTaskInfo missing from cis-tasks-8.0.2.json');
  taskInfo.properties.error = { $ref: 'vcenter-vcha-7.0.3.json#/definitions/VapiStdErrorsError' };
  return specs;
}

function createAjv(specs: Map<string, SwaggerDoc>): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  // Swagger formats: date-time is checked for real (timestamps are part of the contract).
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('password', () => true);
  for (const [file, doc] of specs) ajv.addSchema(doc, file);
  return ajv;
}

const specs = loadSpecs(false);
const validators = {
  lenient: { ajv: createAjv(specs), compiled: new Map<string, ValidateFunction>() },
  strict: { ajv: createAjv(loadSpecs(true)), compiled: new Map<string, ValidateFunction>() },
};

function validatorFor(ref: string, strict: boolean): ValidateFunction {
  const { ajv, compiled } = strict ? validators.strict : validators.lenient;
  let validate = compiled.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: ref });
    compiled.set(ref, validate);
  }
  return validate;
}

/** Result of a validation: valid, or the Ajv errors rendered as text. */
export interface SpecValidation {
  valid: boolean;
  errors: string[];
}

function run(ref: string, body: unknown, options: SpecCheckOptions): SpecValidation {
  const validate = validatorFor(ref, options.strict === true);
  const valid = validate(body);
  const errors = (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '(body)'} ${e.message ?? ''}`);
  return { valid, errors };
}

/** Validates `body` against a named definition, searching the spec files in order. */
export function validateAgainstSpec(
  definitionName: string,
  body: unknown,
  options: SpecCheckOptions = {},
): SpecValidation {
  for (const [file, doc] of specs) {
    if (doc.definitions[definitionName]) return run(`${file}#/definitions/${definitionName}`, body, options);
  }
  throw new Error(`no swagger definition named ${definitionName}`);
}

function escapePointer(token: string): string {
  return encodeURIComponent(token.replace(/~/g, '~0').replace(/\//g, '~1'));
}

/** Whether a swagger path key (with `{param}`s and an optional fixed query) matches a request. */
function matchScore(key: string, pathname: string, query: URLSearchParams): number {
  const [templatePath = '', templateQuery = ''] = key.split('?');
  const want = templatePath.split('/');
  const got = pathname.split('/');
  if (want.length !== got.length) return -1;
  for (let i = 0; i < want.length; i += 1) {
    const w = want[i] ?? '';
    if (!(w.startsWith('{') && w.endsWith('}')) && w !== got[i]) return -1;
  }
  const required = new URLSearchParams(templateQuery);
  for (const [name, value] of required) if (query.get(name) !== value) return -1;
  return [...required].length;
}

/**
 * The `$ref` of the response schema the swagger declares for a request, `null` when the status
 * is declared without a body (e.g. 204), or throws when the swagger does not declare it.
 */
export function responseSchemaFor(method: string, path: string, status: number): string | null {
  const url = new URL(path, 'http://spec.invalid');
  let best: { file: string; key: string; score: number } | undefined;
  for (const [file, doc] of specs) {
    for (const key of Object.keys(doc.paths)) {
      const score = matchScore(key, url.pathname, url.searchParams);
      if (score >= 0 && doc.paths[key]?.[method.toLowerCase()] && (!best || score > best.score))
        best = { file, key, score };
    }
  }
  if (!best) throw new Error(`the swagger has no ${method} ${path}`);
  const operation = specs.get(best.file)?.paths[best.key]?.[method.toLowerCase()];
  const response = operation?.responses?.[String(status)];
  if (!response) throw new Error(`the swagger declares no ${status} response for ${method} ${best.key}`);
  if (response.schema === undefined) return null;
  return `${best.file}#/paths/${escapePointer(best.key)}/${method.toLowerCase()}/responses/${status}/schema`;
}

/**
 * The swagger lists only some error statuses per operation, yet every `/api` call can answer with
 * the standard errors of CONTRACT.md's table (401 on any call without a session, 503 while the
 * service restarts, 404 for unknown paths). Undeclared error statuses are checked against the
 * standard error definition that goes with the status.
 */
export function errorSchemaForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'cis-tasks-8.0.2.json#/definitions/VapiStdErrorsInvalidArgument';
    case 401:
      return 'session-8.0.2.json#/definitions/VapiStdErrorsUnauthenticated';
    case 403:
      return 'vcenter-vcha-7.0.3.json#/definitions/VapiStdErrorsUnauthorized';
    case 404:
      return 'cis-tasks-8.0.2.json#/definitions/VapiStdErrorsNotFound';
    case 503:
      return 'session-8.0.2.json#/definitions/VapiStdErrorsServiceUnavailable';
    default:
      return 'vcenter-vcha-7.0.3.json#/definitions/VapiStdErrorsError';
  }
}

function declaredOrErrorSchema(method: string, path: string, status: number): string | null {
  try {
    return responseSchemaFor(method, path, status);
  } catch (error) {
    if (status >= 400) return errorSchemaForStatus(status);
    throw error;
  }
}

/**
 * Validates a response body against the schema declared for that path, method and status
 * (undeclared error statuses: see `errorSchemaForStatus`).
 */
export function validateResponse(
  method: string,
  path: string,
  status: number,
  body: unknown,
  options: SpecCheckOptions = {},
): SpecValidation {
  const ref = declaredOrErrorSchema(method, path, status);
  if (ref === null) {
    return body === undefined || body === ''
      ? { valid: true, errors: [] }
      : { valid: false, errors: ['expected no body'] };
  }
  return run(ref, body, options);
}

/** Asserts that a response body matches the swagger for that path, method and status. */
export function assertResponseMatchesSpec(
  method: string,
  path: string,
  status: number,
  body: unknown,
  options: SpecCheckOptions = {},
): void {
  const result = validateResponse(method, path, status, body, options);
  assert.ok(
    result.valid,
    `${method} ${path} → ${status} does not match the swagger:\n  ${result.errors.join('\n  ')}\nbody: ${JSON.stringify(body)}`,
  );
}
