import { RecordType, type EnqueueRecord, type Topology } from '../records.ts';
import { sameBinding } from '../replay.ts';
import type { CommittedState, TxOp } from './backend.ts';

/**
 * The committed state a database holds, built by applying transactions' ops in commit order with
 * exactly the log's replay rules (engine/durable/replay.ts): a Deliver counts a delivery (so the
 * message comes back redelivered), a Settle or its queue's deletion removes the message, topology
 * ops replace by name. Shared by the in-memory backend and the simulated database, and a reference
 * for what the PostgreSQL tables must read back as.
 */
export class CommittedStateBuilder {
  private topology: Topology = { exchanges: [], queues: [], bindings: [] };
  private readonly messages = new Map<number, EnqueueRecord>();
  // As the file log (replay.ts) and PostgreSQL (schema.ts) number them: logIds start at 1.
  private nextLogId = 1;

  static from(state: CommittedState): CommittedStateBuilder {
    const builder = new CommittedStateBuilder();
    builder.topology = structuredClone(state.topology);
    for (const m of state.messages) builder.messages.set(m.logId, { ...m });
    builder.nextLogId = state.nextLogId;
    return builder;
  }

  /** Unsettled messages held (of any queue). */
  get messageCount(): number {
    return this.messages.size;
  }

  applyAll(ops: readonly TxOp[]): void {
    for (const op of ops) this.apply(op);
  }

  apply(op: TxOp): void {
    const t = this.topology;
    switch (op.type) {
      case RecordType.DeclareExchange:
        this.topology = { ...t, exchanges: [...t.exchanges.filter((e) => e.name !== op.exchange.name), op.exchange] };
        return;
      case RecordType.DeleteExchange:
        this.topology = { ...t, exchanges: t.exchanges.filter((e) => e.name !== op.name), bindings: t.bindings.filter((b) => b.exchange !== op.name) };
        return;
      case RecordType.DeclareQueue:
        this.topology = { ...t, queues: [...t.queues.filter((q) => q.name !== op.queue.name), op.queue] };
        return;
      case RecordType.DeleteQueue:
        this.topology = { ...t, queues: t.queues.filter((q) => q.name !== op.name), bindings: t.bindings.filter((b) => b.queue !== op.name) };
        for (const [id, m] of this.messages) if (m.queue === op.name) this.messages.delete(id);
        return;
      case RecordType.Bind:
        if (!t.bindings.some((b) => sameBinding(b, op.binding))) this.topology = { ...t, bindings: [...t.bindings, op.binding] };
        return;
      case RecordType.Unbind:
        this.topology = { ...t, bindings: t.bindings.filter((b) => !sameBinding(b, op.binding)) };
        return;
      case RecordType.Enqueue:
        // A copy: the backend's state must not change when the broker's objects do.
        this.messages.set(op.message.logId, { ...op.message });
        this.nextLogId = Math.max(this.nextLogId, op.message.logId + 1);
        return;
      case RecordType.Deliver: {
        const m = this.messages.get(op.logId);
        if (m !== undefined) m.deliveryCount++;
        return;
      }
      case RecordType.Settle:
        this.messages.delete(op.logId);
        return;
      default:
        return; // Commit, Close, Seal, Compacted belong to the file log: nothing to keep
    }
  }

  /** A deep copy, safe to hand to a broker: unsettled messages of durable queues in logId order. */
  snapshot(): CommittedState {
    const durable = new Set(this.topology.queues.map((q) => q.name));
    const messages = [...this.messages.values()].filter((m) => durable.has(m.queue)).sort((a, b) => a.logId - b.logId).map((m) => ({ ...m }));
    return { topology: structuredClone(this.topology), messages, nextLogId: this.nextLogId };
  }
}
