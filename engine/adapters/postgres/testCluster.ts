import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * A throwaway PostgreSQL cluster for tests and calibration: initdb into a fresh temporary
 * directory, a server on 127.0.0.1 with a port the kernel picked (and its Unix socket in that
 * directory), fsync on, then stopped and deleted. Nothing under /etc/postgresql or
 * /var/lib/postgresql is used, and the system's own cluster (if any) is never touched.
 *
 * initdb and postgres refuse to run as root, so when we are root the directory is handed to an
 * unprivileged user (`postgres` as Debian's package creates it, else `nobody`) and the server
 * binaries run as that user through runuser.
 */

/** Set to 1 (CI) to fail, not skip, when no PostgreSQL server binaries are found. */
export const REQUIRE_POSTGRES = process.env.QLAB_REQUIRE_POSTGRES === '1';

/**
 * The directory holding initdb, pg_ctl and postgres: QLAB_POSTGRES_BIN, else Debian's newest
 * /usr/lib/postgresql/<version>/bin, else the directory of an initdb found on PATH.
 */
export function findPostgresBin(): string | undefined {
  const complete = (dir: string) => ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(join(dir, b)));
  const override = process.env.QLAB_POSTGRES_BIN;
  if (override !== undefined) return complete(override) ? override : undefined;
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (complete(join(debian, v, 'bin'))) return join(debian, v, 'bin');
  }
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir !== '' && complete(dir)) return dir;
  return undefined;
}

/** Why the PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresUnavailableReason(): string | undefined {
  if (findPostgresBin() !== undefined) return undefined;
  return 'no PostgreSQL server binaries (initdb, pg_ctl, postgres) found: apt-get install postgresql, or set QLAB_POSTGRES_BIN';
}

export interface TestCluster {
  /** `postgres://qlab:<password>@127.0.0.1:<port>/postgres`, password authentication over TCP. */
  readonly url: string;
  readonly port: number;
  readonly password: string;
  /** The data directory (for tests that look inside). */
  readonly dataDir: string;
  /** A URL for another database, user or password on this cluster. */
  urlFor(parts: { database?: string; user?: string; password?: string }): string;
  /** pg_ctl stop: 'fast' is a clean shutdown; 'immediate' is a database crash (no checkpoint, WAL replayed at the next start). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts the server again on the same port and data (after stop). */
  start(): Promise<void>;
  /** Stops the server if it runs (immediate) and deletes the whole directory. Always call it. */
  destroy(): Promise<void>;
}

export interface ClusterOptions {
  /** postgresql.conf settings added to the defaults below (e.g. { wal_writer_delay: '10ms' }). */
  settings?: Record<string, string>;
}

function run(file: string, args: string[], timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, env: { PATH: process.env.PATH, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stderr}${stdout}`));
      else resolve(stdout);
    });
  });
}

/** A port nobody listens on right now, picked by the kernel. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a server binary as the unprivileged owner of the directory when we are root. */
function asOwner(bin: string, args: string[], user: string | undefined): [string, string[]] {
  return user === undefined ? [bin, args] : ['runuser', ['-u', user, '--', bin, ...args]];
}

function unprivilegedUser(): { name: string; uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n').map((l) => l.split(':'));
  for (const name of ['postgres', 'nobody']) {
    const row = passwd.find((r) => r[0] === name);
    if (row !== undefined) return { name, uid: Number(row[2]), gid: Number(row[3]) };
  }
  throw new Error('running as root, and neither a postgres nor a nobody user exists to run initdb as');
}

/** initdb + start; resolves once the server accepts connections. Always call destroy(). */
export async function startTestCluster(options: ClusterOptions = {}): Promise<TestCluster> {
  const bin = findPostgresBin();
  if (bin === undefined) throw new Error(postgresUnavailableReason());
  const owner = unprivilegedUser();
  const dir = mkdtempSync(join(tmpdir(), 'qlab-postgres-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const password = randomBytes(12).toString('hex');
  const pwFile = join(dir, 'pw');
  writeFileSync(pwFile, `${password}\n`);
  writeFileSync(logFile, '');
  if (owner !== undefined) {
    for (const path of [dir, pwFile, logFile]) chownSync(path, owner.uid, owner.gid);
  }
  chmodSync(dir, 0o700);
  const port = await freePort();
  const pgCtl = (args: string[]) => run(...asOwner(join(bin, 'pg_ctl'), args, owner?.name));
  const destroy = async () => {
    if (existsSync(join(dataDir, 'postmaster.pid'))) await pgCtl(['stop', '-D', dataDir, '-m', 'immediate', '-w']).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await run(...asOwner(join(bin, 'initdb'), ['-D', dataDir, '-U', 'qlab', `--pwfile=${pwFile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-instructions', '--no-sync'], owner?.name));
    const settings: Record<string, string> = {
      listen_addresses: "'127.0.0.1'",
      port: String(port),
      unix_socket_directories: `'${dir}'`,
      fsync: 'on',
      synchronous_commit: 'on',
      max_connections: '30',
      shared_buffers: '32MB',
      logging_collector: 'off',
      ...options.settings,
    };
    appendFileSync(join(dataDir, 'postgresql.conf'), `\n# qlab test cluster\n${Object.entries(settings).map(([k, v]) => `${k} = ${v}`).join('\n')}\n`);
    const start = () => pgCtl(['start', '-D', dataDir, '-l', logFile, '-w', '-t', '120']).then(() => {});
    await start();
    const urlFor = (parts: { database?: string; user?: string; password?: string }) =>
      `postgres://${encodeURIComponent(parts.user ?? 'qlab')}:${encodeURIComponent(parts.password ?? password)}@127.0.0.1:${port}/${encodeURIComponent(parts.database ?? 'postgres')}`;
    return {
      url: urlFor({}),
      port,
      password,
      dataDir,
      urlFor,
      stop: (mode = 'fast') => pgCtl(['stop', '-D', dataDir, '-m', mode, '-w', '-t', '120']).then(() => {}),
      start,
      destroy,
    };
  } catch (error) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n') : '';
    await destroy();
    throw new Error(`${(error as Error).message}\nlast server log lines:\n${log}`);
  }
}
