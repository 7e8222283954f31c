import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';
import { storageConformance } from '../storage.conformance.ts';
import { FileStorage } from './fileStorage.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('FileStorage conforms to the Storage contract', () => {
  storageConformance(() => {
    const dir = mkdtempSync(join(tmpdir(), 'qlab-storage-'));
    dirs.push(dir);
    return { storage: new FileStorage(dir), pump: () => {} };
  });
});
