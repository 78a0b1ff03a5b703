export * from './stored-event';
export * from './expected-revision';
export * from './event-store.errors';
export * from './event-store.port';
export * from './event-id';
