import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadTargetsFile, parseTargets } from '../../src/config';
import { ScratchDir } from './config-fixtures';

const PASSWORD_1 = 'vc01-Pa55word!';
const PASSWORD_2 = 'vc02-from-file';
let scratch: ScratchDir;
let caFile: string;

before(() => {
  scratch = new ScratchDir();
  caFile = scratch.writeCertificate('vc01-ca.pem');
  scratch.write('vc02.password', `${PASSWORD_2}\n`);
  scratch.write('empty.password', '\n');
  scratch.write('not-a-cert.pem', 'hello\n');
});

after(() => scratch.remove());

/** Loads a configuration written as JSON next to the fixture files, expecting it to fail, and returns the problems. */
async function problemsOf(config: unknown, env: NodeJS.ProcessEnv = {}): Promise<readonly string[]> {
  const file = scratch.writeJson(`case-${Math.random().toString(36).slice(2)}.json`, config);
  try {
    await loadTargetsFile(file, env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.source, file);
    for (const problem of error.problems) assert.ok(error.message.includes(`\n  ${problem}`), problem);
    return error.problems;
  }
  return assert.fail('expected a ConfigError');
}

const validTarget = {
  url: 'https://vc01.example.com',
  username: 'administrator@vsphere.local',
  passwordEnv: 'VC01_PASSWORD',
};

describe('valid files', () => {
  it('loads a JSON file, reading passwords from env and from a relative file, and the CA', async () => {
    const file = scratch.writeJson('targets.json', {
      targets: {
        'vc-lab-01': { ...validTarget, url: 'https://vc01.example.com/', caFile: 'vc01-ca.pem' },
        'vc.lab_02': {
          url: 'http://127.0.0.1:9000/vc/lab-02',
          username: 'svc-failover@vsphere.local',
          passwordFile: 'vc02.password',
          insecureSkipTlsVerify: true,
          timeouts: { connectMs: 5000, headersMs: 20000, bodyMs: 15000, totalMs: 40000 },
        },
      },
    });
    const registry = await loadTargetsFile(file, { VC01_PASSWORD: PASSWORD_1 });

    assert.deepEqual(registry.names(), ['vc-lab-01', 'vc.lab_02']);
    const first = registry.get('vc-lab-01');
    assert.equal(first.name, 'vc-lab-01');
    assert.equal(first.url, 'https://vc01.example.com');
    assert.equal(first.username, 'administrator@vsphere.local');
    assert.equal(first.password, PASSWORD_1);
    assert.equal(first.ca, scratch.read('vc01-ca.pem'));
    assert.equal(first.insecureSkipTlsVerify, false);
    assert.equal(first.timeouts, undefined);

    const second = registry.get('vc.lab_02');
    assert.equal(second.url, 'http://127.0.0.1:9000/vc/lab-02');
    assert.equal(second.password, PASSWORD_2, 'the trailing newline of the password file is dropped');
    assert.equal(second.ca, undefined);
    assert.equal(second.insecureSkipTlsVerify, true);
    assert.deepEqual(second.timeouts, { connectMs: 5000, headersMs: 20000, bodyMs: 15000, totalMs: 40000 });
  });

  for (const extension of ['yaml', 'yml']) {
    it(`loads a .${extension} file as YAML`, async () => {
      const file = scratch.write(
        `targets.${extension}`,
        [
          '# vCenters this worker may fail over',
          'targets:',
          '  vc-lab-01:',
          '    url: https://vc01.example.com',
          '    username: administrator@vsphere.local',
          '    passwordEnv: VC01_PASSWORD',
          `    caFile: ${caFile}`,
          '    timeouts:',
          '      connectMs: 3000',
          '',
        ].join('\n'),
      );
      const registry = await loadTargetsFile(file, { VC01_PASSWORD: PASSWORD_1 });
      assert.deepEqual(registry.names(), ['vc-lab-01']);
      assert.equal(registry.get('vc-lab-01').password, PASSWORD_1);
      assert.deepEqual(registry.get('vc-lab-01').timeouts, { connectMs: 3000 });
    });
  }

  it('allows http for every loopback form', async () => {
    for (const url of ['http://127.0.0.1:8080', 'http://127.5.6.7', 'http://localhost:9000/x', 'http://[::1]:9000']) {
      const registry = await parseTargets(
        { targets: { lab: { ...validTarget, url } } },
        { env: { VC01_PASSWORD: 'x-password' }, baseDir: scratch.path, source: 'inline' },
      );
      assert.equal(registry.get('lab').url, url.replace(/\/$/, ''));
    }
  });
});

describe('each kind of problem names its path', () => {
  it('a password variable that is not set, or empty', async () => {
    assert.deepEqual(await problemsOf({ targets: { 'vc-lab-01': validTarget } }), [
      'targets.vc-lab-01.passwordEnv: variable VC01_PASSWORD is not set',
    ]);
    assert.deepEqual(await problemsOf({ targets: { 'vc-lab-01': validTarget } }, { VC01_PASSWORD: '' }), [
      'targets.vc-lab-01.passwordEnv: variable VC01_PASSWORD is empty',
    ]);
  });

  it('both or neither password sources', async () => {
    assert.deepEqual(await problemsOf({ targets: { x: { ...validTarget, passwordFile: 'vc02.password' } } }), [
      'targets.x: set only one of passwordEnv and passwordFile, not both',
    ]);
    const { passwordEnv: _unused, ...withoutPassword } = validTarget;
    assert.deepEqual(await problemsOf({ targets: { x: withoutPassword } }), [
      'targets.x: one of passwordEnv or passwordFile is required',
    ]);
  });

  it('a password file that is missing or empty', async () => {
    const { passwordEnv: _unused, ...base } = validTarget;
    assert.deepEqual(await problemsOf({ targets: { x: { ...base, passwordFile: 'nope.password' } } }), [
      `targets.x.passwordFile: cannot read ${join(scratch.path, 'nope.password')} (ENOENT)`,
    ]);
    assert.deepEqual(await problemsOf({ targets: { x: { ...base, passwordFile: 'empty.password' } } }), [
      `targets.x.passwordFile: ${join(scratch.path, 'empty.password')} is empty`,
    ]);
  });

  it('http on a non-loopback host, and other bad URLs', async () => {
    const env = { VC01_PASSWORD: PASSWORD_1 };
    assert.deepEqual(
      await problemsOf({ targets: { 'vc-lab-01': { ...validTarget, url: 'http://vc01.example.com' } } }, env),
      ['targets.vc-lab-01.url: http is only allowed for loopback hosts (or with insecureAllowHttp: true); use https'],
    );
    assert.deepEqual(
      await problemsOf({ targets: { a: { ...validTarget, url: 'http://127.0.0.1.example.com' } } }, env),
      ['targets.a.url: http is only allowed for loopback hosts (or with insecureAllowHttp: true); use https'],
    );
    const lab = await loadTargetsFile(
      scratch.writeJson('lab.json', {
        targets: { lab: { ...validTarget, url: 'http://simulator:9001', insecureAllowHttp: true } },
      }),
      env,
    );
    assert.equal(lab.get('lab').url, 'http://simulator:9001', 'an explicit opt-in allows http to a lab host');
    assert.deepEqual(await problemsOf({ targets: { a: { ...validTarget, url: 'vc01.example.com' } } }, env), [
      'targets.a.url: is not a valid URL',
    ]);
    assert.deepEqual(
      await problemsOf({ targets: { a: { ...validTarget, url: 'https://u:p@vc01.example.com' } } }, env),
      ['targets.a.url: must not contain credentials; use username and passwordEnv or passwordFile'],
    );
  });

  it('unknown keys at every level (typo protection)', async () => {
    const env = { VC01_PASSWORD: PASSWORD_1 };
    const problems = await problemsOf(
      {
        target: {},
        targets: { 'vc-lab-01': { ...validTarget, insecureSkipTLSVerify: true, timeouts: { connectMS: 1 } } },
      },
      env,
    );
    assert.deepEqual(problems, [
      'target: unknown key (allowed: targets, policy, allowedSignersFile)',
      'targets.vc-lab-01.timeouts.connectMS: unknown key (allowed: connectMs, headersMs, bodyMs, totalMs)',
      'targets.vc-lab-01.insecureSkipTLSVerify: unknown key (allowed: url, username, passwordEnv, passwordFile, caFile, insecureSkipTlsVerify, insecureAllowHttp, timeouts, policy, nodes)',
    ]);
  });

  it('a caFile that cannot be read or holds no certificate', async () => {
    const env = { VC01_PASSWORD: PASSWORD_1 };
    assert.deepEqual(await problemsOf({ targets: { x: { ...validTarget, caFile: '/nonexistent/x.pem' } } }, env), [
      'targets.x.caFile: cannot read /nonexistent/x.pem (ENOENT)',
    ]);
    assert.deepEqual(await problemsOf({ targets: { x: { ...validTarget, caFile: 'not-a-cert.pem' } } }, env), [
      `targets.x.caFile: ${join(scratch.path, 'not-a-cert.pem')} does not contain a PEM certificate`,
    ]);
    const broken = scratch.write('broken.pem', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    assert.deepEqual(await problemsOf({ targets: { x: { ...validTarget, caFile: broken } } }, env), [
      `targets.x.caFile: ${broken} contains a PEM block that is not a valid certificate`,
    ]);
  });

  it('no targets, or no targets object', async () => {
    assert.deepEqual(await problemsOf({ targets: {} }), ['targets: at least one target is required']);
    assert.deepEqual(await problemsOf({}), ['targets: is required']);
    assert.deepEqual(await problemsOf({ targets: [] }), ['targets: must be an object mapping target names to targets']);
    assert.deepEqual(await problemsOf([1]), ['(root): must be an object with a "targets" property']);
  });

  it('wrong types and missing required fields', async () => {
    const problems = await problemsOf(
      {
        targets: {
          a: { url: 42, passwordEnv: 'P', insecureSkipTlsVerify: 'yes', timeouts: { connectMs: -1, bodyMs: 1.5 } },
          b: 'https://vc.example.com',
        },
      },
      { P: 'password-x' },
    );
    assert.deepEqual(problems, [
      'targets.a.url: must be a URL string',
      'targets.a.username: is required',
      'targets.a.insecureSkipTlsVerify: must be true or false',
      'targets.a.timeouts.connectMs: must be at least 1 ms',
      'targets.a.timeouts.bodyMs: must be a whole number of milliseconds',
      'targets.b: must be an object',
    ]);
  });

  it('target names outside the allowed characters', async () => {
    const problems = await problemsOf(
      { targets: { 'vc lab/01': validTarget, '': validTarget } },
      { VC01_PASSWORD: 'x-password' },
    );
    assert.deepEqual(problems, [
      `targets["vc lab/01"]: target name may only contain letters, digits, '.', '_' and '-'`,
      `targets[""]: target name may only contain letters, digits, '.', '_' and '-'`,
    ]);
  });

  it('the same normalised URL named twice, naming both targets', async () => {
    const problems = await problemsOf(
      {
        targets: {
          'vc-lab-01': validTarget,
          'vc-lab-01-again': { ...validTarget, url: 'HTTPS://VC01.Example.com:443/' },
          'vc-lab-01-path': { ...validTarget, url: 'https://vc01.example.com/other' },
          'vc-lab-01-port': { ...validTarget, url: 'https://vc01.example.com:8443' },
          'loopback-a': { ...validTarget, url: 'http://127.0.0.1/vc//' },
          'loopback-b': { ...validTarget, url: 'http://127.0.0.1:80/vc' },
        },
      },
      { VC01_PASSWORD: 'x-password' },
    );
    assert.deepEqual(problems, [
      'targets.vc-lab-01-again.url: https://vc01.example.com:443 is also the URL of target "vc-lab-01" (targets.vc-lab-01.url); name each vCenter once',
      'targets.loopback-b.url: http://127.0.0.1:80/vc is also the URL of target "loopback-a" (targets.loopback-a.url); name each vCenter once',
    ]);
  });

  it('lists several problems of several targets together, in file order', async () => {
    const { passwordEnv: _unused, ...noPassword } = validTarget;
    const problems = await problemsOf({
      targets: {
        'vc-lab-01': { ...validTarget, url: 'http://vc01.example.com', caFile: 'missing.pem' },
        'vc-lab-02': { ...noPassword, usernme: 'typo' },
        'vc-lab-03': validTarget,
      },
    });
    assert.deepEqual(problems, [
      'targets.vc-lab-01.url: http is only allowed for loopback hosts (or with insecureAllowHttp: true); use https',
      'targets.vc-lab-01.passwordEnv: variable VC01_PASSWORD is not set',
      `targets.vc-lab-01.caFile: cannot read ${join(scratch.path, 'missing.pem')} (ENOENT)`,
      'targets.vc-lab-02.usernme: unknown key (allowed: url, username, passwordEnv, passwordFile, caFile, insecureSkipTlsVerify, insecureAllowHttp, timeouts, policy, nodes)',
      'targets.vc-lab-02: one of passwordEnv or passwordFile is required',
      'targets.vc-lab-03.passwordEnv: variable VC01_PASSWORD is not set',
    ]);
  });
});

describe('file-level problems', () => {
  async function fileProblems(file: string): Promise<readonly string[]> {
    const error = await loadTargetsFile(file, {}).then(
      () => assert.fail('expected a ConfigError'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }

  it('a missing file', async () => {
    const file = join(scratch.path, 'absent.json');
    assert.deepEqual(await fileProblems(file), [`${file}: cannot read file (ENOENT)`]);
  });

  it('invalid JSON, with line and column', async () => {
    const file = scratch.write('broken.json', '{\n  "targets": {\n    "a": { "url": "https://x",, }\n  }\n}\n');
    assert.deepEqual(await fileProblems(file), [
      `${file}: invalid JSON at line 3, column 31: unexpected ",", expected a property name`,
    ]);
    const truncated = scratch.write('truncated.json', '{\n  "targets": {\n');
    assert.deepEqual(await fileProblems(truncated), [
      `${truncated}: invalid JSON at line 3, column 1: unexpected end of input, expected a property name`,
    ]);
    const trailing = scratch.write('trailing.json', '{"targets": {}}\n}');
    assert.deepEqual(await fileProblems(trailing), [
      `${trailing}: invalid JSON at line 2, column 1: unexpected "}" after the end of the document`,
    ]);
  });

  it('an empty file', async () => {
    const file = scratch.write('empty.json', '  \n');
    assert.deepEqual(await fileProblems(file), [`${file}: file is empty`]);
    const yaml = scratch.write('empty.yaml', '# nothing\n');
    assert.deepEqual(await fileProblems(yaml), [`${yaml}: file is empty`]);
  });

  it('invalid YAML, with line and column, every error listed', async () => {
    const file = scratch.write('broken.yaml', 'targets:\n  a:\n    url: https://x\n  a:\n    url: https://y\n');
    const problems = await fileProblems(file);
    assert.equal(problems.length, 1);
    assert.match(
      problems[0] ?? '',
      new RegExp(
        `^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid YAML: Map keys must be unique at line 4, column 3$`,
      ),
    );
  });

  it('a JSON file with a byte order mark is accepted', async () => {
    const file = scratch.write('bom.json', `\uFEFF${JSON.stringify({ targets: { a: validTarget } })}`);
    const registry = await loadTargetsFile(file, { VC01_PASSWORD: PASSWORD_1 });
    assert.deepEqual(registry.names(), ['a']);
  });
});

describe('policy', () => {
  const env = { VC01_PASSWORD: PASSWORD_1 };
  const policiesOf = async (config: unknown) => {
    const file = scratch.writeJson(`policy-${Math.random().toString(36).slice(2)}.json`, config);
    const registry = await loadTargetsFile(file, env);
    return Object.fromEntries(registry.names().map((name) => [name, registry.get(name).policy]));
  };

  it('defaults to forced: approval, planned: allow; the file-wide policy, then the target, override it', async () => {
    assert.deepEqual(await policiesOf({ targets: { a: validTarget } }), {
      a: { forced: 'approval', planned: 'allow' },
    });
    assert.deepEqual(
      await policiesOf({
        policy: { planned: 'approval' },
        targets: {
          a: validTarget,
          b: { ...validTarget, url: 'https://vc02.example.com', policy: { forced: 'deny' } },
        },
      }),
      { a: { forced: 'approval', planned: 'approval' }, b: { forced: 'deny', planned: 'approval' } },
    );
  });

  it('names the target and field of a bad policy, and the file-wide field', async () => {
    assert.deepEqual(
      await problemsOf(
        {
          policy: { forced: 'sometimes' },
          targets: {
            a: { ...validTarget, policy: { planned: 'deny', forcd: 'allow' } },
            b: { ...validTarget, policy: 'allow' },
          },
        },
        env,
      ),
      [
        'policy.forced: must be "deny", "approval" or "allow"',
        'targets.a.policy.planned: must be "allow" or "approval"',
        'targets.a.policy.forcd: unknown key (allowed: forced, planned, approval)',
        'targets.b.policy: must be an object with forced, planned and/or approval',
      ],
    );
  });

  it('keeps named approvals without an allowed-signers file; naming one makes approvals and requests signed', async () => {
    scratch.write(
      'allowed_signers',
      'bob@example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPY0SyYgFvIzdoyGJ6YqWtUFO5ZTgl9YnC1pKti0dieY\n',
    );
    assert.deepEqual(await policiesOf({ targets: { a: validTarget } }), {
      a: { forced: 'approval', planned: 'allow' },
    });
    const file = scratch.writeJson('signed.json', {
      allowedSignersFile: 'allowed_signers',
      policy: { approval: { approvers: ['bob@example.com'] } },
      targets: {
        a: validTarget,
        b: { ...validTarget, url: 'https://vc02.example.com', policy: { approval: { signedRequests: false } } },
        c: { ...validTarget, url: 'https://vc03.example.com', policy: { approval: { signed: false } } },
      },
    });
    const registry = await loadTargetsFile(file, env);
    assert.equal(registry.allowedSignersFile, join(scratch.path, 'allowed_signers'));
    const approvals = Object.fromEntries(registry.names().map((name) => [name, registry.get(name).policy.approval]));
    assert.deepEqual(approvals, {
      a: { signed: true, signedRequests: true, approvers: ['bob@example.com'] },
      b: { signed: true, signedRequests: false, approvers: ['bob@example.com'] },
      c: { signed: false, signedRequests: false, approvers: ['bob@example.com'] },
    });
  });

  it('names what is wrong with signed approvals: no allowed-signers file, an unreadable or empty one, bad fields', async () => {
    scratch.write('no_signers', '# nobody yet\n');
    assert.deepEqual(await problemsOf({ policy: { approval: { signed: true } }, targets: { a: validTarget } }, env), [
      'targets.a.policy.approval: signed approvals need the allowed-signers file: set allowedSignersFile at the top of the file',
    ]);
    assert.deepEqual(await problemsOf({ allowedSignersFile: 'no_signers', targets: { a: validTarget } }, env), [
      `allowedSignersFile: ${join(scratch.path, 'no_signers')} lists no signer`,
    ]);
    const missing = await problemsOf({ allowedSignersFile: 'missing', targets: { a: validTarget } }, env);
    assert.match(missing[0]!, /^allowedSignersFile: cannot read .*missing \(ENOENT\)$/);
    assert.deepEqual(
      await problemsOf(
        {
          policy: { approval: { approvers: [], singed: true } },
          targets: { a: { ...validTarget, policy: { approval: { signed: 'yes', signedRequests: true } } } },
        },
        env,
      ),
      [
        'policy.approval.approvers: must name at least one principal (leave it out to allow every allowed signer)',
        'policy.approval.singed: unknown key (allowed: signed, signedRequests, approvers)',
        'targets.a.policy.approval.signed: must be true or false',
      ],
    );
  });
});
