import http from 'node:http';
import { companyBody, uniqueId } from '../support/seed-bodies';
import { TEST_KEYS, TestApp, startTestApp } from '../support/test-app';
import { Recorded, recordOne } from '../read-models/seed-facts';

jest.setTimeout(90_000);

interface Frame {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** A minimal EventSource over `http.get`, keeping every frame (comments too) for the test to inspect. */
class SseClient {
  readonly frames: Frame[] = [];
  response!: http.IncomingMessage;
  readonly ended: Promise<void>;
  private buffer = '';
  private endedResolve!: () => void;
  private request!: http.ClientRequest;

  constructor() {
    this.ended = new Promise((resolve) => (this.endedResolve = resolve));
  }

  static async connect(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient();
    await new Promise<void>((resolve, reject) => {
      client.request = http.get(url, { headers: { Authorization: `Bearer ${TEST_KEYS.auditor}`, Accept: 'text/event-stream', ...headers } }, (response) => {
        client.response = response;
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => client.take(chunk));
        response.on('end', () => client.endedResolve());
        response.on('close', () => client.endedResolve());
        resolve();
      });
      client.request.on('error', reject);
    });
    return client;
  }

  get events(): { id: number; type: string; eventId: string }[] {
    return this.frames
      .filter((frame) => frame.id !== undefined)
      .map((frame) => ({ id: Number(frame.id), type: frame.event!, eventId: JSON.parse(frame.data!).eventId }));
  }

  async waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; frames: ${JSON.stringify(this.frames.slice(-5))}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close(): void {
    this.request.destroy();
  }

  private take(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const frame: Frame = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) frame.comment = line.slice(1).trim();
        else {
          const colon = line.indexOf(':');
          const field = line.slice(0, colon) as 'id' | 'event' | 'data';
          frame[field] = line.slice(colon + 1).replace(/^ /, '');
        }
      }
      this.frames.push(frame);
    }
  }
}

describe('audit live feed', () => {
  let app: TestApp;
  const clients: SseClient[] = [];
  const connect = async (query = '', headers: Record<string, string> = {}) => {
    const client = await SseClient.connect(`${app.url}/v1/audit/live${query}`, headers);
    clients.push(client);
    return client;
  };
  const writeCompany = (): Promise<Recorded> => recordOne(app, '/v1/companies', companyBody(uniqueId('xinjie')));

  beforeAll(async () => {
    app = await startTestApp({ LIVE_HEARTBEAT_MS: '200', LIVE_DRAIN_TIMEOUT_MS: '300', RATE_LIMIT_PER_MINUTE: '0' });
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(async () => {
    await app?.destroy();
  });

  it('streams each event as it is stored, with its position as the id', async () => {
    const client = await connect();
    expect(client.response.statusCode).toBe(200);
    expect(client.response.headers['content-type']).toMatch(/^text\/event-stream/);
    await client.waitFor(() => client.frames.length > 0, 'the opening comment');

    const written = [await writeCompany(), await writeCompany()];
    await client.waitFor(() => client.events.length === 2, 'two events');

    expect(client.events).toEqual(written.map((event) => ({ id: event.position, type: 'CompanyRegistered', eventId: event.eventId })));
    const data = JSON.parse(client.frames.find((frame) => frame.id !== undefined)!.data!);
    expect(data).toMatchObject({ eventId: written[0].eventId, position: written[0].position, revision: 0, metadata: { hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
  });

  it('resumes after Last-Event-ID without loss or duplicates, from the header or the query', async () => {
    const first = await connect();
    await first.waitFor(() => first.frames.length > 0, 'the opening comment');
    const seen = await writeCompany();
    await first.waitFor(() => first.events.length === 1, 'the first event');
    first.close();

    const missed = [await writeCompany(), await writeCompany()];
    const resumed = await connect('', { 'Last-Event-ID': String(seen.position) });
    const byQuery = await connect(`?lastEventId=${seen.position}`);
    await resumed.waitFor(() => resumed.events.length === 2, 'the missed events');
    const later = await writeCompany();
    await resumed.waitFor(() => resumed.events.length === 3, 'the next event');
    await byQuery.waitFor(() => byQuery.events.length === 3, 'the same events by query');

    const expected = [...missed, later].map((event) => ({ id: event.position, type: 'CompanyRegistered', eventId: event.eventId }));
    expect(resumed.events).toEqual(expected);
    expect(byQuery.events).toEqual(expected);
  });

  it('refuses a Last-Event-ID that is not a position', async () => {
    const response = await app.http().get('/v1/audit/live').set(app.auth('auditor')).set('Last-Event-ID', 'abc');

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'Last-Event-ID' })]);
  });

  it('sends heartbeats on an idle connection', async () => {
    const client = await connect();

    await client.waitFor(() => client.frames.filter((frame) => frame.comment === 'heartbeat').length >= 2, 'two heartbeats', 3_000);
  });

  it('disconnects, with a reason, a client that stops reading (and logs it under the client\'s correlation id)', async () => {
    const correlationId = uniqueId('live-slow');
    const client = await connect('', { 'X-Correlation-Id': correlationId });
    await client.waitFor(() => client.frames.length > 0, 'the opening comment');
    client.response.pause();
    client.response.socket.pause();

    // About 10 MB of events: well beyond what the kernel's socket buffers absorb before the server's own 1 MiB bound.
    const aliases = Array.from({ length: 100 }, (_, i) => `${String(i).padStart(3, '0')}-${'x'.repeat(190)}`);
    const items = Array.from({ length: 500 }, () => ({ kind: 'company', ...companyBody(uniqueId('bulky')), aliases }));
    const batch = await app.http().post('/v1/batch').set(app.auth('integrator')).send({ items });
    expect(batch.status).toBe(200);

    const deadline = Date.now() + 20_000;
    while (!app.output().includes('live feed client too slow')) {
      if (Date.now() > deadline) throw new Error(`the server never gave up on the stalled client:\n${app.output().slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    client.response.socket.resume();
    client.response.resume();
    await client.ended;
    const slowLine = app
      .output()
      .split('\n')
      .find((line) => line.includes('live feed client too slow'));
    expect(JSON.parse(slowLine!)).toMatchObject({ correlationId, context: 'LiveFeed' });

    const last = client.frames.at(-1)!;
    expect(last).toMatchObject({ event: 'disconnect' });
    expect(JSON.parse(last.data!)).toEqual({ reason: 'client too slow' });
    expect(client.events.length).toBeLessThan(items.length);

    const healthy = await app.http().get('/v1/audit/events').query({ limit: 1 }).set(app.auth('auditor'));
    expect(healthy.status).toBe(200);
  });
});
