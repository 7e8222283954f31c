import pg from 'pg';

/**
 * Connecting to PostgreSQL for the broker's message store, with one clear error per way it fails.
 * This directory is the only place that imports the `pg` client: the browser bundle and the
 * engine's virtual-time paths never load it (engine/adapters/postgres/isolation.test.ts).
 */

/** A store that cannot be used as given (unreachable, refused, missing): the CLI prints its message and exits 2. */
export class PostgresStoreError extends Error {
  override readonly name = 'PostgresStoreError';
  /** What failed, for programs: 'unreachable', 'credentials', 'database', 'schema', 'version', 'url', 'query'. */
  readonly reason: PostgresFailure;
  constructor(reason: PostgresFailure, message: string) {
    super(message);
    this.reason = reason;
  }
}
export type PostgresFailure = 'unreachable' | 'credentials' | 'database' | 'schema' | 'version' | 'url' | 'query';

/** The URL as it may be printed: the password replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
  }
}

/** The config `pg` takes, from a postgres:// (or postgresql://) URL; anything else is refused. */
export function clientConfig(url: string, applicationName: string): pg.ClientConfig {
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new PostgresStoreError('url', `store URL ${redactUrl(url)}: not a postgres:// or postgresql:// URL`);
  }
  try {
    new URL(url);
  } catch {
    throw new PostgresStoreError('url', `store URL ${redactUrl(url)}: not a valid URL`);
  }
  return { connectionString: url, application_name: applicationName, connectionTimeoutMillis: 10_000 };
}

/** Opens one connection; the error, if any, says what failed and where (never the password). */
export async function connectPostgres(url: string, applicationName = 'qlab'): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(url, applicationName));
  // A connection that dies later reports through the query that meets it; this only stops an
  // 'error' event (server shutdown, killed backend) from crashing the process.
  client.on('error', () => {});
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    throw explainConnectError(error, url);
  }
}

/** One sentence naming what failed: the server, the credentials or the database. */
export function explainConnectError(error: unknown, url: string): PostgresStoreError {
  const where = redactUrl(url);
  const e = error as { code?: string; message?: string };
  const detail = e.message ?? String(error);
  switch (e.code) {
    case '28P01':
    case '28000':
      return new PostgresStoreError('credentials', `PostgreSQL at ${where} refused the credentials: ${detail}`);
    case '3D000':
      return new PostgresStoreError('database', `PostgreSQL at ${where}: ${detail} (create it first, e.g. createdb)`);
    case 'ECONNREFUSED':
    case 'ENOENT':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new PostgresStoreError('unreachable', `cannot reach PostgreSQL at ${where}: ${e.code} (is the server running and listening there?)`);
    default:
      if (/timeout/i.test(detail)) return new PostgresStoreError('unreachable', `cannot reach PostgreSQL at ${where}: ${detail}`);
      return new PostgresStoreError('query', `PostgreSQL at ${where}: ${detail}`);
  }
}
