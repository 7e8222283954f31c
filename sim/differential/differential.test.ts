import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rabbitmqAvailable, startRabbitServer, type RabbitServer } from '../rabbitmq/server.ts';
import { ALLOWED_DIFFERENCES } from './allowList.ts';
import type { Case } from './case.ts';
import { ALL_CASES } from './cases/index.ts';
import { differences, sameObservations } from './compare.ts';
import { runOnEngine } from './engineRunner.ts';
import { runOnRabbit } from './rabbitRunner.ts';
import { readRecording, recordingPath, RECORDED_DIR } from './recorded.ts';

/**
 * Differential tests (issue 12): each case's expected outcome was recorded from a real RabbitMQ
 * 3.10 (`npm run record-rabbitmq`). (a) With rabbitmq-server installed, the cases are replayed
 * against a fresh broker and must still match their recordings, so a recording cannot drift from
 * reality. (b) Always, they are replayed against the engine, which must match except for the
 * documented differences in allowList.ts (each a row of the README's differences table).
 */
const README = new URL('../../README.md', import.meta.url).pathname;
const REQUIRE_RABBITMQ = process.env.QLAB_REQUIRE_RABBITMQ === '1';

function report(testCase: Case, lines: string[], hint: string): string {
  return [`case '${testCase.name}' (${testCase.about}) differs from RabbitMQ:`, ...lines.map((l) => `  ${l}`), hint].join('\n');
}

describe('differential cases and recordings', () => {
  it('case names are unique and each case has a recording (and each recording a case)', () => {
    const names = ALL_CASES.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((name) => !existsSync(recordingPath(name)))).toEqual([]);
    const recorded = readdirSync(RECORDED_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length));
    expect(recorded.filter((name) => !names.includes(name))).toEqual([]);
  });

  it('recordings came from RabbitMQ and describe the case as it is now', () => {
    for (const testCase of ALL_CASES) {
      const recording = readRecording(testCase.name);
      expect(recording.case).toBe(testCase.name);
      expect(recording.about, `${testCase.name}: re-record after editing a case`).toBe(testCase.about);
      expect(recording.recordedFrom).toMatch(/^RabbitMQ 3\.10\./);
    }
  });

  it('every allowed difference names a case and a row of the README differences table', () => {
    const readme = readFileSync(README, 'utf8');
    for (const [name, allowed] of Object.entries(ALLOWED_DIFFERENCES)) {
      expect(ALL_CASES.some((c) => c.name === name), `allow-list names unknown case ${name}`).toBe(true);
      expect(readme.includes(`\`${allowed.id}\``), `README.md has no \`${allowed.id}\` row`).toBe(true);
    }
  });
});

describe('the engine against RabbitMQ recordings', () => {
  it.each(ALL_CASES.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
    const recorded = readRecording(testCase.name).observations;
    const actual = runOnEngine(testCase);
    const allowed = ALLOWED_DIFFERENCES[testCase.name];
    if (allowed === undefined) {
      const lines = differences(recorded, actual);
      if (lines.length > 0) throw new Error(report(testCase, lines, 'not a documented difference: fix the engine (or, if RabbitMQ is wrong to copy here, document it in README and allowList.ts)'));
      return;
    }
    if (sameObservations(recorded, actual)) {
      throw new Error(`case '${testCase.name}' now matches RabbitMQ exactly: remove its allow-list entry (\`${allowed.id}\`)`);
    }
    if (allowed.engineExpects !== undefined) {
      const lines = differences(allowed.engineExpects(recorded), actual);
      if (lines.length > 0) throw new Error(report(testCase, lines, `beyond the documented difference \`${allowed.id}\` (RabbitMQ side shown as adjusted by that rule)`));
    }
  });
});

describe.runIf(rabbitmqAvailable())('RabbitMQ still behaves as recorded', () => {
  let server: RabbitServer;
  beforeAll(async () => {
    server = await startRabbitServer();
  }, 150_000);
  afterAll(async () => {
    await server?.stop();
  }, 30_000);

  it.each(ALL_CASES.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
    const recorded = readRecording(testCase.name).observations;
    let live = await runOnRabbit(server.url, testCase);
    // Real time on a shared machine: one retry separates a slow moment from a real change.
    if (!sameObservations(recorded, live)) live = await runOnRabbit(server.url, testCase);
    const lines = differences(recorded, live, ['recorded', 'live']);
    if (lines.length > 0) throw new Error(`case '${testCase.name}': the live broker no longer matches its recording (re-record with npm run record-rabbitmq):\n${lines.join('\n')}`);
  }, 30_000);
});

describe.skipIf(rabbitmqAvailable())('RabbitMQ unavailable', () => {
  it.runIf(REQUIRE_RABBITMQ)('QLAB_REQUIRE_RABBITMQ=1 but rabbitmq-server is not installed', () => {
    throw new Error('rabbitmq-server is required here (QLAB_REQUIRE_RABBITMQ=1): apt-get install rabbitmq-server');
  });
  if (!REQUIRE_RABBITMQ) {
    it.skip('live RabbitMQ replay skipped: rabbitmq-server is not installed (apt-get install rabbitmq-server; the engine comparisons still ran)', () => {});
  }
});
