import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import amqp from 'amqplib';

/**
 * Debian's start script (the /usr/sbin wrapper would switch to the `rabbitmq` user, who cannot read
 * our temp dir); QLAB_RABBITMQ_SERVER overrides it (another install, or a missing path to try the skip).
 */
export const RABBITMQ_SERVER_SCRIPT = process.env.QLAB_RABBITMQ_SERVER ?? '/usr/lib/rabbitmq/bin/rabbitmq-server';

export interface RabbitServer {
  /** `amqp://guest:guest@127.0.0.1:<port>` */
  readonly url: string;
  readonly amqpPort: number;
  readonly nodeName: string;
  /** Wall time from spawn to the first accepted AMQP connection. */
  readonly startupMs: number;
  /** A shell command running `rabbitmqctl <args>` against this node (its cookie, epmd port and name). */
  ctl(args: string): string;
  /** Stops the node (SIGTERM, then SIGKILL after a grace period) and deletes its directory. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Give up waiting for AMQP after this long (default 120 s: a cold boot took up to 30 s on a busy 2-core machine). */
  timeoutMs?: number;
  /** Called with each line the server prints (for debugging a failed start). */
  onOutput?: (line: string) => void;
}

/** Whether Debian's rabbitmq-server is installed here. */
export function rabbitmqAvailable(): boolean {
  return existsSync(RABBITMQ_SERVER_SCRIPT);
}

/** A port nobody listens on right now, picked by the kernel (so parallel instances never collide). */
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

/**
 * Everything the node reads comes from a fresh directory: its own config (AMQP on 127.0.0.1 only),
 * no plugins, its own Erlang cookie (HOME), its own epmd on a private loopback port, and the
 * Erlang distribution bound to loopback. Nothing under /etc/rabbitmq or /var/lib/rabbitmq is used.
 */
function serverEnv(dir: string, nodeName: string, amqpPort: number, distPort: number, epmdPort: number): NodeJS.ProcessEnv {
  const configFile = join(dir, 'rabbitmq.conf');
  writeFileSync(configFile, [`listeners.tcp.1 = 127.0.0.1:${amqpPort}`, 'log.console = true', 'log.console.level = warning', 'log.file = false', ''].join('\n'));
  writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
  writeFileSync(join(dir, '.erlang.cookie'), `qlab${process.pid}${Date.now()}`, { mode: 0o400 });
  return {
    PATH: process.env.PATH,
    LANG: 'C.UTF-8',
    HOME: dir,
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(amqpPort),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_CONFIG_FILE: configFile,
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
    RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_PID_FILE: join(dir, 'rabbit.pid'),
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    ERL_EPMD_PORT: String(epmdPort),
    ERL_EPMD_ADDRESS: '127.0.0.1',
  };
}

/**
 * Starts a private RabbitMQ node on loopback with a temporary data directory and resolves once it
 * accepts an AMQP connection. Always call `stop()` (also when tests fail).
 */
export async function startRabbitServer(options: StartOptions = {}): Promise<RabbitServer> {
  if (!rabbitmqAvailable()) throw new Error(`rabbitmq-server is not installed (${RABBITMQ_SERVER_SCRIPT} missing)`);
  const timeoutMs = options.timeoutMs ?? 120_000;
  const dir = mkdtempSync(join(tmpdir(), 'qlab-rabbitmq-'));
  const [amqpPort, distPort, epmdPort] = [await freePort(), await freePort(), await freePort()];
  const nodeName = `qlab${process.pid}x${amqpPort}@localhost`;
  const startedAt = performance.now();
  const child = spawn(RABBITMQ_SERVER_SCRIPT, [], {
    env: serverEnv(dir, nodeName, amqpPort, distPort, epmdPort),
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      output.push(line);
      if (output.length > 200) output.shift();
      options.onOutput?.(line);
    }
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const url = `amqp://guest:guest@127.0.0.1:${amqpPort}`;
  const stop = () => stopServer(child, dir, epmdPort);
  try {
    await waitForAmqp(url, child, timeoutMs);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\nlast server output:\n${output.slice(-30).join('\n')}`);
  }
  const ctlScript = join(dirname(RABBITMQ_SERVER_SCRIPT), 'rabbitmqctl');
  const ctl = (args: string) => `env HOME='${dir}' ERL_EPMD_PORT=${epmdPort} '${ctlScript}' -n '${nodeName}' ${args}`;
  return { url, amqpPort, nodeName, startupMs: Math.round(performance.now() - startedAt), ctl, stop };
}

async function waitForAmqp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `rabbitmq-server exited early (code ${code}, signal ${signal})`));
  for (;;) {
    if (exited !== undefined) throw new Error(exited);
    try {
      const connection = await amqp.connect(url);
      await connection.close();
      return;
    } catch {
      if (performance.now() > deadline) throw new Error(`rabbitmq-server did not accept AMQP on ${url} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

async function stopServer(child: ChildProcess, dir: string, epmdPort: number): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // The start script traps TERM and stops the node cleanly; the whole group gets KILL if that stalls.
    signalGroup(child, 'SIGTERM');
    const stalled = await Promise.race([exited.then(() => false), sleep(15_000).then(() => true)]);
    if (stalled) {
      signalGroup(child, 'SIGKILL');
      await exited;
    }
  }
  // Our private epmd (started by erl on our port) outlives the node; only this one is stopped.
  spawnSync('epmd', ['-port', String(epmdPort), '-kill'], { env: { ...process.env, ERL_EPMD_PORT: String(epmdPort) }, stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
