/**
 * `npm run record-rabbitmq [case-name…]`: starts a private RabbitMQ (Debian's rabbitmq-server, on
 * loopback, temporary directory), replays the differential cases against it and writes what it
 * observed to sim/differential/expected/<case>.json. Commit the result.
 */
import { mkdirSync } from 'node:fs';
import amqp from 'amqplib';
import { startRabbitServer } from '../rabbitmq/server.ts';
import { ALL_CASES } from './cases/index.ts';
import { runOnRabbit } from './rabbitRunner.ts';
import { RECORDED_DIR, writeRecording } from './recorded.ts';

/** "RabbitMQ 3.10.8", from the server's connection.start properties. */
export async function brokerVersion(url: string): Promise<string> {
  const connection = await amqp.connect(url);
  const { product, version } = connection.connection.serverProperties;
  await connection.close();
  return `${product} ${version}`;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !ALL_CASES.some((c) => c.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`record-rabbitmq: no case named ${unknown.join(', ')}\n`);
    process.exit(2);
  }
  const cases = wanted.length === 0 ? ALL_CASES : ALL_CASES.filter((c) => wanted.includes(c.name));
  process.stderr.write('starting rabbitmq-server on loopback…\n');
  const server = await startRabbitServer();
  try {
    const version = await brokerVersion(server.url);
    process.stderr.write(`${version} up in ${server.startupMs} ms on port ${server.amqpPort}\n`);
    mkdirSync(RECORDED_DIR, { recursive: true });
    const startedAt = performance.now();
    for (const testCase of cases) {
      const observations = await runOnRabbit(server.url, testCase);
      writeRecording(testCase, version, observations);
      process.stderr.write(`  recorded ${testCase.name} (${observations.length} observations)\n`);
    }
    process.stderr.write(`recorded ${cases.length} cases in ${Math.round(performance.now() - startedAt)} ms\n`);
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    process.stderr.write(`record-rabbitmq: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
