import { APP_ERROR_CODES, HTTP_STATUS_BY_CODE, type AppErrorCode } from "./errors";
import { CORRELATION_HEADER } from "./request-meta";

/**
 * The uniform JSON error body of every non-tRPC API route, the REST dispatcher's envelope:
 * `{ data: null, meta: { correlationId }, errors: [{ code, message, reason? }] }` (`reason`: the
 * stable, machine-readable key, as AppError's).
 */
export function jsonError(code: AppErrorCode, message: string, init?: { correlationId?: string | null; headers?: HeadersInit; reason?: string }) {
  const headers = new Headers(init?.headers);
  if (init?.correlationId) headers.set(CORRELATION_HEADER, init.correlationId);
  return Response.json(
    { data: null, errors: [{ code, message, ...(init?.reason ? { reason: init.reason } : {}) }], meta: { correlationId: init?.correlationId ?? null } },
    { status: HTTP_STATUS_BY_CODE[code], headers },
  );
}

export function isAppErrorCode(value: string): value is AppErrorCode {
  return (APP_ERROR_CODES as readonly string[]).includes(value);
}

export class BodyTooLargeError extends Error {}

/**
 * Reads a request body up to `maxBytes`, refusing early on a large Content-Length and while
 * streaming when the header is absent or lies. Returns the bytes read.
 */
export async function readBodyWithLimit(request: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new BodyTooLargeError();
  if (!request.body) return new Uint8Array(new ArrayBuffer(0));
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new BodyTooLargeError();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
