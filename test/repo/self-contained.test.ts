/**
 * The repository stands on its own: no text file in it names the checkout's absolute location (or the folder that
 * holds it) or points at reasoning kept outside the repository, and every `docs/…md` file that a file cites exists.
 * The reasoning lives in docs/ (index: docs/README.md), cited by repository path and section.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { projectRoot } from '../../src/paths/project-paths.js';

const root = projectRoot();

interface Line {
  file: string;
  number: number;
  text: string;
}

/** Committed files plus new ones git does not ignore (checked before their first commit), minus deleted ones. */
function repoFiles(): string[] | undefined {
  let listing: string;
  try {
    listing = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch {
    return undefined;
  }
  const files = new Set(listing.split('\0').filter((file) => file !== '' && file !== 'package-lock.json'));
  return [...files].filter((file) => existsSync(join(root, file)) && statSync(join(root, file)).isFile());
}

/** Every line of every text file; a NUL byte in the first 8000 bytes marks a binary file (git's own heuristic). */
function textLines(files: string[]): Line[] {
  const lines: Line[] = [];
  for (const file of files) {
    const bytes = readFileSync(join(root, file));
    if (bytes.subarray(0, 8000).includes(0)) continue;
    const texts = bytes.toString('utf8').split('\n');
    for (const [i, text] of texts.entries()) lines.push({ file, number: i + 1, text });
  }
  return lines;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `path` as a whole path: not preceded or followed by more name characters (`/x/ab` does not name `/x/a`). */
const wholePath = (path: string): RegExp => new RegExp(`(?<![\\w.-])${escapeRegExp(path)}(?![\\w.-])`);

/**
 * The forbidden references. The outside-reasoning patterns are assembled from pieces so that this file does not
 * match itself. The parent folder check is skipped for `/` and the temporary folders, which hold unrelated paths
 * (a recorded failure message names a `/tmp/…` test folder).
 */
function forbiddenPatterns(): { what: string; pattern: RegExp }[] {
  const parent = dirname(root);
  const sharedFolders = new Set(['/', '/tmp', resolve(tmpdir())]);
  return [
    { what: 'the repository root', pattern: wholePath(root) },
    ...(sharedFolders.has(parent) ? [] : [{ what: 'the folder holding the repository', pattern: wholePath(parent) }]),
    { what: 'notes outside the repository', pattern: new RegExp(escapeRegExp(['shared', 'notes'].join('/')), 'i') },
    { what: 'a folder beside the repository', pattern: new RegExp(escapeRegExp(['..', 'shared', ''].join('/')), 'i') },
    { what: 'instructions outside the repository', pattern: new RegExp(['task', 'brief'].join('\\s+'), 'i') },
  ];
}

const files = repoFiles();
const skip = files === undefined ? 'not a git checkout: git ls-files is unavailable' : false;

test('no file names this checkout’s absolute path or reasoning kept outside the repository', { skip }, () => {
  const patterns = forbiddenPatterns();
  const offences = textLines(files ?? []).flatMap(({ file, number, text }) =>
    patterns.filter(({ pattern }) => pattern.test(text)).map(({ what }) => `${file}:${number}: names ${what}: ${text.trim()}`),
  );
  assert.deepEqual(offences, [], 'cite docs/ by repository path instead');
});

test('every docs/…md file cited in the repository exists', { skip }, () => {
  const citation = /(?<![\w/.:-])docs\/([\w.-]+\.md)\b/g;
  const missing = textLines(files ?? []).flatMap(({ file, number, text }) =>
    [...text.matchAll(citation)]
      .filter((match) => !existsSync(join(root, 'docs', match[1] ?? '')))
      .map((match) => `${file}:${number}: cites ${match[0]}, which does not exist`),
  );
  assert.deepEqual(missing, []);
});
