import { describe, expect, it } from 'vitest';
import { Broker } from './broker.ts';
import { EngineError } from './errors.ts';
import { shortValue, truncateQuoted } from './quoting.ts';
import { RealClock } from './adapters/realClock.ts';
import { CryptoRandom } from './adapters/cryptoRandom.ts';

const huge = 'x'.repeat(10 * 1024 * 1024);

describe('error messages quote huge values short', () => {
  it('a quoted value over 100 characters keeps its start and says how long it was', () => {
    expect(truncateQuoted(`no exchange '${huge}'`)).toBe(`no exchange '${'x'.repeat(100)}…(10,485,760 chars)'`);
    expect(truncateQuoted(`path "${huge}": unknown`)).toBe(`path "${'x'.repeat(100)}…(10,485,760 chars)": unknown`);
    expect(truncateQuoted(`$["${huge}"]: unknown`).length).toBeLessThan(300);
    expect(shortValue('short')).toBe('short');
    const once = truncateQuoted(`no queue '${huge}'`);
    expect(truncateQuoted(once)).toBe(once);
  });

  it('short messages, short quotes, apostrophes in prose and ordinary paths are left alone', () => {
    const prose = `bind: the default exchange's bindings are implicit and cannot be changed; queue 'work' in /tmp/${'a'.repeat(150)}/s.json`;
    expect(truncateQuoted(prose)).toBe(prose);
    expect(truncateQuoted(`queue 'a' and queue 'b'`)).toBe(`queue 'a' and queue 'b'`);
  });

  it('an unquoted run of 10 MB is cut too', () => {
    expect(truncateQuoted(`got ${huge} here`).length).toBeLessThan(300);
  });

  it('an engine error about a 10 MB name is one short line', () => {
    const broker = new Broker({ clock: new RealClock(), random: new CryptoRandom() });
    let error: unknown;
    try {
      broker.publish(huge, 'k', new Uint8Array(0));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as Error).message.length).toBeLessThan(200);
    expect((error as Error).message).toMatch(/^no exchange 'x{100}…\(10,485,760 chars\)'$/);
    broker.close();
  });
});
