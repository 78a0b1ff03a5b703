import { Metadata, status } from '@grpc/grpc-js';
import { PositionNotInLog, StoreUnavailable } from '../../event-store.errors';
import { translateEsdbError } from './esdb-errors';

/** What the client's gRPC layer throws when the server ends a call with a status. */
const serviceError = (code: status, details: string): Error =>
  Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata: new Metadata() });

describe('translateEsdbError', () => {
  describe('a $all read from inside a record', () => {
    // KurrentDB answers INVALID_ARGUMENT, EventStoreDB 23.10 UNKNOWN; the client makes both an UnknownError.
    it.each([status.INVALID_ARGUMENT, status.UNKNOWN])('is PositionNotInLog naming the caller start (status %s)', (code) => {
      const translated = translateEsdbError(serviceError(code, 'Trying to read from an invalid position.'), { fromPosition: 1234 });
      expect(translated).toBeInstanceOf(PositionNotInLog);
      expect(translated).toMatchObject({ position: 1234 });
    });

    it('is not claimed for a read whose start the caller did not choose', () => {
      expect(translateEsdbError(serviceError(status.UNKNOWN, 'Trying to read from an invalid position.'))).toBeInstanceOf(StoreUnavailable);
    });
  });

  it('keeps an unknown failure with another message transient, even on a positioned read', () => {
    expect(translateEsdbError(serviceError(status.UNKNOWN, 'Exception was thrown by handler.'), { fromPosition: 1234 })).toBeInstanceOf(StoreUnavailable);
  });
});
