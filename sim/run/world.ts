import { Broker, type DurableBrokerOptions, type MemoryDatabase, type TransactionalBrokerOptions } from '../../engine/index.ts';
import type { SimDisk } from '../disk/simDisk.ts';
import type { EventLoop } from '../kernel/eventLoop.ts';
import type { RandomStream } from '../random/streams.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { Network } from '../workload/network.ts';
import { FaultLog } from '../faults/faultLog.ts';
import { Lifetime } from './lifetime.ts';
import { declareTopology } from './topology.ts';
import type { Tracker } from './tracker.ts';
import { FlowBook } from '../workload/flowBook.ts';
import { postgresSettings } from './databaseStore.ts';

/**
 * The simulated system of one replication: the clock, the network, the disk, and the broker's life
 * cycle — started, crashed (its in-memory state gone, its unsynced writes lost), restarted from its
 * log. Clients ask the world for the live broker and its incarnation; a delivery tag or consumer of
 * an earlier incarnation is dead and must not be used.
 */
export class World {
  broker: Broker | undefined;
  /** Bumped at every start and crash. */
  incarnation = 0;
  private readonly onUp: (() => void)[] = [];
  readonly recoveryMs: number[] = [];
  crashes = 0;
  /** Client traffic on the wire (publishes, deliveries, acks): the run has not settled while any is. */
  inFlight = 0;
  /** A restart is scheduled or recovery is running. */
  restarting = false;
  /** Faults planned and fired, and the exact schedule (replaced by the replication that owns the world). */
  faultLog = new FaultLog();
  /** Why recovery refused to start the broker after an injected fault broke the disk's promise; it stays down. */
  recoveryRefused: string | undefined;
  /** The simulated database of a postgres-store scenario (it outlives broker crashes); undefined otherwise. */
  database: MemoryDatabase | undefined;
  /** A scheduled restart, until it starts. */
  private restartTimer: number | undefined;
  /** The run is over and a broker is being recovered only to judge loss: no client is told. */
  private judging = false;
  /** The broker process's clock: its timers must all be stopped by kill(), or they fail loudly as stale. */
  private process: Lifetime | undefined;

  constructor(
    readonly scenario: Scenario,
    readonly seed: number,
    readonly loop: EventLoop,
    readonly streams: RandomStream,
    readonly tracker: Tracker,
    readonly network: Network,
    readonly disk: SimDisk | undefined,
  ) {
    // Only pipelines and impatient messages need the flow book: a one-hop run pays nothing for it.
    const needed = scenario.consumers.some((c) => c.forward !== undefined) || scenario.producers.some((p) => p.patienceMs !== undefined);
    this.flows = needed ? new FlowBook(tracker) : undefined;
  }

  /** Pipeline flows and message patience (see FlowBook); undefined when the scenario has neither. */
  readonly flows: FlowBook | undefined;

  get up(): boolean {
    return this.broker !== undefined;
  }

  /** Calls `listener` every time a broker comes up (clients reconnect). */
  whenUp(listener: () => void): void {
    this.onUp.push(listener);
  }

  /** Starts (or restarts) the broker; a durable one recovers from the disk first, taking virtual time. */
  start(): void {
    this.restartTimer = undefined;
    const startedMs = this.loop.now();
    const durability = this.scenario.broker.durability;
    const random = this.streams.stream(`broker/${this.crashes}`);
    const clock = (this.process = new Lifetime(this.loop, `broker process ${this.crashes}`, this.seed));
    const ready = (broker: Broker) => {
      this.restarting = false;
      this.broker = broker;
      this.incarnation++;
      this.tracker.brokerStarted();
      // Clients declare what they need on every connect, as applications do.
      declareTopology(broker, this.scenario.broker);
      if (this.judging) return;
      if (this.crashes > 0) this.recoveryMs.push(this.loop.now() - startedMs);
      for (const listener of this.onUp) listener();
    };
    const store = this.storeOptions();
    if (durability === undefined || store === undefined) {
      ready(new Broker({ clock, random, observer: this.tracker }));
      return;
    }
    this.restarting = true;
    // A broker cannot start while its database is down: it connects once the database is back.
    if (this.database !== undefined && !this.database.up) {
      this.process.abandon();
      this.restartTimer = this.loop.setTimer(this.database.upAtMs, () => this.start());
      return;
    }
    Broker.recover(
      { clock, random, observer: this.tracker, ...store },
      (error, broker) => {
        if ((error || broker === null) && this.faultLog.voidedPromises.length > 0) {
          // The disk was made to lie or corrupt: refusing a damaged log is the engine doing its job.
          this.recoveryRefused = `${error?.message} (after injected ${this.faultLog.voidedPromises.join(', ')})`;
          return;
        }
        if (error || broker === null) throw new Error(`broker recovery failed at ${this.loop.now()} ms (seed ${this.seed}): ${error?.message}`);
        ready(broker);
      },
    );
  }

  /** Where a durable broker keeps its state: the simulated disk (the log) or a new connection to the simulated database. */
  private storeOptions(): Omit<DurableBrokerOptions, 'clock'> | Omit<TransactionalBrokerOptions, 'clock'> | undefined {
    const durability = this.scenario.broker.durability;
    if (durability === undefined) return undefined;
    const postgres = postgresSettings(this.scenario);
    if (postgres !== undefined) {
      // Never fall back to the log silently: a mode without a database (yet) must say so.
      if (this.database === undefined) throw new Error('broker.durability.store "postgres": this run has no database to put the store in');
      return { backend: this.database.connect(), commit: postgres.commit, groupMaxOps: postgres.groupMaxOps, groupMs: postgres.groupMs };
    }
    if (this.disk === undefined) return undefined;
    return { storage: this.disk, fsync: durability.fsync, batchMs: durability.batchMs, batchRecords: durability.batchRecords, segmentBytes: durability.segmentBytes };
  }

  /**
   * The database server crashes (postgres store only): it loses its unflushed asynchronous commits
   * and is down for `downMs`. The broker loses its connection with it and goes down too — what it
   * holds in memory may no longer be in the database — and reloads the committed state once the
   * database is back, as a RabbitMQ vhost restarts when its message store fails. Meanwhile
   * publishes find it unavailable; commits in flight are never confirmed.
   */
  databaseCrash(downMs: number, beforeBrokerDown: () => void): boolean {
    if (this.database === undefined) return false;
    this.database.crash(downMs);
    if (this.broker !== undefined) {
      beforeBrokerDown();
      this.crash(downMs);
    }
    return true;
  }

  /** A crash: the broker process dies, the disk loses what was not synced; restart after `downMs`. */
  crash(downMs: number): void {
    if (this.broker === undefined) return;
    this.broker.kill();
    this.process?.abandon();
    this.broker = undefined;
    this.incarnation++;
    this.crashes++;
    this.disk?.crash();
    this.tracker.brokerCrashed(this.loop.now());
    this.restarting = true;
    this.restartTimer = this.loop.after(downMs, () => this.start());
  }

  /**
   * After the run: brings a down broker back now (or lets a running recovery finish) without telling
   * any client, so loss can be judged on what a recovered broker holds. Returns false when there is
   * nothing to do (the broker is up).
   */
  recoverForJudgement(): boolean {
    if (this.broker !== undefined && !this.restarting) return false;
    this.judging = true;
    if (this.restartTimer !== undefined) {
      this.loop.cancelTimer(this.restartTimer);
      this.start();
    }
    return true;
  }
}
