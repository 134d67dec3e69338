/**
 * Serves one PGlite instance to many TCP clients over the PostgreSQL wire protocol.
 *
 * Why not `PGLiteSocketServer` from @electric-sql/pglite-socket 0.2.17:
 *  - it accepts ONE connection by default (`maxConnections: 1`); a second client (a pg Pool,
 *    Next.js dev, Prisma CLI next to the app) gets "Connection terminated unexpectedly";
 *  - with `maxConnections > 1` it multiplexes per protocol *message*, not per request. A client's
 *    Parse/Bind/Execute/Sync that arrives in several TCP reads (any request over ~64 KB) can be
 *    interleaved with another client's Parse, so one client binds its parameters to the other's
 *    statement (reproduced: a 300 KB INSERT next to parallel SELECTs fails with
 *    `invalid input syntax for type integer: "xxxx…"`).
 *
 * This server frames the protocol itself and hands PGlite whole requests: everything a client
 * sends up to a Sync ('S'), a simple Query ('Q') or a Flush ('H') runs as one unit. PGlite has a
 * single backend, so requests from all clients run one at a time, and a client that is inside a
 * transaction block (or mid extended-query after a Flush) owns the backend until it finishes:
 * other clients' requests wait in the queue. When a client disconnects while owning the backend,
 * its transaction is rolled back.
 *
 * Known limits (inherent to one PGlite backend): every connection shares one session — SET,
 * named prepared statements, temp tables, advisory locks (they do not exclude between
 * connections) and LISTEN/NOTIFY are not per connection; a transaction that waits on another
 * connection's query (e.g. using `prisma.x` instead of `tx.x` inside `$transaction`) blocks until
 * it times out; CancelRequest is ignored; COPY FROM STDIN is not supported.
 */
import type { PGlite } from "@electric-sql/pglite";
import net from "node:net";

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** Message types after which the client waits for an answer. */
const REQUEST_END = new Set(["S", "Q", "H", "c", "f"]);
const WAIT_WARNING_MS = 10_000;

export interface PgliteWireServerOptions {
  /** Resolves to the database; called once, on start or (lazy) on the first connection. */
  getDb: () => Promise<PGlite>;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Connections beyond this get a FATAL 53300 error (default 100). */
  maxConnections?: number;
  log?: (message: string) => void;
}

export interface PgliteWireServer {
  readonly host: string;
  readonly port: number;
  connectionCount(): number;
  /** Stop listening, disconnect clients, roll back open transactions, wait for the queue. */
  close(): Promise<void>;
}

interface Connection {
  id: number;
  socket: net.Socket;
  buffer: Buffer;
  started: boolean;
  pending: Buffer[];
  closed: boolean;
}

interface Job {
  conn: Connection;
  kind: "request" | "cleanup";
  bytes: Buffer;
  /** Ended with Flush: the client still expects to continue this request. */
  partial: boolean;
}

function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.concat([
    Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0`, "utf8"),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(5);
  header.write("E", 0, "ascii");
  header.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([header, fields]);
}

function queryMessage(sql: string): Buffer {
  const body = Buffer.from(`${sql}\0`, "utf8");
  const header = Buffer.alloc(5);
  header.write("Q", 0, "ascii");
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

const SYNC_MESSAGE = Buffer.from([0x53, 0, 0, 0, 4]);

export async function startPgliteWireServer(options: PgliteWireServerOptions): Promise<PgliteWireServer> {
  const log = options.log ?? (() => {});
  const maxConnections = options.maxConnections ?? 100;
  const connections = new Set<Connection>();
  const queue: Job[] = [];
  let owner: Connection | null = null;
  let pumping = false;
  let closing = false;
  let nextId = 1;
  let dbPromise: Promise<PGlite> | null = null;
  let waitingSince: number | null = null;
  let stallTimer: NodeJS.Timeout | null = null;
  let idleWaiters: Array<() => void> = [];

  const db = () => (dbPromise ??= options.getDb());

  function enqueue(job: Job) {
    queue.push(job);
    void pump();
  }

  async function pump(): Promise<void> {
    if (pumping) return;
    pumping = true;
    try {
      const pglite = await db();
      for (;;) {
        const index = owner ? queue.findIndex((job) => job.conn === owner) : queue.length > 0 ? 0 : -1;
        if (index < 0) {
          if (queue.length > 0 && owner) warnIfStalled(owner);
          break;
        }
        waitingSince = null;
        const job = queue.splice(index, 1)[0]!;
        await execute(pglite, job);
      }
    } catch (error) {
      // The database itself failed (e.g. it could not start): tell every waiting client.
      const message = error instanceof Error ? error.message : String(error);
      log(`embedded database unavailable: ${message}`);
      for (const job of queue.splice(0)) {
        if (!job.conn.closed) job.conn.socket.end(errorResponse("57P03", `embedded database unavailable: ${message}`));
      }
    } finally {
      pumping = false;
      if (queue.length === 0 || owner) for (const resolve of idleWaiters.splice(0)) resolve();
    }
  }

  /** Other clients wait while one holds a transaction open: say so every 10 s. */
  function warnIfStalled(holder: Connection) {
    const now = Date.now();
    waitingSince ??= now;
    if (now - waitingSince >= WAIT_WARNING_MS) {
      log(
        `${queue.length} request(s) have waited ${Math.round((now - waitingSince) / 1000)} s for connection ` +
          `#${holder.id}, which holds a transaction open (PGlite runs one transaction at a time)`,
      );
    }
    stallTimer ??= setTimeout(() => {
      stallTimer = null;
      void pump();
    }, WAIT_WARNING_MS).unref();
  }

  async function execute(pglite: PGlite, job: Job) {
    const { conn } = job;
    if (job.kind === "cleanup") {
      // The owner left mid-request or mid-transaction: end the request, roll back.
      // (Always the Stream variant: plain execProtocolRaw would send the output to whichever
      // callback the previous stream call installed, i.e. to another client's socket.)
      const discard = { onRawData: () => {} };
      await pglite.runExclusive(async () => {
        await pglite.execProtocolRawStream(SYNC_MESSAGE, discard);
        if (pglite.isInTransaction()) await pglite.execProtocolRawStream(queryMessage("ROLLBACK"), discard);
      });
      if (owner === conn) owner = null;
      return;
    }
    try {
      await pglite.runExclusive(() =>
        pglite.execProtocolRawStream(new Uint8Array(job.bytes), {
          onRawData: (data) => {
            if (!conn.closed) conn.socket.write(Buffer.from(data));
          },
        }),
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`connection #${conn.id}: ${message}`);
      if (!conn.closed) conn.socket.end(errorResponse("XX000", message));
    }
    owner = job.partial || pglite.isInTransaction() ? conn : null;
    if (conn.closed && owner === conn) queue.unshift({ conn, kind: "cleanup", bytes: Buffer.alloc(0), partial: false });
  }

  function onData(conn: Connection, chunk: Buffer) {
    if (conn.closed) return;
    conn.buffer = conn.buffer.length ? Buffer.concat([conn.buffer, chunk]) : chunk;
    for (;;) {
      if (!conn.started) {
        if (conn.buffer.length < 8) return;
        const length = conn.buffer.readInt32BE(0);
        const code = conn.buffer.readInt32BE(4);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          conn.buffer = conn.buffer.subarray(8);
          conn.socket.write("N"); // no encryption; the client continues in plain text
          continue;
        }
        if (code === CANCEL_REQUEST) {
          conn.socket.end(); // no backend process to signal
          return;
        }
        if (length < 8 || length > 10_000 || code >> 16 !== 3) {
          conn.socket.end(errorResponse("08P01", "invalid startup packet"));
          return;
        }
        if (conn.buffer.length < length) return;
        const startup = conn.buffer.subarray(0, length);
        conn.buffer = conn.buffer.subarray(length);
        conn.started = true;
        enqueue({ conn, kind: "request", bytes: Buffer.from(startup), partial: false });
        continue;
      }
      if (conn.buffer.length < 5) return;
      const total = 1 + conn.buffer.readInt32BE(1);
      if (conn.buffer.length < total) return;
      const type = String.fromCharCode(conn.buffer[0]!);
      const message = conn.buffer.subarray(0, total);
      conn.buffer = conn.buffer.subarray(total);
      if (type === "X") {
        conn.socket.end();
        return;
      }
      conn.pending.push(Buffer.from(message));
      if (REQUEST_END.has(type)) {
        const bytes = Buffer.concat(conn.pending);
        conn.pending = [];
        enqueue({ conn, kind: "request", bytes, partial: type === "H" });
      }
    }
  }

  function onClose(conn: Connection) {
    if (conn.closed) return;
    conn.closed = true;
    connections.delete(conn);
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.conn === conn) queue.splice(i, 1);
    if (owner === conn) enqueue({ conn, kind: "cleanup", bytes: Buffer.alloc(0), partial: false });
  }

  const server = net.createServer((socket) => {
    if (closing) {
      socket.destroy();
      return;
    }
    if (connections.size >= maxConnections) {
      socket.end(errorResponse("53300", `sorry, too many clients already (embedded database allows ${maxConnections})`));
      return;
    }
    socket.setNoDelay(true);
    const conn: Connection = { id: nextId++, socket, buffer: Buffer.alloc(0), started: false, pending: [], closed: false };
    connections.add(conn);
    socket.on("data", (chunk) => onData(conn, chunk));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => onClose(conn));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.on("error", (error) => log(`server error: ${error.message}`));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;

  return {
    host: options.host,
    port,
    connectionCount: () => connections.size,
    async close() {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const conn of [...connections]) {
        conn.socket.destroy();
        onClose(conn);
      }
      if (dbPromise && (pumping || queue.length > 0)) {
        await new Promise<void>((resolve) => {
          idleWaiters.push(resolve);
          void pump();
        });
      }
      idleWaiters = [];
      await closed;
    },
  };
}
