import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Case, Observation } from './case.ts';

/** Where the outcomes recorded from a real RabbitMQ live: one JSON file per case, committed. */
export const RECORDED_DIR = new URL('./expected/', import.meta.url).pathname;

export interface Recording {
  case: string;
  about: string;
  /** The broker it was recorded from, e.g. "RabbitMQ 3.10.8". */
  recordedFrom: string;
  observations: Observation[];
}

export function recordingPath(name: string): string {
  return join(RECORDED_DIR, `${name}.json`);
}

/** Stable text: two-space JSON, a trailing newline; object keys in the order the runner builds them. */
export function recordingText(testCase: Case, recordedFrom: string, observations: Observation[]): string {
  const recording: Recording = { case: testCase.name, about: testCase.about, recordedFrom, observations };
  return `${JSON.stringify(recording, null, 2)}\n`;
}

export function writeRecording(testCase: Case, recordedFrom: string, observations: Observation[]): void {
  writeFileSync(recordingPath(testCase.name), recordingText(testCase, recordedFrom, observations));
}

export function readRecording(name: string): Recording {
  return JSON.parse(readFileSync(recordingPath(name), 'utf8')) as Recording;
}
