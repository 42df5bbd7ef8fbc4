/**
 * The import rules in .dependency-cruiser.cjs hold for the real tree, and they bite: each probe is a copy of the
 * layout in a temporary folder (never under src/, where a leftover file would break the typecheck) with one
 * forbidden import, and the check must fail naming the rule and printing its explanation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectRoot } from '../../src/paths/project-paths.js';

const root = projectRoot();
const CONFIG = join(root, '.dependency-cruiser.cjs');

interface Rule {
  name: string;
  comment: string;
}

interface Cruise {
  status: number | null;
  output: string;
}

const requireCjs = createRequire(import.meta.url);
const rules = (requireCjs(CONFIG) as { forbidden: Rule[] }).forbidden;
const packageJson = (path: string) =>
  JSON.parse(readFileSync(path, 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };
const depcruiseBin = join(
  root,
  'node_modules/dependency-cruiser',
  packageJson(join(root, 'node_modules/dependency-cruiser/package.json')).bin['depcruise']!,
);

/** The reporter wraps the comment to the terminal width, so text is compared with whitespace runs collapsed. */
const flat = (text: string): string => text.replace(/\s+/g, ' ');

function depcruise(cwd: string, args: string[]): Cruise {
  const run = spawnSync(process.execPath, [depcruiseBin, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Run the rules over a temporary copy of the layout holding `files` (repo-relative path → source). */
function cruiseLayout(files: Record<string, string>): Cruise {
  const dir = mkdtempSync(join(tmpdir(), 'import-rules-'));
  try {
    copyFileSync(join(root, 'tsconfig.json'), join(dir, 'tsconfig.json'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'import-rules-probe', private: true, type: 'module' }));
    for (const [path, source] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), source);
    }
    return depcruise(dir, ['--config', CONFIG, '--output-type', 'err-long', 'src', 'workflows', 'activities']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function assertViolates(result: Cruise, ruleName: string): void {
  const rule = rules.find((r) => r.name === ruleName);
  assert.ok(rule, `.dependency-cruiser.cjs has no rule ${ruleName}`);
  assert.notEqual(result.status, 0, result.output);
  assert.match(result.output, new RegExp(`error ${ruleName}:`), result.output);
  assert.ok(flat(result.output).includes(flat(rule.comment)), `the explanation of ${ruleName} is printed:\n${result.output}`);
}

const LAYOUT = {
  'activities/index.ts': 'export const stageActivities = {};\n',
  'src/contracts/payload.ts': "import type { Row } from '../store/row.js';\nexport type Payload = Row[];\n",
  'src/store/row.ts': 'export interface Row {\n  id: string;\n}\n',
  'workflows/stage-table.ts':
    "import type { Payload } from '../src/contracts/payload.js';\nexport const rows = (p: Payload): number => p.length;\n",
};

test('a core module that imports the activities fails the check, with the rule and why', () => {
  const probe = {
    'src/store/rule-probe.ts': "import { stageActivities } from '../../activities/index.js';\nexport const a = stageActivities;\n",
  };
  assertViolates(cruiseLayout({ ...LAYOUT, ...probe }), 'core-knows-no-temporal');
});

test('a workflow that imports node:fs fails the check, with the rule and why', () => {
  const probe = { 'workflows/rule-probe.ts': "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n" };
  assertViolates(cruiseLayout({ ...LAYOUT, ...probe }), 'workflow-imports-only-deterministic-code');
});

test('a cycle of value imports in src/ fails the check; the allowed type-only imports pass', () => {
  const runtimeCycle = {
    'src/stages/a.ts': "import { b } from './b.js';\nexport const a = (): number => b() + 1;\n",
    'src/stages/b.ts': "import { a } from './a.js';\nexport const b = (): number => a() - 1;\n",
  };
  assertViolates(cruiseLayout({ ...LAYOUT, ...runtimeCycle }), 'no-circular-at-runtime');
  // The stage pattern (the spec loads its runner lazily, the runner imports the spec's param types) and a workflow
  // that imports the activities' types for proxyActivities.
  const specRunner = {
    'src/stages/demo/spec.ts':
      "export interface DemoParams {\n  n: number;\n}\nexport const loadRunner = async () => (await import('./runner.js')).runner;\n",
    'src/stages/demo/runner.ts': "import type { DemoParams } from './spec.js';\nexport const runner = (p: DemoParams): number => p.n;\n",
    'workflows/rule-probe.ts':
      "import type { stageActivities } from '../activities/index.js';\nexport type Activities = typeof stageActivities;\n",
  };
  const allowed = cruiseLayout({ ...LAYOUT, ...specRunner });
  assert.equal(allowed.status, 0, allowed.output);
});

test('the repository follows its import rules (`npm run lint:imports`)', () => {
  const [command, ...args] = packageJson(join(root, 'package.json')).scripts['lint:imports']!.split(' ');
  assert.equal(command, 'depcruise');
  const result = depcruise(root, args);
  assert.equal(result.status, 0, result.output);
});
