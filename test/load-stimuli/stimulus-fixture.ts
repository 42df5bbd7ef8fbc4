/** The committed stimulus-folder fixture and its expectation (scripts/fixtures/stimuli/make_stimuli.py). */
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../support/stage-context.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/stimuli/', import.meta.url));
export const FIXTURE_FOLDER = join(FIXTURES, 'folder');

export interface ExpectedImage {
  split: 'train' | 'test';
  image_id: string;
  file: string;
  bytes: number;
  sha256: string;
  format: 'JPEG' | 'PNG';
  pixels: number[];
}

export function readExpected(): { size: number; images: ExpectedImage[] } {
  return JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8'));
}

/** A private copy of the fixture folder that a test may break. */
export function fixtureCopy(): string {
  const dir = join(tempDir('pam-stimuli-'), 'folder');
  cpSync(FIXTURE_FOLDER, dir, { recursive: true });
  return dir;
}
