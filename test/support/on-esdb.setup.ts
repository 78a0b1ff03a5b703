// The e2e-esdb jest project: the same API suites, each app on an EventStoreDB emulator of its own (see startTestApp).
process.env.E2E_STORE = 'esdb-emulator';
