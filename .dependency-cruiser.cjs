/**
 * The architecture's import rules, checked by `npm run lint` (dependency-cruiser; the README describes the layout).
 * Each rule's `comment` is what a failing check prints (`--output-type err-long`): it says what the rule protects.
 * Paths are matched relative to the folder depcruise runs in, so the same rules check a copy of the layout
 * (test/repo/import-rules.test.ts). Why workflows are held to so little: docs/temporal.md §3 (the TS sandbox, activities
 * imported type-only, no Node built-ins in workflow files). dependency-cruiser stays on 17.x: 18 refuses to run on
 * Node 20, which package.json `engines` supports.
 */

/**
 * The contract modules: payload types, the pure planner and the typed errors (the retry contract). The workflow
 * sandbox loads them, so they are deterministic and import only each other at run time.
 */
const CONTRACTS = ['^src/contracts/', '^src/errors/pipeline-errors[.]ts$'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-knows-no-temporal',
      severity: 'error',
      comment:
        'The core (src/ outside src/temporal/ and src/cli/) is pure science and storage: it knows nothing of Temporal, ' +
        'the activities, the workflows or the CLI, so it runs and tests without a server. Temporal belongs to the thin ' +
        'adapters (activities/, workflows/, src/temporal/, src/cli/). Move the Temporal-facing part ' +
        'into an adapter, or pass what the core needs in as a parameter (e.g. a heartbeat callback).',
      from: { path: '^src/', pathNot: '^src/(temporal|cli)/' },
      to: { path: ['^node_modules/@temporalio/', '^activities/', '^workflows/', '^src/cli/'] },
    },
    {
      name: 'temporal-adapter-not-cli',
      severity: 'error',
      comment:
        'src/temporal/ (connection, worker, client) serves every front end; the CLI is one of them and builds on it, ' +
        'never the other way round. Move what both need into src/temporal/ or the core.',
      from: { path: '^src/temporal/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'workflow-imports-only-deterministic-code',
      severity: 'error',
      comment:
        'Workflow code is replayed from history and must be deterministic: Temporal bundles workflows/ into its ' +
        'sandbox, where Node built-ins and I/O are unavailable. A workflow may import other workflows/ files, ' +
        'src/contracts/ (payload types and the pure planner), the typed errors (src/errors/pipeline-errors.ts, the ' +
        'retry contract) and @temporalio/workflow or @temporalio/common — no node:* built-ins, no other npm package, ' +
        'nothing else from src/. Do the work in an activity and pass the result in; shared types go in src/contracts/.',
      from: { path: '^workflows/' },
      to: {
        pathNot: ['^workflows/', ...CONTRACTS, '^activities/', '^node_modules/@temporalio/(workflow|common)/'],
      },
    },
    {
      name: 'workflow-imports-activity-types-only',
      severity: 'error',
      comment:
        'A workflow calls activities through proxyActivities<StageActivities>(), so it needs their types only ' +
        '(`import type`, erased before the workflow bundle is built). A value import would pull the activities, and ' +
        'the whole core behind them, into the deterministic sandbox.',
      from: { path: '^workflows/' },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'activities-not-cli-or-workflows',
      severity: 'error',
      comment:
        'Activities are thin adapters from Temporal to the core (src/engine): they run on the worker, not in the CLI, ' +
        'and never call workflow code. Types the activities share with the workflow or the CLI live in src/contracts/.',
      from: { path: '^activities/' },
      to: { path: ['^src/cli/', '^workflows/'] },
    },
    {
      name: 'contracts-without-side-effects',
      severity: 'error',
      comment:
        'src/contracts/ is loaded by the workflow sandbox, the worker and the CLI alike, so it may import values only ' +
        'from other contracts and the typed errors (src/errors/pipeline-errors.ts); anything else is `import type`. ' +
        'No npm package (not even @temporalio/*), no node:* built-in, no module with side effects.',
      from: { path: '^src/contracts/' },
      to: { pathNot: CONTRACTS, dependencyTypesNot: ['type-only', 'type-import'] },
    },
    {
      name: 'typed-errors-import-nothing',
      severity: 'error',
      comment:
        'src/errors/pipeline-errors.ts is part of the retry contract and is loaded inside the workflow sandbox ' +
        '(workflows/, src/contracts/ import it), so it imports nothing at run time.',
      from: { path: '^src/errors/pipeline-errors[.]ts$' },
      to: { dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular-at-runtime',
      severity: 'error',
      comment:
        'Modules under src/ import each other without cycles: in a cycle, one module sees the other half-initialised ' +
        '(TDZ errors, undefined exports) depending on which is loaded first. A cycle through an `import type` is ' +
        'allowed, because the type import is erased: each stage spec loads its runner lazily and the runner imports ' +
        "the spec's param types (src/stages/<kind>/{spec,runner}.ts). Break the cycle by moving what both need into " +
        'a third module.',
      from: { path: '^src/' },
      to: { path: '^src/', circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'This import resolves to no file: a typo, a moved file, or a package that is not installed. Specifiers are ' +
        'ESM paths ending in .js that name the .ts file (TypeScript NodeNext resolution).',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-non-package-json',
      severity: 'error',
      comment:
        'This npm package is not declared in package.json; it is only there by luck, as a dependency of a dependency, ' +
        'and may vanish with the next install. Add it to "dependencies" (run time) or "devDependencies" (tests, benches).',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-dev-dep',
      severity: 'error',
      comment:
        'Run-time code (src/, activities/, workflows/) must work after `npm ci --omit=dev`, so it imports only ' +
        '"dependencies". Move the package there, or move the code that needs it into test/, bench/ or scripts/. ' +
        'Type-only imports are erased and allowed.',
      from: { path: '^(src|activities|workflows)/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    // `import type` edges are real dependencies for the architecture rules; the rules above say when they are allowed.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
  },
};
