/**
 * A local Figshare look-alike for tests: real HTTP on 127.0.0.1 with two ports, like the real service's API host and
 * S3 storage host. API: `GET /v2/articles/<id>[/versions/<v>]/files?page=&page_size=` (paged PublicFile records) and
 * `GET /v2/file/download/<id>` (302 to the storage port). Storage: `GET /files/<id>` with `Range: bytes=<from>-`.
 * Faults are switchable per file and can be limited to the next N requests they apply to.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LookalikeFile {
  id: number;
  name: string;
  bytes: Uint8Array;
}

export type Fault =
  /** Storage sends the headers and `afterBytes` of the body, then (50 ms later) destroys the socket. */
  | { kind: 'drop-mid-body'; afterBytes: number }
  /** Storage serves the right length with one byte flipped, so the md5 check fails. */
  | { kind: 'wrong-md5' }
  /** API answers the download with 202, `x-amzn-waf-action: challenge` and 0 bytes (AWS WAF). */
  | { kind: 'challenge-202' }
  | { kind: 'forbidden-403' }
  | { kind: 'rate-limit-429'; retryAfterSeconds: number }
  /** Storage sends `chunkBytes` every `delayMs`. */
  | { kind: 'slow'; chunkBytes: number; delayMs: number }
  /** API redirects to a host outside the allow-list. */
  | { kind: 'foreign-redirect'; host: string }
  /** The listing shows this name instead of the real one. */
  | { kind: 'hostile-name'; name: string };

export interface RequestLogEntry {
  server: 'api' | 'storage';
  path: string;
  range: string | null;
  hadAuthorization: boolean;
  status: number;
}

export interface FigshareLookalike {
  apiBaseUrl: string;
  storageHost: string;
  articleId: number;
  requestLog: RequestLogEntry[];
  /** Set (or clear with null) the fault of file `fileId`, active for the next `times` requests it applies to. */
  setFault(fileId: number, fault: Fault | null, times?: number): void;
  close(): Promise<void>;
}

export function md5Hex(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

const listen = (server: Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

export async function startFigshareLookalike(options: { files: LookalikeFile[]; articleId?: number }): Promise<FigshareLookalike> {
  const articleId = options.articleId ?? 1234;
  const files = new Map(options.files.map((f) => [f.id, f]));
  const faults = new Map<number, { fault: Fault; left: number }>();
  const requestLog: RequestLogEntry[] = [];

  /** The fault of `fileId` when it is of one of `kinds` and still has uses left (consuming one). */
  const take = <K extends Fault['kind']>(fileId: number, kinds: K[]): Extract<Fault, { kind: K }> | null => {
    const entry = faults.get(fileId);
    if (!entry || !kinds.includes(entry.fault.kind as K) || entry.left <= 0) return null;
    entry.left -= 1;
    return entry.fault as Extract<Fault, { kind: K }>;
  };
  /** Logged on arrival (so the order is the arrival order); the status is filled in once the response closes. */
  const log = (server: 'api' | 'storage', req: IncomingMessage, res: ServerResponse) => {
    const entry = {
      server,
      path: req.url ?? '',
      range: req.headers.range ?? null,
      hadAuthorization: 'authorization' in req.headers,
      status: 0,
    };
    requestLog.push(entry);
    res.on('close', () => (entry.status = res.statusCode));
  };

  const storage = createServer((req, res) => {
    log('storage', req, res);
    const file = files.get(Number(/^\/files\/(\d+)/.exec(req.url ?? '')?.[1]));
    if (!file) return void res.writeHead(404).end();
    let body = Buffer.from(file.bytes);
    if (take(file.id, ['wrong-md5'])) {
      body = Buffer.from(body);
      body[0] = body[0]! ^ 0xff;
    }
    const from = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
    if (from >= body.length && from > 0) return void res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
    const part = body.subarray(from);
    res.writeHead(from > 0 ? 206 : 200, {
      'content-length': part.length,
      ...(from > 0 ? { 'content-range': `bytes ${from}-${body.length - 1}/${body.length}` } : {}),
    });
    const drop = take(file.id, ['drop-mid-body']);
    // Give the client time to read the bytes before the reset (a reset discards whatever it has not read yet).
    if (drop) return void res.write(part.subarray(0, drop.afterBytes), () => setTimeout(() => res.destroy(), 50));
    const slow = faults.get(file.id)?.fault.kind === 'slow' ? (faults.get(file.id)!.fault as Extract<Fault, { kind: 'slow' }>) : null;
    if (!slow) return void res.end(part);
    let at = 0;
    const tick = () => {
      if (res.destroyed) return;
      const chunk = part.subarray(at, at + slow.chunkBytes);
      at += slow.chunkBytes;
      if (at >= part.length) return void res.end(chunk);
      res.write(chunk);
      setTimeout(tick, slow.delayMs);
    };
    tick();
  });
  const storagePort = await listen(storage);
  const storageHost = `127.0.0.1:${storagePort}`;

  const api = createServer((req, res) => {
    log('api', req, res);
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, value: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    const listing = /^\/v2\/articles\/(\d+)(?:\/versions\/(\d+))?\/files$/.exec(url.pathname);
    if (listing) {
      if (Number(listing[1]) !== articleId) return json(404, { message: 'Entity not found: article', code: 'EntityNotFound' });
      const page = Number(url.searchParams.get('page') ?? 1);
      const size = Number(url.searchParams.get('page_size') ?? 10);
      const records = [...files.values()].map((f) => {
        const hostile = faults.get(f.id)?.fault.kind === 'hostile-name' ? (faults.get(f.id)!.fault as { name: string }).name : null;
        return {
          id: f.id,
          name: hostile ?? f.name,
          size: f.bytes.length,
          is_link_only: false,
          download_url: `https://ndownloader.figshare.com/files/${f.id}`,
          supplied_md5: '',
          computed_md5: md5Hex(f.bytes),
        };
      });
      return json(200, records.slice((page - 1) * size, page * size));
    }
    const download = /^\/v2\/file\/download\/(\d+)$/.exec(url.pathname);
    const file = download ? files.get(Number(download[1])) : undefined;
    if (!file) return json(404, { message: 'Entity not found: file', code: 'EntityNotFound' });
    if (take(file.id, ['challenge-202'])) return void res.writeHead(202, { 'x-amzn-waf-action': 'challenge', 'content-length': 0 }).end();
    if (take(file.id, ['forbidden-403'])) return json(403, { message: 'Forbidden' });
    const limited = take(file.id, ['rate-limit-429']);
    if (limited) return void res.writeHead(429, { 'retry-after': String(limited.retryAfterSeconds) }).end();
    const foreign = take(file.id, ['foreign-redirect']);
    const target = foreign
      ? `http://${foreign.host}/files/${file.id}`
      : `http://${storageHost}/files/${file.id}/${encodeURIComponent(file.name)}`;
    res.writeHead(302, { location: target }).end();
  });
  const apiPort = await listen(api);

  const closeServer = (server: Server) =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    apiBaseUrl: `http://127.0.0.1:${apiPort}/v2`,
    storageHost,
    articleId,
    requestLog,
    setFault(fileId, fault, times = Number.POSITIVE_INFINITY) {
      if (fault) faults.set(fileId, { fault, left: times });
      else faults.delete(fileId);
    },
    close: async () => void (await Promise.all([closeServer(api), closeServer(storage)])),
  };
}
