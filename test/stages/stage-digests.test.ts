/**
 * A stage's code cannot change under an unchanged codeVersion (which enters its cache key: src/stages/stage-spec.ts)
 * without this test failing: every stage's source digest is recomputed and held against the committed table. The
 * probes show that the check bites and what it prints, on a temporary copy of src/ (never the real tree), and that
 * comments and formatting are not code changes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectRoot } from '../../src/paths/project-paths.js';
import { stageCatalog } from '../../src/stages/catalog.js';
import { stageDigestProblems } from '../../scripts/stage-digests/digest-check.js';
import { computeStageDigests, readStageDigests, STAGE_DIGESTS_FILE } from '../../scripts/stage-digests/digest-table.js';
import { ModuleClosure } from '../../scripts/stage-digests/module-closure.js';
import { sourceFacts } from '../../scripts/stage-digests/source-file.js';

const root = projectRoot();
const stages = [...stageCatalog.values()];

test('every stage runs the code recorded in the table under its codeVersion', () => {
  const problems = stageDigestProblems(readStageDigests(join(root, STAGE_DIGESTS_FILE)), computeStageDigests(join(root, 'src'), stages));
  assert.deepEqual(problems, [], `\n${problems.join('\n\n')}\n`);
});

/** A copy of src/ in a temporary folder, the digests of its unedited state, and a way to edit a file in it. */
function srcCopy(t: { after: (fn: () => void) => void }) {
  const dir = mkdtempSync(join(tmpdir(), 'stage-digests-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const src = join(dir, 'src');
  cpSync(join(root, 'src'), src, { recursive: true });
  const edit = (path: string, change: (text: string) => string) =>
    writeFileSync(join(dir, path), change(readFileSync(join(dir, path), 'utf8')));
  return { src, recorded: computeStageDigests(src, stages), edit };
}

test('a code edit under an unchanged codeVersion fails, naming the stage, the file and both ways out', (t) => {
  const copy = srcCopy(t);
  copy.edit('src/stages/evaluate/runner.ts', (text) => `${text}\nexport const probe = 1;\n`);
  const problems = stageDigestProblems(copy.recorded, computeStageDigests(copy.src, stages));
  assert.equal(problems.length, 1, problems.join('\n\n'));
  const [problem] = problems as [string];
  const version = stageCatalog.get('evaluate')!.codeVersion;
  assert.ok(problem.startsWith(`stage 'evaluate': its code changed but its codeVersion is still '${version}'`), problem);
  assert.match(problem, /changed: src\/stages\/evaluate\/runner\.ts\n/);
  assert.match(problem, /bump codeVersion in src\/stages\/evaluate\/spec\.ts/);
  assert.match(problem, /preserves behaviour .*re-record with `npm run record-stage-digests` in the same commit/);
});

test('a module loaded only as a worker thread counts as the stage’s code', (t) => {
  const copy = srcCopy(t);
  copy.edit('src/training/decoder-thread.ts', (text) => `${text}\nexport const probe = 1;\n`);
  const problems = stageDigestProblems(copy.recorded, computeStageDigests(copy.src, stages));
  assert.deepEqual(
    problems.map((problem) => problem.split(':')[0]),
    ["stage 'train'"],
  );
  assert.match(problems[0]!, /changed: src\/training\/decoder-thread\.ts\n/);
});

test('a comment-only edit of a runner is not a code change', (t) => {
  const copy = srcCopy(t);
  // Its template literals are one line each, so every line that ends a statement ends outside a literal.
  copy.edit('src/stages/train/runner.ts', (text) => `/* a new block comment */\n${text.replace(/;\n/g, ';\n\n  // a new line comment\n')}`);
  assert.deepEqual(stageDigestProblems(copy.recorded, computeStageDigests(copy.src, stages)), []);
});

test('re-wrapping by the formatter is not a code change: trailing commas, indentation, quote style', () => {
  const digest = (text: string) => sourceFacts('probe.ts', text).digest;
  const oneLine = "const x = f(a, [b, c], { d: 1 }, 'e');";
  assert.equal(digest(oneLine), digest('const x = f(\n  a,\n  [\n    b,\n    c,\n  ],\n  {\n    d: 1,\n  },\n  "e",\n);\n'));
  assert.notEqual(digest('const x = [a, , ];'), digest('const x = [a, ];'), 'an array hole is code');
});

test('a bumped codeVersion without re-recording asks to re-record the table as well', (t) => {
  const copy = srcCopy(t);
  const bumped = stages.map((spec) => ({
    kind: spec.kind,
    codeVersion: spec.kind === 'train' ? `${spec.codeVersion}.1` : spec.codeVersion,
  }));
  const problems = stageDigestProblems(copy.recorded, computeStageDigests(copy.src, bumped));
  assert.equal(problems.length, 1);
  const version = stageCatalog.get('train')!.codeVersion;
  const start = `stage 'train': codeVersion is '${version}.1' in src/stages/train/spec.ts, but ${STAGE_DIGESTS_FILE} records '${version}'`;
  assert.ok(problems[0]!.startsWith(start), problems[0]);
  assert.match(problems[0]!, /re-record the table with `npm run record-stage-digests` in the same commit as the bump/);
});

test('the tokens are read in context: code after a regular expression or template literal still counts', () => {
  const digest = (text: string) => sourceFacts('probe.ts', text).digest;
  const regex = 'const r = /\\/\\//g; const a = 1;';
  assert.notEqual(digest(regex), digest(regex.replace('a = 1', 'a = 2')));
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the probe is TypeScript source that holds a template literal.
  const template = 'const t = `${x} // not a comment`; const a = 1;';
  assert.notEqual(digest(template), digest(template.replace('a = 1', 'a = 2')));
  assert.notEqual(digest("f('a b');"), digest("f('ab');"), 'whitespace inside a string literal is code');
  assert.equal(digest("f('a b');"), digest('f( "a b" ) ;'));
});

test('the closure follows run-time loads only: imports, literal import(), thread modules; not `import type`', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'stage-closure-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const files: Record<string, string> = {
    'src/stages/probe/spec.ts': "import type { T } from '../../typed.js';\nexport const load = () => import('./runner.js');",
    'src/stages/probe/runner.ts':
      "import { a } from '../../imported.js';\nexport type { U } from '../../reexported-type.js';\nexport { b } from '../../reexported.js';",
    'src/imported.ts': "export const a = 1;\nexport const worker = moduleBeside('./worker', import.meta.url);",
    'src/worker.ts': "export const root = new URL('../', import.meta.url);",
    'src/reexported.ts': 'export const b = 1;',
    'src/reexported-type.ts': 'export type U = 1;',
    'src/typed.ts': 'export type T = 1;',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const closure = new ModuleClosure(join(dir, 'src')).closure(['spec.ts', 'runner.ts'].map((name) => join(dir, 'src/stages/probe', name)));
  assert.deepEqual(
    [...closure.keys()],
    ['src/imported.ts', 'src/reexported.ts', 'src/stages/probe/runner.ts', 'src/stages/probe/spec.ts', 'src/worker.ts'],
  );
  writeFileSync(join(dir, 'src/worker.ts'), "import './gone.js';");
  assert.throws(
    () => new ModuleClosure(join(dir, 'src')).closure([join(dir, 'src/imported.ts')]),
    /src\/worker\.ts: '\.\/gone\.js' resolves to no file/,
  );
});
