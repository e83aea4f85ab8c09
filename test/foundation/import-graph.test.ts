/**
 * The shape of src's imports: no cycle anywhere (type imports count: a cycle of types is still two
 * modules that cannot be read alone), the contract imports nothing outside itself, and the pure
 * decision modules of the failover workflow reach no workflow API value, so their unit tests run
 * without a Temporal server.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(__dirname, '..', '..');
const src = path.join(root, 'src');

/** One import of a module: what it names and whether only its types are used. */
interface Edge {
  specifier: string;
  /** The src file it resolves to; undefined for a package. */
  file?: string;
  typeOnly: boolean;
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every import and re-export of `code`, dynamic imports too (they load a module all the same). */
export function importsOf(code: string, from: string): Edge[] {
  const edges: Edge[] = [];
  for (const match of code.matchAll(IMPORT)) {
    const [, , typeKeyword, specifier] = match;
    const statement = match[0];
    // `import { type A, type B } from` is type-only too.
    const names = /\{([^}]*)\}/.exec(statement)?.[1];
    const allTyped =
      names !== undefined &&
      !/^\s*(import|export)\s+[A-Za-z_$*]/.test(statement.replace(/^\s*(import|export)\s+(type\s+)?\{/, '{')) &&
      names
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean)
        .every((n) => n.startsWith('type '));
    edges.push({ specifier: specifier!, file: resolve(specifier!, from), typeOnly: Boolean(typeKeyword) || allTyped });
  }
  for (const [, specifier] of code.matchAll(DYNAMIC_IMPORT)) {
    edges.push({ specifier: specifier!, file: resolve(specifier!, from), typeOnly: false });
  }
  return edges;
}

function resolve(specifier: string, from: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier.replace(/\.js$/, ''));
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) if (existsSync(candidate)) return candidate;
  throw new Error(`${path.relative(root, from)}: cannot resolve ${specifier}`);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

/** The import graph of `files`: each file's edges. */
function graphOf(files: string[]): Map<string, Edge[]> {
  return new Map(files.map((file) => [file, importsOf(readFileSync(file, 'utf8'), file)]));
}

/** Every cycle's files (one strongly connected component of more than one file, or a file importing itself). */
export function cyclesOf(graph: Map<string, Edge[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string) => {
    indices.set(file, index);
    low.set(file, index++);
    stack.push(file);
    onStack.add(file);
    for (const { file: next } of graph.get(file) ?? []) {
      if (next === undefined || !graph.has(next)) continue;
      if (!indices.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, indices.get(next)!));
    }
    if (low.get(file) !== indices.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    const selfImport = (graph.get(file) ?? []).some((edge) => edge.file === file);
    if (component.length > 1 || selfImport) cycles.push(component.map((f) => path.relative(root, f)).sort());
  };
  for (const file of graph.keys()) if (!indices.has(file)) visit(file);
  return cycles;
}

/** The packages `file` reaches through value imports only (what loading it loads). */
function packagesLoadedBy(graph: Map<string, Edge[]>, file: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const walk = (current: string) => {
    if (seen.has(current)) return;
    seen.add(current);
    for (const edge of graph.get(current) ?? []) {
      if (edge.typeOnly) continue;
      if (edge.file) walk(edge.file);
      else packages.add(edge.specifier);
    }
  };
  walk(file);
  return packages;
}

describe('src import graph', () => {
  const graph = graphOf(sourceFiles(src));

  it('has no import cycle', () => {
    assert.deepEqual(cyclesOf(graph), []);
  });

  it('finds a cycle when there is one, type imports included', () => {
    const a = path.join(src, 'a.ts');
    const b = path.join(src, 'b.ts');
    const c = path.join(src, 'c.ts');
    const probe = new Map<string, Edge[]>([
      [a, [{ specifier: './b', file: b, typeOnly: false }]],
      [b, [{ specifier: './c', file: c, typeOnly: true }]],
      [c, [{ specifier: './a', file: a, typeOnly: false }]],
    ]);
    assert.deepEqual(cyclesOf(probe), [['src/a.ts', 'src/b.ts', 'src/c.ts']]);
    const index = path.join(src, 'contract', 'index.ts');
    const code =
      "import type { X } from './record';\nimport { type Y, type Z } from './cluster';\nimport { W } from 'zod';\n" +
      "export const later = () => import('./duration.js');\n";
    assert.deepEqual(
      importsOf(code, index).map((e) => [e.specifier, e.typeOnly]),
      [
        ['./record', true],
        ['./cluster', true],
        ['zod', false],
        ['./duration.js', false],
      ],
    );
  });

  it('keeps the contract at the bottom: it imports nothing of src outside itself', () => {
    const contract = path.join(src, 'contract') + path.sep;
    const upward = [...graph]
      .filter(([file]) => file.startsWith(contract))
      .flatMap(([file, edges]) =>
        edges
          .filter((e) => e.file && !e.file.startsWith(contract))
          .map((e) => `${path.relative(root, file)} → ${e.specifier}`),
      );
    assert.deepEqual(upward, []);
  });

  it('lets the pure decision modules load no workflow API and no zod', () => {
    for (const name of [
      'failover/send-protocol',
      'failover/verdict',
      'failover/preflight-reading',
      'failover/activity-options',
      'maintenance/mode-plan',
    ]) {
      const loaded = packagesLoadedBy(graph, path.join(src, 'workflows', `${name}.ts`));
      assert.ok(!loaded.has('@temporalio/workflow'), `${name} loads @temporalio/workflow`);
      assert.ok(!loaded.has('zod'), `${name} loads zod`);
    }
  });
});
