// Layers point one way: core (pure) <- pipeline/runtime <- adapters <- main. queries/ sits
// beside core: it may use core's types, never an adapter. Run by `npm run typecheck`.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment:
        'ingest/src/core holds the pure engines: it imports nothing from the layers around it.',
      severity: 'error',
      from: { path: '^ingest/src/core/' },
      to: {
        path: [
          '^ingest/src/(pipeline|runtime|adapters)/',
          '^ingest/src/(main|wiring|live-wiring|config|app-context)\\.ts$',
          '^queries/',
        ],
      },
    },
    {
      name: 'queries-no-adapters',
      comment:
        'queries/ runs SQL through the Store interface (queries/store.ts); it never imports an adapter or the layers above core.',
      severity: 'error',
      from: { path: '^queries/' },
      to: {
        path: [
          '^ingest/src/(pipeline|runtime|adapters)/',
          '^ingest/src/(main|wiring|live-wiring)\\.ts$',
        ],
      },
    },
    {
      name: 'pipeline-no-adapters',
      comment:
        'The ingest pipeline talks to storage through queries/store.ts, not the ClickHouse adapter.',
      severity: 'error',
      from: { path: '^ingest/src/pipeline/' },
      to: { path: ['^ingest/src/adapters/', '^ingest/src/(main|wiring|live-wiring)\\.ts$'] },
    },
    {
      name: 'runtime-no-adapters',
      comment:
        'The live runtime does not import adapters; the wiring that joins engines to routes and the board feed lives beside main (ingest/src/live-wiring.ts).',
      severity: 'error',
      from: { path: '^ingest/src/runtime/' },
      to: { path: ['^ingest/src/adapters/', '^ingest/src/(main|wiring|live-wiring)\\.ts$'] },
    },
    {
      name: 'config-no-adapters',
      comment: 'Reading the environment needs no adapter.',
      severity: 'error',
      from: { path: '^ingest/src/config\\.ts$' },
      to: { path: '^ingest/src/adapters/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycle that exists at run time (a type-only import on one side is fine).',
      severity: 'error',
      from: { path: '^(ingest/src|queries)/' },
      to: {
        circular: true,
        dependencyTypesNot: ['type-only'],
        viaOnly: { dependencyTypesNot: ['type-only'] },
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: ['node_modules', '^wallboard/dist'] },
  },
};
