/**
 * Temporary directories with targets files, password files and CA certificates for the configuration tests.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A scratch directory that files can be written into; remove it with {@link ScratchDir.remove}. */
export class ScratchDir {
  readonly path = mkdtempSync(join(tmpdir(), 'vcha-targets-'));

  /** Writes a file and returns its absolute path. */
  write(name: string, content: string): string {
    const file = join(this.path, name);
    writeFileSync(file, content);
    return file;
  }

  /** Writes `value` as a JSON file and returns its path. */
  writeJson(name: string, value: unknown): string {
    return this.write(name, `${JSON.stringify(value, null, 2)}\n`);
  }

  /** Generates a self-signed CA certificate with the openssl CLI and returns its path. */
  writeCertificate(name: string): string {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        `${name}.key`,
        '-out',
        name,
        '-days',
        '2',
        '-subj',
        '/CN=Test CA',
      ],
      { cwd: this.path, stdio: 'pipe' },
    );
    return join(this.path, name);
  }

  /** Reads a file written earlier. */
  read(name: string): string {
    return readFileSync(join(this.path, name), 'utf8');
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}
