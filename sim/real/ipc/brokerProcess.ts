import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scenario } from '../../scenario/schema.ts';
import type { BrokerChildConfig } from './brokerChild.ts';
import { encodeFrame, FrameDecoder, type Frame, type FrameType } from './frames.ts';

/** A child that did not start, or broke the protocol: the run stops with this message. */
export class BrokerChildError extends Error {
  override name = 'BrokerChildError';
}

/** Every child still alive, so none outlives this process (exit handler) or a test (killAllBrokerChildren). */
const living = new Set<ChildProcess>();
let exitHookInstalled = false;

/** How many broker children are alive (started and not yet exited). */
export function livingBrokerChildren(): number {
  return living.size;
}

export function killAllBrokerChildren(): void {
  for (const child of living) child.kill('SIGKILL');
  living.clear();
}

/** How long a child may take to start Node, load the engine and recover its log (a loaded machine is slow). */
const START_TIMEOUT_MS = 60_000;

/**
 * The parent's handle on one broker child process (brokerChild.ts): spawned, connected to over a
 * Unix socket in a private temporary directory, spoken to in frames. `ready` settles once the
 * child has recovered its log; frames other than `ready`/`error` go to `onFrame` until `kill()`,
 * after which nothing more is delivered (bytes still in the socket are from a dead broker).
 */
export class BrokerChild {
  readonly ready: Promise<{ recoveryMs: number }>;
  private socket: Socket | undefined;
  private dead = false;
  private stderr = '';
  private readonly process: ChildProcess;
  private readonly socketDir: string;

  constructor(
    broker: Scenario['broker'],
    logDir: string | null,
    private readonly onFrame: (frame: Frame) => void,
    /** The child died or broke the protocol after it was ready (not by kill()). */
    onFailure: (error: BrokerChildError) => void,
  ) {
    this.socketDir = mkdtempSync(join(tmpdir(), 'qlab-ipc-'));
    const config: BrokerChildConfig = { socketPath: join(this.socketDir, 'broker.sock'), logDir, broker, connectTimeoutMs: START_TIMEOUT_MS };
    const require = createRequire(import.meta.url);
    const entry = fileURLToPath(new URL('./brokerChild.ts', import.meta.url));
    this.process = spawn(process.execPath, ['--import', require.resolve('tsx'), entry, JSON.stringify(config)], { stdio: ['ignore', 'ignore', 'pipe'] });
    living.add(this.process);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.once('exit', killAllBrokerChildren);
    }
    this.process.stderr!.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-2000)));
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(`the broker child did not become ready within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
      let isReady = false;
      const fail = (message: string) => {
        clearTimeout(timer);
        void this.kill();
        const error = new BrokerChildError(`${message}${this.stderr ? `: ${this.stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`);
        if (isReady) onFailure(error);
        else reject(error);
      };
      this.process.once('exit', (code, signal) => {
        living.delete(this.process);
        if (!this.dead) fail(`the broker child exited (${signal ?? `code ${code}`})`);
      });
      this.connect(config.socketPath, (frame) => {
        if (frame.type === 'ready') {
          clearTimeout(timer);
          isReady = true;
          resolve({ recoveryMs: Number(frame.body.recoveryMs) });
        } else if (frame.type === 'error') fail(`the broker child reported: ${String(frame.body.message)}`);
        else this.onFrame(frame);
      }, fail);
    });
    this.ready.catch(() => undefined); // the owner awaits it; an unawaited rejection must not crash the process
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  send(type: FrameType, body: Record<string, unknown>): void {
    if (!this.dead) this.socket?.write(encodeFrame(type, body));
  }

  /**
   * SIGKILL: the broker gets no chance to flush or close anything, as in a power cut of the process.
   * Resolves once the process is gone.
   */
  kill(): Promise<void> {
    const gone = this.process.exitCode !== null || this.process.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    if (!this.dead) {
      this.dead = true;
      this.process.kill('SIGKILL');
      this.socket?.destroy();
      rmSync(this.socketDir, { recursive: true, force: true });
    }
    return gone;
  }

  /** The child listens only once Node has started: retry until it does. */
  private connect(path: string, handle: (frame: Frame) => void, fail: (message: string) => void): void {
    const attempt = () => {
      if (this.dead) return;
      const socket = connect(path);
      socket.once('error', () => setTimeout(attempt, 20));
      socket.once('connect', () => {
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        this.socket = socket;
        const decoder = new FrameDecoder();
        socket.on('error', () => undefined); // a killed child resets the socket; its exit is what counts
        socket.on('data', (chunk: Buffer) => {
          if (this.dead) return;
          let frames: Frame[];
          try {
            frames = decoder.push(chunk);
          } catch (error) {
            return fail(`broken frame from the broker child: ${(error as Error).message}`);
          }
          for (const frame of frames) if (!this.dead) handle(frame);
        });
      });
    };
    attempt();
  }
}
