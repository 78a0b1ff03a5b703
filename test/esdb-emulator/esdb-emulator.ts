/**
 * TEST DOUBLE — an in-process EventStoreDB protocol emulator for CI, where no real server can run.
 * It implements only the subset of the EventStoreDB gRPC API that `@eventstore/db-client` uses for
 * our adapter (Streams/Append, Streams/Read for streams, `$all` and `$all` subscriptions,
 * ServerFeatures/GetSupportedMethods, Gossip/Read), and replies with the client's own generated
 * message classes. The application never imports this file. See README.md for what it leaves out.
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { ClusterInfo, EndPoint, MemberInfo } from '@eventstore/db-client/generated/gossip_pb';
import { GossipService } from '@eventstore/db-client/generated/gossip_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { Empty, StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import { AppendReq, AppendResp, ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { EmulatedLog, EmulatedRecord, ExpectedStreamState, matchesFilter, ProposedRecord, RecordFilter } from './emulated-log';

/** What a subscription to `$all` asked for, kept so tests can prove the filter ran server-side. */
export interface ReceivedSubscriptionRequest {
  from: 'start' | 'end' | bigint;
  filter: RecordFilter | undefined;
  checkpointIntervalMultiplier: number | undefined;
}

/** A running emulator. All controls keep the stored events. */
export interface EsdbEmulator {
  /** `esdb://127.0.0.1:PORT?tls=false`: a single node, no gossip. */
  readonly connectionString: string;
  /** `esdb+discover://127.0.0.1:PORT?tls=false`: goes through Gossip/Read first. */
  readonly discoveryConnectionString: string;
  readonly port: number;
  /** Every `$all` subscription request received, oldest first. */
  readonly subscriptionRequests: readonly ReceivedSubscriptionRequest[];
  /** Names of the RPCs served, oldest first (e.g. `Gossip/Read`, `Streams/Append`). */
  readonly servedCalls: readonly string[];
  /** Writes an event the way the server itself would (e.g. `$statsCollected` in `$stats-…`). */
  appendSystemEvent(streamId: string, type: string, data?: unknown): void;
  /** Simulates an outage: closes the listener and kills open calls; the port answers "connection refused". */
  goDown(): Promise<void>;
  /** Ends an outage: listens again on the same port, with the same events. */
  comeBack(): Promise<void>;
  /** Shuts down for good. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const SERVER_VERSION = '24.10.0-emulator';
const DEFAULT_FILTER_WINDOW = 32;
const LEADER_INSTANCE_ID = randomUUID();

/**
 * Starts an emulator on 127.0.0.1 with an ephemeral port. The log already holds a few system events,
 * as a real `$all` does, so adapters must filter them out.
 *
 * @example
 *   const emulator = await startEsdbEmulator();
 *   const client = EventStoreDBClient.connectionString(emulator.connectionString);
 *   ...
 *   await emulator.stop();
 */
export async function startEsdbEmulator(): Promise<EsdbEmulator> {
  const emulator = new GrpcEsdbEmulator();
  await emulator.listen(0);
  emulator.appendSystemEvent('$stats-127.0.0.1:2113', '$statsCollected', { 'proc-mem': 1 });
  emulator.appendSystemEvent('$settings', '$settings', { $userStreamAcl: {} });
  return emulator;
}

class GrpcEsdbEmulator implements EsdbEmulator {
  readonly subscriptionRequests: ReceivedSubscriptionRequest[] = [];
  readonly servedCalls: string[] = [];
  private readonly log = new EmulatedLog();
  private server: grpc.Server | undefined;
  private boundPort = 0;

  get port(): number {
    return this.boundPort;
  }

  get connectionString(): string {
    return `esdb://${HOST}:${this.boundPort}?tls=false`;
  }

  get discoveryConnectionString(): string {
    return `esdb+discover://${HOST}:${this.boundPort}?tls=false`;
  }

  async listen(port: number): Promise<void> {
    const server = new grpc.Server();
    server.addService(StreamsService, { read: this.read, append: this.append });
    server.addService(ServerFeaturesService, { getSupportedMethods: this.getSupportedMethods });
    server.addService(GossipService, { read: this.gossip });
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`${HOST}:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    this.server = server;
  }

  appendSystemEvent(streamId: string, type: string, data: unknown = {}): void {
    this.log.append(streamId, { kind: 'any' }, [
      {
        eventId: randomUUID(),
        type,
        contentType: 'application/json',
        data: Buffer.from(JSON.stringify(data), 'utf8'),
        customMetadata: new Uint8Array(),
      },
    ]);
  }

  async goDown(): Promise<void> {
    this.server?.forceShutdown();
    this.server = undefined;
  }

  async comeBack(): Promise<void> {
    if (this.server) return;
    // The kernel may hold the port for a moment after the forced shutdown.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.listen(this.boundPort);
        return;
      } catch (error) {
        if (attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  async stop(): Promise<void> {
    await this.goDown();
  }

  private readonly read = (call: grpc.ServerWritableStream<ReadReq, ReadResp>): void => {
    const options = call.request.getOptions();
    if (!options) return failCall(call, grpc.status.INVALID_ARGUMENT, 'read without options');
    if (options.hasStream()) {
      this.servedCalls.push('Streams/Read stream');
      return this.readStream(call, options);
    }
    if (options.hasAll() && options.hasSubscription()) {
      this.servedCalls.push('Streams/Read $all subscription');
      return this.subscribeToAll(call, options);
    }
    if (options.hasAll()) {
      this.servedCalls.push('Streams/Read $all');
      return this.readAll(call, options);
    }
    failCall(call, grpc.status.UNIMPLEMENTED, 'the emulator serves stream reads, $all reads and $all subscriptions only');
  };

  private readStream(call: grpc.ServerWritableStream<ReadReq, ReadResp>, options: ReadReq.Options): void {
    const streamOptions = options.getStream();
    const identifier = streamOptions?.getStreamIdentifier();
    if (!streamOptions || !identifier) return failCall(call, grpc.status.INVALID_ARGUMENT, 'stream read without a stream');
    const records = this.log.stream(Buffer.from(identifier.getStreamName_asU8()).toString('utf8'));
    if (!records) {
      const notFound = new ReadResp.StreamNotFound();
      notFound.setStreamIdentifier(identifier);
      call.write(new ReadResp().setStreamNotFound(notFound));
      call.end();
      return;
    }
    const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
    const count = readCount(options);
    let selected: EmulatedRecord[];
    if (backwards) {
      const from = streamOptions.hasRevision() && !streamOptions.hasEnd() ? BigInt(streamOptions.getRevision()) : undefined;
      selected = records.filter((record) => from === undefined || record.revision <= from).reverse();
    } else {
      const from = streamOptions.hasRevision() ? BigInt(streamOptions.getRevision()) : streamOptions.hasEnd() ? BigInt(records.length) : 0n;
      selected = records.filter((record) => record.revision >= from);
    }
    writeEventsAndEnd(call, selected.slice(0, count));
  }

  /** Forwards from a position is inclusive, backwards exclusive, as on the real server. */
  private readAll(call: grpc.ServerWritableStream<ReadReq, ReadResp>, options: ReadReq.Options): void {
    const allOptions = options.getAll();
    if (!allOptions) return failCall(call, grpc.status.INVALID_ARGUMENT, '$all read without options');
    const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
    const start = allOptions.hasPosition() ? BigInt(allOptions.getPosition()!.getCommitPosition()) : undefined;
    if (start !== undefined && !this.log.isReadFrom(start)) return failInvalidPosition(call);
    const filter = readFilter(options);
    const records = this.log.all();
    let selected: EmulatedRecord[];
    if (backwards) {
      const before = allOptions.hasPosition() ? BigInt(allOptions.getPosition()!.getCommitPosition()) : undefined;
      selected = records.filter((record) => before === undefined || record.position < before).reverse();
    } else {
      const from = allOptions.hasPosition() ? BigInt(allOptions.getPosition()!.getCommitPosition()) : allOptions.hasEnd() ? undefined : 0n;
      selected = from === undefined ? [] : records.filter((record) => record.position >= from);
    }
    writeEventsAndEnd(
      call,
      selected.filter((record) => matchesFilter(filter, record)).slice(0, readCount(options)),
    );
  }

  /** Catch-up (exclusive start), `caught_up`, then live; checkpoints when filtered. */
  private subscribeToAll(call: grpc.ServerWritableStream<ReadReq, ReadResp>, options: ReadReq.Options): void {
    const allOptions = options.getAll()!;
    const from: ReceivedSubscriptionRequest['from'] = allOptions.hasPosition()
      ? BigInt(allOptions.getPosition()!.getCommitPosition())
      : allOptions.hasEnd()
        ? 'end'
        : 'start';
    if (typeof from === 'bigint' && !this.log.isReadFrom(from)) return failInvalidPosition(call);
    const filter = readFilter(options);
    const filterOptions = options.getFilter();
    this.subscriptionRequests.push({ from, filter, checkpointIntervalMultiplier: filterOptions?.getCheckpointintervalmultiplier() });
    const checkpointEvery = filterOptions
      ? (filterOptions.hasMax() ? filterOptions.getMax() : DEFAULT_FILTER_WINDOW) * Math.max(1, filterOptions.getCheckpointintervalmultiplier())
      : Infinity;

    let scannedSinceCheckpoint = 0;
    const deliver = (record: EmulatedRecord): void => {
      if (matchesFilter(filter, record)) call.write(eventResponse(record));
      scannedSinceCheckpoint++;
      if (scannedSinceCheckpoint >= checkpointEvery) {
        call.write(checkpointResponse(record.position));
        scannedSinceCheckpoint = 0;
      }
    };

    call.write(new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())));
    // Catch-up and registration happen in the same tick, so no append can fall between them.
    const catchUp = from === 'end' ? [] : this.log.all().filter((record) => from === 'start' || record.position > from);
    catchUp.forEach(deliver);
    if (filterOptions && catchUp.length > 0) call.write(checkpointResponse(catchUp[catchUp.length - 1].position));
    call.write(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
    const unsubscribe = this.log.onAppended((record) => {
      if (!call.cancelled && !call.destroyed) deliver(record);
    });
    call.on('cancelled', unsubscribe);
    call.on('close', unsubscribe);
    call.on('error', unsubscribe);
  }

  private readonly append = (call: grpc.ServerReadableStream<AppendReq, AppendResp>, callback: grpc.sendUnaryData<AppendResp>): void => {
    this.servedCalls.push('Streams/Append');
    const messages: AppendReq[] = [];
    call.on('data', (message: AppendReq) => messages.push(message));
    call.on('error', () => undefined);
    call.on('end', () => {
      const [header, ...events] = messages;
      const options = header?.getOptions();
      const identifier = options?.getStreamIdentifier();
      if (!options || !identifier) return callback({ code: grpc.status.INVALID_ARGUMENT, details: 'append without options' });
      const streamId = Buffer.from(identifier.getStreamName_asU8()).toString('utf8');
      const expected = readExpectedState(options);
      const proposed = events.map((message) => toProposedRecord(message.getProposedMessage()));
      if (proposed.some((record) => record === undefined)) {
        return callback({ code: grpc.status.INVALID_ARGUMENT, details: 'append message without a proposed event' });
      }
      const outcome = this.log.append(streamId, expected, proposed as ProposedRecord[]);
      callback(null, appendResponse(outcome, expected));
    });
  };

  private readonly getSupportedMethods = (_call: grpc.ServerUnaryCall<Empty, SupportedMethods>, callback: grpc.sendUnaryData<SupportedMethods>): void => {
    this.servedCalls.push('ServerFeatures/GetSupportedMethods');
    // BatchAppend is deliberately absent: it keeps the client on Streams/Append.
    const methods = [
      ['event_store.client.streams.Streams', 'Read'],
      ['event_store.client.streams.Streams', 'Append'],
      ['event_store.client.gossip.Gossip', 'Read'],
      ['event_store.client.server_features.ServerFeatures', 'GetSupportedMethods'],
    ].map(([service, method]) => new SupportedMethod().setServiceName(service).setMethodName(method));
    callback(null, new SupportedMethods().setMethodsList(methods).setEventStoreServerVersion(SERVER_VERSION));
  };

  private readonly gossip = (_call: grpc.ServerUnaryCall<Empty, ClusterInfo>, callback: grpc.sendUnaryData<ClusterInfo>): void => {
    this.servedCalls.push('Gossip/Read');
    const leader = new MemberInfo()
      .setInstanceId(new UUID().setString(LEADER_INSTANCE_ID))
      .setTimeStamp(String(BigInt(Date.now()) * 10_000n))
      .setState(MemberInfo.VNodeState.LEADER)
      .setIsAlive(true)
      .setHttpEndPoint(new EndPoint().setAddress(HOST).setPort(this.boundPort));
    callback(null, new ClusterInfo().setMembersList([leader]));
  };
}

function failCall(call: grpc.ServerWritableStream<ReadReq, ReadResp>, code: grpc.status, details: string): void {
  call.emit('error', { code, details });
}

/**
 * Refuses a read or subscription that starts inside a record with KurrentDB's status and words
 * (`RpcExceptions.InvalidPositionException`); EventStoreDB 23.10 says the same with UNKNOWN.
 */
function failInvalidPosition(call: grpc.ServerWritableStream<ReadReq, ReadResp>): void {
  failCall(call, grpc.status.INVALID_ARGUMENT, 'Trying to read from an invalid position.');
}

function readCount(options: ReadReq.Options): number {
  if (!options.hasCount()) return Number.MAX_SAFE_INTEGER;
  const count = BigInt(options.getCount());
  return count > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(count);
}

function readFilter(options: ReadReq.Options): RecordFilter | undefined {
  const filterOptions = options.getFilter();
  if (!filterOptions) return undefined;
  const on = filterOptions.hasEventType() ? 'event-type' : 'stream-id';
  const expression = filterOptions.hasEventType() ? filterOptions.getEventType() : filterOptions.getStreamIdentifier();
  return { on, prefixes: expression?.getPrefixList() ?? [], regex: expression?.getRegex() || undefined };
}

function readExpectedState(options: AppendReq.Options): ExpectedStreamState {
  if (options.hasRevision()) return { kind: 'revision', revision: BigInt(options.getRevision()) };
  if (options.hasNoStream()) return { kind: 'no-stream' };
  if (options.hasStreamExists()) return { kind: 'stream-exists' };
  return { kind: 'any' };
}

function toProposedRecord(message: AppendReq.ProposedMessage | undefined): ProposedRecord | undefined {
  const id = message?.getId();
  if (!message || !id) return undefined;
  const metadata = message.getMetadataMap();
  // Like the real server, only JSON keeps its content type.
  const contentType = metadata.get('content-type') === 'application/json' ? 'application/json' : 'application/octet-stream';
  return {
    eventId: id.hasString() ? id.getString() : structuredUuidToString(id),
    type: metadata.get('type') ?? '',
    contentType,
    data: Uint8Array.from(message.getData_asU8()),
    customMetadata: Uint8Array.from(message.getCustomMetadata_asU8()),
  };
}

function structuredUuidToString(id: UUID): string {
  const structured = id.getStructured();
  if (!structured) return randomUUID();
  const hex = (bits: string) => BigInt.asUintN(64, BigInt(bits)).toString(16).padStart(16, '0');
  const all = hex(structured.getMostSignificantBits()) + hex(structured.getLeastSignificantBits());
  return `${all.slice(0, 8)}-${all.slice(8, 12)}-${all.slice(12, 16)}-${all.slice(16, 20)}-${all.slice(20)}`;
}

function appendResponse(outcome: ReturnType<EmulatedLog['append']>, expected: ExpectedStreamState): AppendResp {
  if (outcome.kind === 'wrong-expected-version') {
    // Field numbers 6–11 (current_revision / expected_*); the *_2060 variants are for old clients.
    const conflict = new AppendResp.WrongExpectedVersion();
    if (outcome.currentRevision === undefined) conflict.setCurrentNoStream(new Empty());
    else conflict.setCurrentRevision(outcome.currentRevision.toString());
    if (expected.kind === 'revision') conflict.setExpectedRevision(expected.revision.toString());
    else if (expected.kind === 'no-stream') conflict.setExpectedNoStream(new Empty());
    else if (expected.kind === 'stream-exists') conflict.setExpectedStreamExists(new Empty());
    else conflict.setExpectedAny(new Empty());
    return new AppendResp().setWrongExpectedVersion(conflict);
  }
  const success = new AppendResp.Success();
  if (outcome.lastRevision === undefined) success.setNoStream(new Empty());
  else success.setCurrentRevision(outcome.lastRevision.toString());
  if (outcome.lastPosition === undefined) success.setNoPosition(new Empty());
  else success.setPosition(new AppendResp.Position().setCommitPosition(outcome.lastPosition.toString()).setPreparePosition(outcome.lastPosition.toString()));
  return new AppendResp().setSuccess(success);
}

function eventResponse(record: EmulatedRecord): ReadResp {
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(new UUID().setString(record.eventId))
    .setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(record.streamId, 'utf8')))
    .setStreamRevision(record.revision.toString())
    .setPreparePosition(record.position.toString())
    .setCommitPosition(record.position.toString())
    .setData(record.data)
    .setCustomMetadata(record.customMetadata);
  const metadata = recorded.getMetadataMap();
  metadata.set('type', record.type);
  metadata.set('content-type', record.contentType);
  metadata.set('created', record.createdTicks.toString());
  return new ReadResp().setEvent(new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(record.position.toString()));
}

function checkpointResponse(position: bigint): ReadResp {
  return new ReadResp().setCheckpoint(new ReadResp.Checkpoint().setCommitPosition(position.toString()).setPreparePosition(position.toString()));
}

function writeEventsAndEnd(call: grpc.ServerWritableStream<ReadReq, ReadResp>, records: readonly EmulatedRecord[]): void {
  for (const record of records) {
    if (call.cancelled) return;
    call.write(eventResponse(record));
  }
  call.end();
}
