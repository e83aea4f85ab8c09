/** BENCHMARKS.md's generated tables: written from the kept result files, and in step with them. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readKeptResults, renderDocument, renderTable, type KeptResult } from '../../bench/report';

const kept = (name: string, workerPeakRssMb: number): KeptResult => ({
  name,
  command: 'npm run bench -- --clusters 100',
  measuredAt: '2026-12-06T17:00:00.000Z',
  clusters: 100,
  server: 'dev server',
  succeeded: 100,
  failoverPosts: 100,
  historyEvents: { min: 39, median: 39, max: 40 },
  overheadMs: { p50: 2167.4, p95: 3421, p99: 3542, max: 3714 },
  healthyToCompleteMs: { p50: 537, p99: NaN },
  requestsPerRun: { median: 26, max: 27 },
  requestsPerPollInterval: { max: 6, maxWhileFollowing: 1 },
  loginsPerRun: { max: 2 },
  workerPeakRssMb,
  workerCpuSeconds: 10.7,
  otherCpuSeconds: { temporalServer: 7.6 },
  wallSeconds: 29.8,
});

describe('BENCHMARKS.md tables', () => {
  it('writes one row per result with its figures and the command that measured it', () => {
    const lines = renderTable([kept('0.4.0-n100-a', 490)]).split('\n');
    assert.equal(lines.length, 3);
    const cells = lines[2]!.split('|').map((cell) => cell.trim());
    assert.equal(cells[1], '0.4.0-n100-a');
    assert.equal(cells[5], '39 / 39 / 40');
    assert.equal(cells[6], '2167 / 3421 / 3542 / 3714');
    assert.equal(cells[7], '537 / –');
    assert.equal(cells[9], '–', 'measured before the benchmark measured the readiness gate');
    assert.equal(cells[12], '490 MB');
    assert.equal(cells[16], '`npm run bench -- --clusters 100`');
    // Every line as wide as the header: the table is aligned as the formatter leaves it.
    assert.equal(new Set(lines.map((line) => [...line].length)).size, 1);
  });

  it('shows the readiness gate (its requests, and when it passed after vCenter served) where measured', () => {
    const result: KeptResult = {
      ...kept('0.4.2-n100', 400),
      readinessGate: { requestsPerRun: { median: 4, max: 5 }, afterReadyMs: { p50: 512.4, p99: 1730 } },
    };
    const lines = renderTable([kept('0.4.1-n100', 400), result]).split('\n');
    const cells = (line: string) => line.split('|').map((cell) => cell.trim());
    assert.equal(cells(lines[0]!)[9], 'readiness gate: requests med / max, passed after ready p50 / p99 (ms)');
    assert.equal(cells(lines[2]!)[9], '–');
    assert.equal(cells(lines[3]!)[9], '4 / 5, 512 / 1730');
    assert.equal(new Set(lines.map((line) => [...line].length)).size, 1);
  });

  it('rewrites each block from the results whose names start with its prefix, and leaves the rest', () => {
    const document = [
      'intro',
      '<!-- table: bench/measured/0.4.0-* -->',
      'stale row',
      '<!-- end of table -->',
      'after',
    ].join('\n');
    const results = [kept('0.3.0-n100', 400), kept('0.4.0-n100-a', 490), kept('0.4.0-n100-b', 500)];
    const written = renderDocument(document, results);
    assert.ok(written.startsWith('intro\n<!-- table: bench/measured/0.4.0-* -->\n\n| measured'));
    assert.ok(written.endsWith('\n\n<!-- end of table -->\nafter'));
    assert.doesNotMatch(written, /stale row|0\.3\.0-n100/);
    assert.match(written, /0\.4\.0-n100-a .*490 MB/);
    assert.match(written, /0\.4\.0-n100-b .*500 MB/);
    // Writing it again changes nothing.
    assert.equal(renderDocument(written, results), written);
    assert.throws(
      () => renderDocument(document, [kept('0.3.0-n100', 400)]),
      /no kept result in bench\/measured\/ starts with "0\.4\.0-"/,
    );
  });

  it('fills a new block whose end marker follows the start marker directly', () => {
    const document = ['<!-- table: bench/measured/0.4.0-* -->', '<!-- end of table -->', 'after'].join('\n');
    const written = renderDocument(document, [kept('0.4.0-n100-a', 490)]);
    assert.match(
      written,
      /^<!-- table: bench\/measured\/0\.4\.0-\* -->\n\n\| measured[\s\S]*490 MB[\s\S]*\n\n<!-- end of table -->\nafter$/,
    );
    assert.equal(renderDocument(written, [kept('0.4.0-n100-a', 490)]), written);
  });

  it('fills two new blocks in one document and keeps the text between them', () => {
    const document = [
      '<!-- table: bench/measured/0.4.1-a* -->',
      '<!-- end of table -->',
      'between the blocks',
      '<!-- table: bench/measured/0.4.1-b* -->',
      '<!-- end of table -->',
      'after',
    ].join('\n');
    const written = renderDocument(document, [kept('0.4.1-a-1', 400), kept('0.4.1-b-1', 500)]);
    assert.match(
      written,
      /^<!-- table: bench\/measured\/0\.4\.1-a\* -->\n\n\| measured[^]*400 MB[^]*\n\n<!-- end of table -->\nbetween the blocks\n<!-- table: bench\/measured\/0\.4\.1-b\* -->\n\n\| measured[^]*500 MB[^]*\n\n<!-- end of table -->\nafter$/,
    );
    assert.doesNotMatch(written.split('between the blocks')[0]!, /500 MB/);
  });

  it('BENCHMARKS.md is what npm run bench:report writes from bench/measured/', () => {
    const file = path.join(__dirname, '..', '..', 'BENCHMARKS.md');
    const document = readFileSync(file, 'utf8');
    assert.equal(renderDocument(document, readKeptResults()), document, 'run npm run bench:report');
  });
});
