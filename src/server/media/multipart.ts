import { createHash } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";

/**
 * A streaming multipart/form-data reader for the upload route: the file part goes straight to a
 * temp file (SHA-256 computed on the way, size capped), so a large video never sits in memory.
 * `request.formData()` would buffer the whole body, and busboy is not a dependency.
 */

export class MultipartError extends Error {
  constructor(
    readonly code: "too_large" | "bad_request",
    message: string,
  ) {
    super(message);
    this.name = "MultipartError";
  }
}

export type ReceivedFile = { fieldName: string; fileName: string; path: string; sizeBytes: number; sha256: string };
export type ReceivedForm = { fields: Record<string, string>; file: ReceivedFile | null };

export type ReceiveOptions = {
  /** The file part's name (others with a file name are drained and ignored). */
  fileField: string;
  maxFileBytes: number;
  /** Where the temp file is written (the caller removes it). */
  tempPath: string;
  maxFieldBytes?: number;
  maxFields?: number;
};

export function boundaryOf(contentType: string | null): string | null {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return null;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2] ?? null;
}

/** A display name only: no folders, no control characters, bounded length. */
export function cleanFileName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? "";
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, 200);
  return clean || "arquivo";
}

type PartHeaders = { name: string | null; fileName: string | null };

function parseHeaders(block: string): PartHeaders {
  let name: string | null = null;
  let fileName: string | null = null;
  for (const line of block.split("\r\n")) {
    const [key, ...rest] = line.split(":");
    if (key?.trim().toLowerCase() !== "content-disposition") continue;
    const value = rest.join(":");
    name = /;\s*name="([^"]*)"/i.exec(value)?.[1] ?? null;
    const star = /;\s*filename\*=(?:UTF-8|utf-8)''([^;]+)/.exec(value)?.[1];
    const plain = /;\s*filename="([^"]*)"/i.exec(value)?.[1];
    if (star) {
      try {
        fileName = decodeURIComponent(star);
      } catch {
        fileName = star;
      }
    } else if (plain !== undefined) {
      // Browsers percent-encode quotes and line breaks in the name (WHATWG form encoding).
      fileName = plain.replace(/%22/g, '"').replace(/%0D/gi, "\r").replace(/%0A/gi, "\n");
    }
  }
  return { name, fileName };
}

function write(stream: WriteStream, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = stream.write(chunk, (error) => (error ? reject(error) : undefined));
    if (ok) resolve();
    else stream.once("drain", resolve);
  });
}

function close(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once("error", reject);
    stream.end(() => resolve());
  });
}

export async function receiveMultipart(body: ReadableStream<Uint8Array>, boundary: string, options: ReceiveOptions): Promise<ReceivedForm> {
  const maxFieldBytes = options.maxFieldBytes ?? 4096;
  const maxFields = options.maxFields ?? 20;
  const opening = Buffer.from(`--${boundary}`, "latin1");
  const delimiter = Buffer.from(`\r\n--${boundary}`, "latin1");

  const fields: Record<string, string> = {};
  let fieldCount = 0;
  let file: ReceivedFile | null = null;

  type State = "preamble" | "afterBoundary" | "headers" | "body" | "done";
  let state: State = "preamble";
  let buffer = Buffer.alloc(0);
  let part: PartHeaders | null = null;
  let fieldChunks: Buffer[] = [];
  let fieldBytes = 0;
  let out: WriteStream | null = null;
  let hash: ReturnType<typeof createHash> | null = null;
  let fileBytes = 0;

  const startPart = (headers: PartHeaders) => {
    part = headers;
    fieldChunks = [];
    fieldBytes = 0;
    if (headers.fileName !== null && headers.name === options.fileField && !file && !out) {
      out = createWriteStream(options.tempPath, { flags: "wx" });
      hash = createHash("sha256");
      fileBytes = 0;
    } else if (headers.fileName === null && ++fieldCount > maxFields) {
      throw new MultipartError("bad_request", "Too many form fields");
    }
  };

  const partData = async (chunk: Buffer) => {
    if (chunk.length === 0 || !part) return;
    if (out && hash) {
      fileBytes += chunk.length;
      if (fileBytes > options.maxFileBytes) throw new MultipartError("too_large", "The file is larger than allowed");
      hash.update(chunk);
      await write(out, chunk);
    } else if (part.fileName === null) {
      fieldBytes += chunk.length;
      if (fieldBytes > maxFieldBytes) throw new MultipartError("bad_request", "A form field is too long");
      fieldChunks.push(chunk);
    }
    // Other file parts are drained and dropped.
  };

  const endPart = async () => {
    if (!part) return;
    if (out && hash) {
      await close(out);
      file = { fieldName: part.name ?? "", fileName: cleanFileName(part.fileName ?? ""), path: options.tempPath, sizeBytes: fileBytes, sha256: hash.digest("hex") };
      out = null;
      hash = null;
    } else if (part.fileName === null && part.name) {
      fields[part.name] = Buffer.concat(fieldChunks).toString("utf8");
    }
    part = null;
  };

  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (value) buffer = buffer.length ? Buffer.concat([buffer, Buffer.from(value)]) : Buffer.from(value);
      // Consume as much of the buffer as the state machine can.
      for (;;) {
        if (state === "preamble") {
          const at = buffer.indexOf(opening);
          if (at < 0) {
            buffer = buffer.subarray(Math.max(0, buffer.length - opening.length));
            break;
          }
          buffer = buffer.subarray(at + opening.length);
          state = "afterBoundary";
        } else if (state === "afterBoundary") {
          if (buffer.length < 2) break;
          if (buffer[0] === 0x2d && buffer[1] === 0x2d) {
            state = "done";
            break;
          }
          const eol = buffer.indexOf("\r\n");
          if (eol < 0) {
            if (buffer.length > 256) throw new MultipartError("bad_request", "Malformed multipart body");
            break;
          }
          buffer = buffer.subarray(eol + 2);
          state = "headers";
        } else if (state === "headers") {
          const end = buffer.indexOf("\r\n\r\n");
          if (end < 0) {
            if (buffer.length > 16 * 1024) throw new MultipartError("bad_request", "Part headers too long");
            break;
          }
          startPart(parseHeaders(buffer.subarray(0, end).toString("utf8")));
          buffer = buffer.subarray(end + 4);
          state = "body";
        } else if (state === "body") {
          const at = buffer.indexOf(delimiter);
          if (at >= 0) {
            await partData(buffer.subarray(0, at));
            await endPart();
            buffer = buffer.subarray(at + delimiter.length);
            state = "afterBoundary";
          } else {
            // Keep a tail that could be the start of a delimiter split across chunks.
            const safe = Math.max(0, buffer.length - delimiter.length + 1);
            await partData(buffer.subarray(0, safe));
            buffer = buffer.subarray(safe);
            break;
          }
        } else {
          break;
        }
      }
      if (state === "done") break;
      if (done) throw new MultipartError("bad_request", "The upload ended before the form was complete");
    }
    return { fields, file };
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    const pending = out as WriteStream | null;
    if (pending) await close(pending).catch(() => undefined);
    throw error;
  } finally {
    reader.releaseLock();
  }
}
