import { accessSync, constants, statSync } from 'node:fs';
import type { Env } from './config.schema';

/** Hosts an `http:` ISO endpoint may use with credentials without ISO_ALLOW_HTTP: they never leave the machine. */
const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);

/**
 * Refuses settings that would send credentials in clear, and (NODE_ENV=production) the local stack's built-in
 * DATABASE_URL and REDIS_URL. `explicit` holds the variables set in the environment (defaults not applied).
 */
export function checkTransportSecurity(e: Env, explicit: ReadonlySet<string>, problems: string[]): void {
  // SCRAM sends a salted proof, never the password: only PLAIN gives the password away without TLS.
  if (e.KAFKA_SASL_MECHANISM === 'plain' && !e.KAFKA_SSL && !e.KAFKA_ALLOW_PLAINTEXT_SASL) {
    problems.push(
      'KAFKA_SASL_MECHANISM: plain sends KAFKA_SASL_PASSWORD in clear unless KAFKA_SSL=true ' +
        '(set KAFKA_SSL=true, or KAFKA_ALLOW_PLAINTEXT_SASL=true to accept it)',
    );
  }
  const isoCredentials = e.ISO_AUTH || e.ISO_TOKEN || e.ISO_USERNAME || e.ISO_PASSWORD;
  if (isoCredentials && e.ISO_ENDPOINT_URL && !e.ISO_ALLOW_HTTP) {
    const url = new URL(e.ISO_ENDPOINT_URL);
    if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
      problems.push(
        `ISO_ENDPOINT_URL: http://${url.host} would send the ISO_AUTH credentials in clear ` +
          '(use https://, or set ISO_ALLOW_HTTP=true to accept it)',
      );
    }
  }
  if (e.NODE_ENV === 'production') {
    for (const name of ['DATABASE_URL', 'REDIS_URL']) {
      if (!explicit.has(name)) {
        problems.push(`${name}: required when NODE_ENV=production (the default is the local stack's)`);
      }
    }
  }
}

/** Files named in the config must be readable now, not when a command first opens them. */
export function checkReadableFiles(e: Env, problems: string[]): void {
  const files = { KAFKA_SSL_CA_FILE: e.KAFKA_SSL_CA_FILE, RISK_RULESET_FILE: e.RISK_RULESET_FILE };
  for (const [name, path] of Object.entries(files)) {
    if (path === undefined) continue;
    try {
      if (statSync(path).isDirectory()) {
        problems.push(`${name}: cannot read ${path} (EISDIR)`);
        continue;
      }
      accessSync(path, constants.R_OK);
    } catch (err) {
      problems.push(`${name}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
}
