/**
 * A target's per-node URLs (`nodes`): where the worker reaches a VCHA node once it is active when
 * its failover IP is out of reach. Each bad entry is named with what is wrong with it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadTargetsFile } from '../../src/config';
import { ScratchDir } from './config-fixtures';

const env = { VC01_PASSWORD: 'vc01-Pa55word!' };
const target = {
  url: 'https://vc01.example.com',
  username: 'administrator@vsphere.local',
  passwordEnv: 'VC01_PASSWORD',
};
let scratch: ScratchDir;

before(() => {
  scratch = new ScratchDir();
});
after(() => scratch.remove());

async function problemsOf(nodes: unknown, extra: Record<string, unknown> = {}): Promise<readonly string[]> {
  const file = scratch.writeJson(`nodes-${Math.random().toString(36).slice(2)}.json`, {
    targets: { vc01: { ...target, ...extra, nodes } },
  });
  try {
    await loadTargetsFile(file, env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
  return assert.fail('expected a ConfigError');
}

describe('targets file: per-node URLs', () => {
  it('loads nodes keyed by slot or ha_ip, normalised; the logged target shows them, its password masked', async () => {
    const file = scratch.writeJson('nodes.json', {
      targets: {
        vc01: {
          ...target,
          nodes: {
            node2: 'https://vc01-b.example.com:8443/',
            '10.0.0.2': 'https://203.0.113.7',
            'fd00::2': 'https://[fd00::7]',
          },
        },
      },
    });
    const registry = await loadTargetsFile(file, env);
    assert.deepEqual(registry.get('vc01').nodes, {
      node2: 'https://vc01-b.example.com:8443',
      '10.0.0.2': 'https://203.0.113.7',
      'fd00::2': 'https://[fd00::7]',
    });
    const logged = JSON.stringify(registry.get('vc01'));
    assert.match(logged, /"nodes":\{"node2":"https:\/\/vc01-b\.example\.com:8443"/);
    assert.doesNotMatch(logged, /Pa55word/);
  });

  it('a target without nodes has none', async () => {
    const registry = await loadTargetsFile(scratch.writeJson('plain.json', { targets: { vc01: target } }), env);
    assert.equal(registry.get('vc01').nodes, undefined);
  });

  it('names a key that is no node, and each bad URL', async () => {
    assert.deepEqual(
      await problemsOf({
        node3: 'https://vc01-c.example.com',
        'vc01-b': 'https://vc01-b.example.com',
        node1: 'http://10.0.0.9',
        node2: 'https://u:p@vc01-b.example.com',
        '10.0.0.2': 'not a url',
      }),
      [
        'targets.vc01.nodes.node3: "node3" names no node: use node1, node2 or the node\'s ha_ip address',
        'targets.vc01.nodes.vc01-b: "vc01-b" names no node: use node1, node2 or the node\'s ha_ip address',
        'targets.vc01.nodes.node1: http is only allowed for loopback hosts (or with insecureAllowHttp: true); use https',
        'targets.vc01.nodes.node2: must not contain credentials; use username and passwordEnv or passwordFile',
        'targets.vc01.nodes["10.0.0.2"]: is not a valid URL',
      ],
    );
  });

  it('allows plain http to a lab host only with insecureAllowHttp, as for the url', async () => {
    const file = scratch.writeJson('lab.json', {
      targets: {
        vc01: {
          ...target,
          url: 'http://simulator:9001',
          insecureAllowHttp: true,
          nodes: { node2: 'http://simulator-b:9001' },
        },
      },
    });
    assert.deepEqual((await loadTargetsFile(file, env)).get('vc01').nodes, { node2: 'http://simulator-b:9001' });
  });

  it('refuses the target’s own URL as a node’s, a value that is not a URL string, and nodes that are not an object', async () => {
    assert.deepEqual(await problemsOf({ node2: 'https://vc01.example.com/' }), [
      "targets.vc01.nodes.node2: is the target's own url; list only addresses other than it",
    ]);
    assert.deepEqual(await problemsOf({ node2: 42, node1: '' }), [
      'targets.vc01.nodes.node2: must be a URL string',
      'targets.vc01.nodes.node1: must not be empty',
    ]);
    assert.deepEqual(await problemsOf(['https://vc01-b.example.com']), [
      'targets.vc01.nodes: must be an object mapping a node (node1, node2 or its ha_ip address) to the URL it serves at',
    ]);
  });
});
