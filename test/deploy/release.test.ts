/**
 * One release version everywhere: package.json (the release whose histories go to
 * test/histories/<version>/), the lockfile, the image tag compose runs and the build command of
 * docs/deploy.md. A release bump that misses one would ship an image named for another release.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const { version } = JSON.parse(read('package.json')) as { version: string };

describe('release version', () => {
  it('is the same in package.json, the lockfile, the compose image tags and the deploy docs', () => {
    assert.match(version, /^\d+\.\d+\.\d+$/);
    const lock = JSON.parse(read('package-lock.json')) as {
      version: string;
      packages: Record<string, { version?: string }>;
    };
    assert.equal(lock.version, version);
    assert.equal(lock.packages['']?.version, version);
    const compose = parse(read('docker-compose.yml')) as { services: Record<string, { image?: string }> };
    const ours = Object.values(compose.services)
      .map((service) => service.image ?? '')
      .filter((image) => image.startsWith('vcha-failover-worker:'));
    assert.ok(ours.length >= 2, 'the worker and the simulator run the project image');
    for (const image of ours) assert.equal(image, `vcha-failover-worker:${version}`);
    assert.ok(read('docs/deploy.md').includes(`docker build -t vcha-failover-worker:${version} .`));
  });
});
