/**
 * queuelab's queue engine: an AMQP 0-9-1 style broker (RabbitMQ's words and behaviour) that takes
 * its clock, randomness and storage as parameters, so it runs the same in real time and under the
 * simulator.
 */
export { QueueOptionsSchema, ExchangeOptionsSchema, ConsumeOptionsSchema } from './options.ts';
export { Broker, type DurableBrokerOptions, type OpenOptions, type PublishOutcome, type TransactionalBrokerOptions } from './broker.ts';
export type { FsyncPolicy } from './durable/messageLog.ts';
export type { CommitDurability, CommittedState, TxBackend, TxOp } from './durable/txStore/backend.ts';
export { commitPolicy, DEFAULT_COMMIT_POLICY, type CommitPolicy } from './durable/txStore/commitPolicy.ts';
export { CommittedStateBuilder } from './durable/txStore/committedState.ts';
export { MemoryDatabase, type MemoryDatabaseOptions } from './durable/txStore/memoryBackend.ts';
export { LogCorruptionError, type RecoveryReport, type RepairAction } from './durable/recovery.ts';
export type { Storage, Done } from './storage.ts';
export { StorageError } from './storage.ts';
export { EngineError, type EngineErrorCode } from './errors.ts';
export type { Clock, TimerId } from './clock.ts';
export type { Random } from './random.ts';
export type { Binding } from './routing/exchange.ts';
export { RealClock } from './adapters/realClock.ts';
export { shortValue, truncateQuoted } from './quoting.ts';
export { CryptoRandom } from './adapters/cryptoRandom.ts';
export { FileStorage } from './adapters/fileStorage.ts';
export type {
  BrokerObserver,
  BrokerOptions,
  ConfirmCallback,
  ConsumeOptions,
  DeathEntry,
  DeathReason,
  Delivery,
  ExchangeOptions,
  ExchangeType,
  HeaderValue,
  MessageProperties,
  OverflowPolicy,
  PublishResult,
  QueueInfo,
  QueueOptions,
  RetryPolicy,
} from './types.ts';
