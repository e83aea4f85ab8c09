import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { SecretRedactor } from '../../src/vcenter/redact';
import {
  BodyTooLargeError,
  describeInvalidJson,
  describeIssues,
  readBody,
  safeExcerpt,
} from '../../src/vcenter/response-body';

describe('readBody', () => {
  it('reads every chunk as UTF-8', async () => {
    const body = Readable.from([Buffer.from('{"a": "ü'), Buffer.from('"}')]);
    assert.equal(await readBody(body), '{"a": "ü"}');
  });

  it('rejects and destroys a body over the limit', async () => {
    const body = Readable.from([Buffer.alloc(60), Buffer.alloc(60)]);
    await assert.rejects(readBody(body, 100), BodyTooLargeError);
    assert.equal(body.destroyed, true);
  });
});

describe('safe descriptions of bodies', () => {
  const redactor = new SecretRedactor();
  redactor.add('s3cret-token-value');

  it('excerpts are single-line, tag-free, redacted and short', () => {
    const excerpt = safeExcerpt(`<p>line one\n\tline\u0000two s3cret-token-value</p>${'z'.repeat(500)}`, redactor, 60);
    assert.equal(excerpt, `line one line two [redacted] ${'z'.repeat(31)}…`);
  });

  it('invalid JSON is described with its content type and size, quoting it only when allowed', () => {
    assert.equal(
      describeInvalidJson('"s3cret-token-value', 'application/json', redactor, false),
      'body is not valid JSON (application/json, 19 bytes)',
    );
    assert.equal(
      describeInvalidJson('oops s3cret-token-value', undefined, redactor, true),
      'body is not valid JSON (no content-type, 23 bytes), starting: "oops [redacted]"',
    );
  });

  it('schema issues are listed as dotted paths with array indexes, capped', () => {
    const schema = z.object({ a: z.array(z.object({ b: z.string() })), c: z.number(), d: z.number() });
    const result = schema.safeParse({ a: [{ b: 1 }], c: 'x', d: 'y' });
    assert.equal(result.success, false);
    assert.deepEqual(describeIssues(result.error?.issues ?? [], 2), [
      'a[0].b: Invalid input: expected string, received number',
      'c: Invalid input: expected number, received string',
      'and 1 more problem(s)',
    ]);
    assert.deepEqual(describeIssues(z.string().safeParse(5).error?.issues ?? []), [
      '(body): Invalid input: expected string, received number',
    ]);
  });
});
