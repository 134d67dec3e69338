import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type FetchHandler = (request: Request) => Promise<Response>;

export type ServedFetch = {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:43121 */
  url: string;
  close(): Promise<void>;
};

/**
 * Serves a fetch-style handler over real HTTP on 127.0.0.1 with a random free port, so tests talk
 * to the sandboxes through sockets exactly as the app does in production (headers, bodies,
 * timeouts and aborted connections included), instead of calling the handler in-process.
 */
export async function serveFetch(handler: FetchHandler): Promise<ServedFetch> {
  const server = createServer((req, res) => {
    void handle(handler, req, res);
  });
  // Keep-alive sockets would otherwise hold close() open until they time out.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function handle(handler: FetchHandler, req: IncomingMessage, res: ServerResponse) {
  const controller = new AbortController();
  // The client went away (e.g. its timeout fired): let the handler stop waiting too.
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
    }
    const host = req.headers.host ?? "127.0.0.1";
    const method = req.method ?? "GET";
    const request = new Request(`http://${host}${req.url ?? "/"}`, {
      method,
      headers,
      body: method === "GET" || method === "HEAD" ? undefined : body,
      signal: controller.signal,
    });
    const response = await handler(request);
    const outHeaders: Record<string, string | string[]> = {};
    response.headers.forEach((value, name) => {
      if (name === "set-cookie") return;
      outHeaders[name] = value;
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) outHeaders["set-cookie"] = cookies;
    res.writeHead(response.status, response.statusText, outHeaders);
    if (response.body && method !== "HEAD") {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!res.write(value)) await new Promise((resolve) => res.once("drain", resolve));
      }
    }
    res.end();
  } catch (error) {
    if (res.headersSent) {
      res.destroy(error as Error);
      return;
    }
    res.writeHead(500, { "content-type": "application/json" });
    res.end(JSON.stringify({ message: "serve-fetch: handler threw", error: "internal_error", status: 500, cause: [] }));
  }
}
