/** One runner, three levels: *.spec.ts (pure), *.int-spec.ts (real stores), *.e2e-spec.ts (HTTP; on SQLite, and the API suites on EventStoreDB). */
const moduleNameMapper = {
  '^@bsc/(domain|event-store|projections|audit)$': '<rootDir>/libs/$1/src',
  '^@bsc/(domain|event-store|projections|audit)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.spec.json' }] };
const base = { rootDir: __dirname, moduleFileExtensions: ['ts', 'js', 'json'], testEnvironment: 'node', transform, moduleNameMapper };

module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'] },
    { ...base, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'] },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/{apps,libs,test}/**/*.e2e-spec.ts'] },
    // The API suites again on the EventStoreDB emulator: the path to several replicas must answer as SQLite does.
    // Left out: suites that start emulators of their own (esdb, eventstoredb-*, outage-mid-load), suites about
    // SQLite files (crash, start-up failures, generated key files, cli), and the soak and README walkthrough.
    {
      ...base,
      displayName: 'e2e-esdb',
      testMatch: [
        '<rootDir>/test/{ingest,read-models,audit,demo,client}/**/*.e2e-spec.ts',
        '<rootDir>/test/operations/{health-docs,logs,metrics-limits-headers,graceful-shutdown}.e2e-spec.ts',
        '<rootDir>/test/torture/{if-match-contention,hostile-input}.e2e-spec.ts',
      ],
      setupFiles: ['<rootDir>/test/support/on-esdb.setup.ts'],
    },
  ],
};
