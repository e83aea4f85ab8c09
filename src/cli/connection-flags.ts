/**
 * The `temporal` CLI's connection flags (v1.5.1: same names, same meaning), shared by every
 * command that talks to Temporal, and how they combine with the environment and the config-file
 * profile: flag, else `TEMPORAL_*` variable, else profile, as in the `temporal` CLI.
 */
import { existsSync } from 'node:fs';
import type * as EnvconfigModule from '@temporalio/envconfig';
import type { ClientConfigProfile, ClientConnectConfig } from '@temporalio/envconfig';
import { CliFailure, UsageError } from './io';
import type { CliSettings } from './settings';

/** The flags, for `parseCommandArgs`: spread into a command's own options. */
export const CONNECTION_OPTIONS = {
  address: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  'api-key': { type: 'string' },
  tls: { type: 'boolean' },
  'tls-cert-path': { type: 'string' },
  'tls-key-path': { type: 'string' },
  'tls-ca-path': { type: 'string' },
  'tls-server-name': { type: 'string' },
  'tls-disable-host-verification': { type: 'boolean' },
  profile: { type: 'string' },
  'config-file': { type: 'string' },
} as const;

/** The parsed values of {@link CONNECTION_OPTIONS} (any command's parsed values fit). */
export type ConnectionValues = {
  [K in keyof typeof CONNECTION_OPTIONS]?: (typeof CONNECTION_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};

/** The flags' help, appended to every connected command's help. */
export const CONNECTION_HELP = `Temporal connection (as the temporal CLI; a flag wins over its TEMPORAL_* variable, which wins
over the config-file profile):
  --address <host:port>    Temporal frontend (TEMPORAL_ADDRESS; default localhost:7233)
  -n, --namespace <name>   namespace (TEMPORAL_NAMESPACE; default "default")
  --api-key <key>          API key; turns TLS on (TEMPORAL_API_KEY)
  --tls                    TLS without client certificates; --tls=false turns it off (TEMPORAL_TLS);
                           on by default when any other TLS option or an API key is given
  --tls-cert-path <file>   client certificate, with --tls-key-path (TEMPORAL_TLS_CLIENT_CERT_PATH)
  --tls-key-path <file>    client private key (TEMPORAL_TLS_CLIENT_KEY_PATH)
  --tls-ca-path <file>     server CA certificate (TEMPORAL_TLS_SERVER_CA_CERT_PATH)
  --tls-server-name <name> server name to verify (TEMPORAL_TLS_SERVER_NAME)
  --tls-disable-host-verification
                           not supported by the Temporal TypeScript SDK: exits with code 2
                           (use --tls-server-name or --tls-ca-path instead)
  --profile <name>         profile of the config file (TEMPORAL_PROFILE; default "default")
  --config-file <file>     TOML config file (TEMPORAL_CONFIG_FILE; default
                           $XDG_CONFIG_HOME or ~/.config, then temporalio/temporal.toml)`;

/** Whether an environment flag value means true, as envconfig reads it. */
const envTrue = (value: string | undefined) => value === '1' || value === 'true';

/** The profile envconfig loads (file, then environment), with the flags applied on top. */
function profileWithFlags(
  values: ConnectionValues,
  settings: CliSettings,
  envconfig: typeof EnvconfigModule,
): ClientConfigProfile {
  let profile: ClientConfigProfile;
  try {
    profile = envconfig.loadClientConfigProfile({
      ...(values.profile ? { profile: values.profile } : {}),
      ...(values['config-file'] ? { configSource: { path: values['config-file'] } } : {}),
      overrideEnvVars: settings.temporalEnv,
    });
  } catch (error) {
    const source = values['config-file'] ?? settings.temporalEnv.TEMPORAL_CONFIG_FILE ?? 'the Temporal config file';
    throw new UsageError(
      `cannot load the Temporal client configuration (${source}): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (values.address) profile.address = values.address;
  if (values.namespace) profile.namespace = values.namespace;
  if (values['api-key']) profile.apiKey = values['api-key'];
  const tlsFlags: NonNullable<ClientConfigProfile['tls']> = {
    ...(values['tls-cert-path'] ? { clientCert: { path: values['tls-cert-path'] } } : {}),
    ...(values['tls-key-path'] ? { clientKey: { path: values['tls-key-path'] } } : {}),
    ...(values['tls-ca-path'] ? { serverCACert: { path: values['tls-ca-path'] } } : {}),
    ...(values['tls-server-name'] ? { serverName: values['tls-server-name'] } : {}),
  };
  if (values.tls !== undefined || Object.keys(tlsFlags).length > 0) {
    profile.tls = { ...profile.tls, ...tlsFlags };
    // A TLS option turns TLS on unless --tls=false says otherwise, as in the temporal CLI.
    profile.tls.disabled = values.tls === false;
  }
  return profile;
}

/** The connection options and namespace of a command, from its flags, the environment and the profile. */
export async function resolveConnectConfig(
  values: ConnectionValues,
  settings: CliSettings,
): Promise<ClientConnectConfig> {
  if (values['tls-disable-host-verification'] || envTrue(settings.temporalEnv.TEMPORAL_TLS_DISABLE_HOST_VERIFICATION)) {
    throw new UsageError(
      `${values['tls-disable-host-verification'] ? '--tls-disable-host-verification' : 'TEMPORAL_TLS_DISABLE_HOST_VERIFICATION'} ` +
        'is not supported by the Temporal TypeScript SDK: name the certificate with --tls-server-name or trust its CA with --tls-ca-path',
    );
  }
  const configFile = values['config-file'];
  if (configFile && !existsSync(configFile)) throw new UsageError(`--config-file: no file ${configFile}`);
  if (Boolean(values['tls-cert-path']) !== Boolean(values['tls-key-path'])) {
    throw new UsageError('--tls-cert-path and --tls-key-path go together');
  }
  const envconfig = await import('@temporalio/envconfig');
  const profile = profileWithFlags(values, settings, envconfig);
  try {
    return envconfig.toClientOptions(profile);
  } catch (error) {
    throw new CliFailure(`cannot read a TLS file: ${error instanceof Error ? error.message : String(error)}`);
  }
}
