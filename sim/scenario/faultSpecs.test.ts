import { describe, expect, it } from 'vitest';
import { parseScenario } from './load.ts';

const withFaults = (faults: unknown[]) => ({
  name: 'faults',
  durationSec: 10,
  producers: [{ routingKey: 'q', arrivals: { process: 'poisson', ratePerSec: 1 } }],
  broker: { queues: [{ name: 'q' }] },
  consumers: [{ queue: 'q', count: 2, serviceTimeMs: { dist: 'exponential', mean: 1 } }],
  faults,
});

const errorsOf = (faults: unknown[]) => {
  const r = parseScenario(withFaults(faults), 'f.json');
  return r.ok ? [] : r.errors;
};

describe('the new fault kinds validate with errors naming the field', () => {
  it('accepts each kind written as the README shows it', () => {
    expect(
      errorsOf([
        { kind: 'disk-lie', fromSec: 1, toSec: 2, probability: 0.5 },
        { kind: 'disk-corrupt', mode: 'misdirect', atSec: [3] },
        { kind: 'disk-error', error: 'ENOSPC', op: 'append', atSec: [4] },
        { kind: 'partition', between: 'producers-broker', direction: 'from-broker', fromSec: 1, toSec: 2 },
        { kind: 'partition', between: 'broker-consumers', mode: 'delay', fromSec: 1, toSec: 2 },
        { kind: 'pause', process: 'consumer', consumer: 1, atSec: [1], durationSec: 0.2 },
        { kind: 'broker-crash', atMs: [100, 200], downMs: [5, 6] },
      ]),
    ).toEqual([]);
  });

  it('refuses what makes no sense, naming the path', () => {
    expect(errorsOf([{ kind: 'disk-lie', atSec: [1], fromSec: 1 }])).toEqual(['f.json: $.faults[0].atSec: give either atSec or fromSec (with optional toSec and probability)']);
    expect(errorsOf([{ kind: 'disk-lie' }])[0]).toMatch(/\$\.faults\[0\]\.atSec: give either atSec or fromSec/);
    expect(errorsOf([{ kind: 'disk-error', fromSec: 3, toSec: 2 }])).toEqual(['f.json: $.faults[0].toSec: must be ≥ fromSec']);
    expect(errorsOf([{ kind: 'disk-error', atSec: [1], probability: 0.5 }])[0]).toMatch(/\$\.faults\[0\]\.toSec: toSec and probability go with fromSec/);
    expect(errorsOf([{ kind: 'pause', process: 'consumer', atSec: [1], durationSec: 1 }])).toEqual(['f.json: $.faults[0].consumer: say which consumer instance pauses']);
    expect(errorsOf([{ kind: 'pause', process: 'consumer', consumer: 2, atSec: [1], durationSec: 1 }])).toEqual(['f.json: $.faults[0].consumer: there are only 2 consumer instances']);
    expect(errorsOf([{ kind: 'partition', between: 'broker-consumers', direction: 'to-broker', fromSec: 1, toSec: 2 }])[0]).toMatch(/\$\.faults\[0\]\.direction: a one-way cut/);
    expect(errorsOf([{ kind: 'broker-crash', atMs: [1, 2], downMs: [1] }])[0]).toMatch(/\$\.faults\[0\]\.downMs: atMs and downMs go together/);
    expect(errorsOf([{ kind: 'broker-crash', atMs: [1], downMs: [1], mtbfSec: 3 }])[0]).toMatch(/exactly one of atSec, mtbfSec or atMs/);
    expect(errorsOf([{ kind: 'disk-lie', atSec: [1], lies: true }])[0]).toMatch(/\$\.faults\[0\]: unknown field 'lies'/);
  });
});
