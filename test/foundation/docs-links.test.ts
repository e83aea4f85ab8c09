/**
 * The documentation stays navigable: every relative link in the project's Markdown files points at
 * a file that exists and, with a `#fragment`, at a heading (or `id`) that exists there, using
 * GitHub's anchor rules; and every `npm run X` / `npm test` / `npm ci` the docs tell a person to
 * type exists in package.json. No server needed.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(__dirname, '..', '..');

/**
 * The Markdown files whose links are checked: tracked ones and new ones not ignored yet. The
 * fixtures under test/fixtures/ are copies of VMware's text and are left as they are.
 */
function markdownFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z', '--', '*.md'], {
    cwd: root,
    encoding: 'utf8',
  });
  return listed
    .split('\0')
    .filter((file) => file !== '' && !file.startsWith('test/fixtures/') && existsSync(path.join(root, file)))
    .sort();
}

/** One line of Markdown outside fenced code, or the lines of one fenced block with its info string. */
type Block =
  { kind: 'text'; line: number; text: string } | { kind: 'code'; line: number; info: string; lines: string[] };

/** Splits Markdown into prose lines and fenced code blocks (``` or ~~~), so code is never read as links. */
function blocks(markdown: string): Block[] {
  const out: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)/.exec(lines[i]!);
    if (!open) {
      out.push({ kind: 'text', line: i + 1, text: lines[i]! });
      continue;
    }
    const fence = open[1]!;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(lines[j]!);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length) break;
      body.push(lines[j]!);
    }
    out.push({ kind: 'code', line: i + 1, info: open[2]!.toLowerCase(), lines: body });
    i = j;
  }
  return out;
}

/** Inline code spans of a line (their text), and the line with them blanked out. */
function splitCodeSpans(text: string): { spans: string[]; rest: string } {
  const spans: string[] = [];
  const rest = text.replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, (_, _ticks: string, body: string) => {
    spans.push(body.trim());
    return ' ';
  });
  return { spans, rest };
}

/**
 * GitHub's anchor for a heading (as github-slugger does it on the rendered text): lowercase,
 * everything but letters, digits, `_`, `-` and spaces dropped, each space a hyphen; a repeated
 * anchor gets -1, -2, … in order of appearance.
 */
function githubAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const add = (heading: string) => {
    const text = heading
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
      .replace(/<[^>]+>/g, '') // inline HTML tags
      .replace(/`/g, '');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    let slug = base;
    let count = seen.get(base) ?? 0;
    while (anchors.has(slug)) slug = `${base}-${++count}`;
    seen.set(base, count);
    anchors.add(slug);
  };
  const all = blocks(markdown);
  for (let k = 0; k < all.length; k++) {
    const block = all[k]!;
    if (block.kind !== 'text') continue;
    const atx = /^ {0,3}#{1,6}(?:\s+(.*?))?(?:\s+#+)?\s*$/.exec(block.text);
    if (atx) add((atx[1] ?? '').trim());
    const next = all[k + 1];
    if (!atx && block.text.trim() !== '' && next?.kind === 'text' && /^ {0,3}(=+|-+)\s*$/.test(next.text)) {
      // A setext heading, unless the underline is a table's or a list's (a line of text above it).
      if (!block.text.includes('|') && !/^\s*[-*+]\s/.test(block.text)) add(block.text.trim());
    }
    for (const match of block.text.matchAll(/<[a-z][^>]*\s(?:id|name)="([^"]+)"/gi)) anchors.add(match[1]!);
  }
  return anchors;
}

/** One relative link found in a Markdown file. */
interface Link {
  file: string;
  line: number;
  target: string;
}

/** The relative links of a Markdown file (inline, reference definitions, HTML href/src); URLs with a scheme are not. */
function relativeLinks(file: string, markdown: string): Link[] {
  const links: Link[] = [];
  for (const block of blocks(markdown)) {
    if (block.kind !== 'text') continue;
    const { rest } = splitCodeSpans(block.text);
    const targets = [
      ...[...rest.matchAll(/!?\[[^\]]*\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!),
      ...[...rest.matchAll(/^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/g)].map((m) => m[1]!),
      ...[...rest.matchAll(/<[a-z][^>]*\s(?:href|src)="([^"]+)"/gi)].map((m) => m[1]!),
    ];
    for (const raw of targets) {
      const target = raw.replace(/^<|>$/g, '');
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue;
      links.push({ file, line: block.line, target });
    }
  }
  return links;
}

/** What is wrong with one link, or undefined when it resolves. */
function brokenLink(link: Link, anchorsOf: (file: string) => Set<string>): string | undefined {
  const hash = link.target.indexOf('#');
  const pathPart = decodeURIComponent(hash < 0 ? link.target : link.target.slice(0, hash));
  const fragment = hash < 0 ? undefined : decodeURIComponent(link.target.slice(hash + 1));
  const resolved =
    pathPart === ''
      ? path.join(root, link.file)
      : pathPart.startsWith('/')
        ? path.join(root, pathPart)
        : path.resolve(path.dirname(path.join(root, link.file)), pathPart);
  const relative = path.relative(root, resolved);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return `${link.target} leaves the repository`;
  if (!existsSync(resolved)) return `${link.target}: ${relative} does not exist`;
  if (fragment === undefined) return undefined;
  if (statSync(resolved).isDirectory()) return `${link.target}: a folder has no anchors`;
  if (!resolved.endsWith('.md')) {
    return /^L\d+(-L\d+)?$/.test(fragment) ? undefined : `${link.target}: only #L<line> anchors exist in ${relative}`;
  }
  if (!anchorsOf(relative).has(fragment))
    return `${link.target}: no heading in ${relative} has the anchor #${fragment}`;
  return undefined;
}

/** An npm command the docs give: `npm run X`, `npm test`, `npm start` or `npm ci`. */
interface NpmCommand {
  file: string;
  line: number;
  command: string;
  script?: string;
}

const SHELL_INFOS = new Set(['sh', 'bash', 'shell', 'console', 'zsh']);

/** The npm commands in a Markdown file's shell blocks and inline code. */
function npmCommands(file: string, markdown: string): NpmCommand[] {
  const found: NpmCommand[] = [];
  const scan = (text: string, line: number) => {
    for (const match of text.matchAll(/\bnpm\s+(?:(?:run|run-script)\s+([^\s;&|)`'"]+)|(test|t|start)\b|(ci)\b)/g)) {
      const [command, runScript, shortcut] = match;
      const script = runScript ?? (shortcut === 't' ? 'test' : shortcut);
      found.push({ file, line, command: command.trim(), script });
    }
  };
  for (const block of blocks(markdown)) {
    if (block.kind === 'code') {
      if (SHELL_INFOS.has(block.info)) block.lines.forEach((text, i) => scan(text, block.line + 1 + i));
    } else {
      for (const span of splitCodeSpans(block.text).spans) scan(span, block.line);
    }
  }
  return found;
}

/** What is wrong with one npm command, or undefined when package.json (and the lockfile) has it. */
function missingScript(command: NpmCommand, scripts: Record<string, string>): string | undefined {
  if (command.script === undefined) {
    return existsSync(path.join(root, 'package-lock.json')) ? undefined : `${command.command}: no package-lock.json`;
  }
  return command.script in scripts ? undefined : `${command.command}: package.json has no script "${command.script}"`;
}

function read(file: string): string {
  return readFileSync(path.join(root, file), 'utf8');
}

describe('documentation links and commands', () => {
  const files = markdownFiles();

  it('finds the documents to check', () => {
    for (const file of ['README.md', 'RELIABILITY.md', 'BENCHMARKS.md', 'docs/README.md']) {
      assert.ok(files.includes(file), `${file} is checked`);
    }
  });

  it('computes anchors as GitHub does', () => {
    const anchors = githubAnchors(
      [
        '# Safety: what a run guarantees',
        '## The `vcha-failover` CLI',
        '## Tracing (OpenTelemetry, optional)',
        '## Setup',
        '## Setup',
        '## Setup',
        '```sh',
        '# not a heading',
        '```',
        '## Deploy → Upgrades — now',
        '## [Linked](x.md) heading',
        'Setext heading',
        '==============',
      ].join('\n'),
    );
    assert.deepEqual(
      [...anchors],
      [
        'safety-what-a-run-guarantees',
        'the-vcha-failover-cli',
        'tracing-opentelemetry-optional',
        'setup',
        'setup-1',
        'setup-2',
        'deploy--upgrades--now',
        'linked-heading',
        'setext-heading',
      ],
    );
  });

  it('has no broken relative link or anchor', () => {
    const cache = new Map<string, Set<string>>();
    const anchorsOf = (file: string) => {
      if (!cache.has(file)) cache.set(file, githubAnchors(read(file)));
      return cache.get(file)!;
    };
    const links = files.flatMap((file) => relativeLinks(file, read(file)));
    assert.ok(links.length > 20, `found only ${links.length} relative links`);
    const broken = links.flatMap((link) => {
      const problem = brokenLink(link, anchorsOf);
      return problem ? [`${link.file}:${link.line}: ${problem}`] : [];
    });
    assert.deepEqual(broken, [], `broken links:\n${broken.join('\n')}`);
  });

  it('gives only npm commands that package.json has', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    const commands = files.flatMap((file) => npmCommands(file, read(file)));
    const readme = commands.filter((c) => c.file === 'README.md').map((c) => c.command);
    for (const command of ['npm ci', 'npm run demo', 'npm test']) {
      assert.ok(readme.includes(command), `README.md gives ${command}`);
    }
    const missing = commands.flatMap((command) => {
      const problem = missingScript(command, scripts);
      return problem ? [`${command.file}:${command.line}: ${problem}`] : [];
    });
    assert.deepEqual(missing, [], `commands that do not exist:\n${missing.join('\n')}`);
  });
});
