/** Shared set-up for the Figshare tests: fixture files served by the look-alike, and a fast-retrying client. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FigshareClient } from '../../../src/data/figshare/figshare-client.js';
import type { FigshareLookalike, LookalikeFile } from '../../support/figshare-lookalike.js';

/** The real-format fixtures, with made-up Figshare file ids. */
export function fixtureFiles(): LookalikeFile[] {
  const names = [
    'b2g/StyleGAN_XL_MUA.mat',
    'b2g/StyleGAN_XL_w.pickle',
    'god/sub-01_perceptionNaturalImageTraining_original_VC.h5',
    'god/sub-01_perceptionNaturalImageTest_original_VC.h5',
    'god/sub-02_perceptionNaturalImageTraining_VC_v2.h5',
  ];
  return names.map((path, i) => ({ id: 900 + i, name: path.split('/')[1]!, bytes: readFileSync(join('fixtures/formats', path)) }));
}

export function testClient(lookalike: FigshareLookalike, overrides: { maxAttempts?: number; idleTimeoutMs?: number } = {}) {
  return new FigshareClient({
    apiBaseUrl: lookalike.apiBaseUrl,
    allowedHosts: [lookalike.storageHost],
    requestsPerSecond: 1000,
    retry: { maxAttempts: overrides.maxAttempts ?? 4, baseDelayMs: 5, maxDelayMs: 20 },
    pageSize: 2,
    idleTimeoutMs: overrides.idleTimeoutMs ?? 10_000,
  });
}

export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
