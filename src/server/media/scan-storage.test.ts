import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.mock("~/env", () => ({ env: { MEDIA_DIR: ".data/media-unit", MEDIA_SCAN_COMMAND: undefined, AUTH_SECRET: "unit-secret-0123456789-0123456789-01", MEDIA_URL_TTL_SECONDS: 3600 } }));

import { serveFetch, type ServedFetch } from "../../../tests/helpers/serve-fetch";
import { jpegBytes, mp4Bytes, withJpegComment } from "../../../tests/helpers/media-fixtures";
import { boundaryOf, cleanFileName, MultipartError, receiveMultipart } from "./multipart";
import { isSameOrigin } from "./origin";
import { commandArgs, scanFile } from "./scan";
import type { Sniffed } from "./sniff";
import { LocalDiskStorage, mediaStorageKey, S3Storage } from "./storage";
import { parseRange } from "../services/media/deliver";

const JPEG: Sniffed = { mimeType: "image/jpeg", ext: "jpg", kind: "IMAGE" };
const MP4: Sniffed = { mimeType: "video/mp4", ext: "mp4", kind: "VIDEO" };
const EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "media-scan-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function saved(name: string, bytes: Buffer): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return file;
}

describe("scan hook", () => {
  it("passes a clean image and a clean video", async () => {
    expect(await scanFile(await saved("ok.jpg", await jpegBytes({ width: 50, height: 50 })), JPEG, undefined)).toEqual({ ok: true });
    expect(await scanFile(await saved("ok.mp4", mp4Bytes({ durationMs: 1000, width: 8, height: 8 })), MP4, undefined)).toEqual({ ok: true });
  });

  it("rejects the EICAR test string anywhere, even split across read chunks deep in a big file", async () => {
    const big = mp4Bytes({ durationMs: 1000, width: 8, height: 8, sizeBytes: 3 * 1024 * 1024 });
    // Straddles the 1 MiB chunk boundary.
    big.write(EICAR, 1024 * 1024 - 30, "latin1");
    expect(await scanFile(await saved("eicar.mp4", big), MP4, undefined)).toEqual({ ok: false, reason: "malware_signature" });
  });

  it("rejects markup hidden in a JPEG comment", async () => {
    const jpeg = withJpegComment(await jpegBytes({ width: 50, height: 50 }), "<SCRIPT>alert(document.cookie)</script>");
    expect(await scanFile(await saved("xss.jpg", jpeg), JPEG, undefined)).toEqual({ ok: false, reason: "embedded_script" });
    const php = withJpegComment(await jpegBytes({ width: 50, height: 50 }), "<?php system($_GET['c']); ?>");
    expect(await scanFile(await saved("php.jpg", php), JPEG, undefined)).toEqual({ ok: false, reason: "embedded_script" });
  });

  it("runs the external scanner with the file path: exit 0 passes, non-zero rejects, no answer fails closed", async () => {
    const file = await saved("ext.jpg", await jpegBytes({ width: 20, height: 20 }));
    expect(await scanFile(file, JPEG, "true")).toEqual({ ok: true });
    expect(await scanFile(file, JPEG, "false")).toEqual({ ok: false, reason: "scanner_rejected" });
    expect(await scanFile(file, JPEG, "/nonexistent/scanner --flag")).toEqual({ ok: false, reason: "scan_failed" });
    // The path is appended as the last argument: this scanner refuses files whose name ends in ext.jpg.
    const script = `node -e "process.exit(process.argv[1].endsWith('ext.jpg') ? 3 : 0)"`;
    expect(await scanFile(file, JPEG, script)).toEqual({ ok: false, reason: "scanner_rejected" });
  });

  it("splits the scanner command without a shell", () => {
    expect(commandArgs(`clamdscan --no-summary "--config-file=/etc/a b.conf" 'x y'`)).toEqual(["clamdscan", "--no-summary", "--config-file=/etc/a b.conf", "x y"]);
  });
});

describe("multipart receiver", () => {
  function formRequest(parts: [string, string | Blob, string?][]): Request {
    const form = new FormData();
    for (const [name, value, fileName] of parts) {
      if (typeof value === "string") form.append(name, value);
      else form.append(name, value, fileName);
    }
    return new Request("http://app.test/api/v1/media", { method: "POST", body: form });
  }

  it("writes the file to disk with its SHA-256 and reads small fields", async () => {
    const bytes = mp4Bytes({ durationMs: 1000, width: 8, height: 8, sizeBytes: 2_500_000 });
    // A delimiter-looking sequence inside the file must not end the part.
    bytes.write("\r\n--", 700_000, "latin1");
    const request = formRequest([["contentId", "c1"], ["file", new Blob([new Uint8Array(bytes)]), "../../etc/vídeo.mp4"]]);
    const target = path.join(dir, "mp-1");
    const form = await receiveMultipart(request.body!, boundaryOf(request.headers.get("content-type"))!, { fileField: "file", maxFileBytes: 3_000_000, tempPath: target });
    expect(form.fields).toEqual({ contentId: "c1" });
    expect(form.file).toMatchObject({ fileName: "vídeo.mp4", sizeBytes: bytes.length });
    const { createHash } = await import("node:crypto");
    expect(form.file?.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect((await readFile(target)).equals(bytes)).toBe(true);
  });

  it("stops at the size cap with too_large", async () => {
    const request = formRequest([["file", new Blob([new Uint8Array(2_000_000)]), "big.mp4"]]);
    const promise = receiveMultipart(request.body!, boundaryOf(request.headers.get("content-type"))!, { fileField: "file", maxFileBytes: 1_000_000, tempPath: path.join(dir, "mp-2") });
    await expect(promise).rejects.toMatchObject({ code: "too_large" });
    await expect(promise).rejects.toBeInstanceOf(MultipartError);
  });

  it("refuses a truncated body and non-multipart content types", async () => {
    const body = new Blob(["--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\nabc"]).stream();
    await expect(receiveMultipart(body, "xyz", { fileField: "file", maxFileBytes: 100, tempPath: path.join(dir, "mp-3") })).rejects.toMatchObject({ code: "bad_request" });
    expect(boundaryOf("application/json")).toBeNull();
    expect(boundaryOf("multipart/form-data; boundary=----abc")).toBe("----abc");
    expect(cleanFileName("C:\\fotos\\a\u0000b.jpg")).toBe("ab.jpg");
  });
});

describe("file route helpers", () => {
  it("parses single byte ranges", () => {
    expect(parseRange(null, 100)).toEqual({ kind: "none" });
    expect(parseRange("bytes=0-9", 100)).toEqual({ kind: "range", range: { start: 0, end: 10 } });
    expect(parseRange("bytes=90-", 100)).toEqual({ kind: "range", range: { start: 90, end: 100 } });
    expect(parseRange("bytes=-5", 100)).toEqual({ kind: "range", range: { start: 95, end: 100 } });
    expect(parseRange("bytes=50-500", 100)).toEqual({ kind: "range", range: { start: 50, end: 100 } });
    expect(parseRange("bytes=100-", 100)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange("bytes=9-3", 100)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange("bytes=0-1,5-6", 100)).toEqual({ kind: "none" });
  });

  it("accepts uploads only from the app's own origin", () => {
    const h = (origin?: string) => new Headers(origin ? { origin } : {});
    expect(isSameOrigin(h("https://app.example.com"), "https://app.example.com/")).toBe(true);
    expect(isSameOrigin(h("https://evil.example"), "https://app.example.com")).toBe(false);
    expect(isSameOrigin(h("https://app.example.com:8443"), "https://app.example.com")).toBe(false);
    expect(isSameOrigin(h(), "https://app.example.com")).toBe(false);
    expect(isSameOrigin(h("null"), "https://app.example.com")).toBe(false);
  });
});

describe("storage", () => {
  it("builds keys under the organization and month, never from input", () => {
    const key = mediaStorageKey("org1", "jpg", new Date("2026-03-05T00:00:00Z"));
    expect(key).toMatch(/^org1\/2026\/03\/[a-z0-9]{24}\.jpg$/);
    expect(mediaStorageKey("org1", "jpg")).not.toBe(mediaStorageKey("org1", "jpg"));
  });

  it("local disk: put, read ranges, stream, size, remove; refuses path tricks", async () => {
    const storage = new LocalDiskStorage(path.join(dir, "store"));
    const key = mediaStorageKey("org1", "bin");
    const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));
    await storage.put(key, await saved("put.bin", bytes));
    expect(await storage.exists(key)).toBe(true);
    expect(await storage.size(key)).toBe(1000);
    expect((await storage.read(key, 10, 20)).equals(bytes.subarray(10, 20))).toBe(true);
    const streamed = Buffer.from(await new Response(await storage.stream(key, { start: 990, end: 1000 })).arrayBuffer());
    expect(streamed.equals(bytes.subarray(990))).toBe(true);
    await storage.remove(key);
    expect(await storage.exists(key)).toBe(false);
    await expect(storage.read("../../etc/passwd", 0, 10)).rejects.toThrow(/Invalid media storage key/);
    await expect(storage.read("/etc/passwd", 0, 10)).rejects.toThrow(/Invalid media storage key/);
  });

  describe("S3 against a local double", () => {
    const objects = new Map<string, { body: Buffer; type: string | null }>();
    const seen: { method: string; path: string; range: string | null }[] = [];
    let double: ServedFetch;
    beforeAll(async () => {
      double = await serveFetch(async (request) => {
        const { pathname } = new URL(request.url);
        seen.push({ method: request.method, path: pathname, range: request.headers.get("range") });
        const object = objects.get(pathname);
        if (request.method === "PUT") {
          objects.set(pathname, { body: Buffer.from(await request.arrayBuffer()), type: request.headers.get("content-type") });
          return new Response(null, { status: 200, headers: { etag: '"x"' } });
        }
        if (request.method === "DELETE") {
          objects.delete(pathname);
          return new Response(null, { status: 204 });
        }
        if (!object) {
          return request.method === "HEAD"
            ? new Response(null, { status: 404 })
            : new Response("<Error><Code>NoSuchKey</Code><Message>gone</Message></Error>", { status: 404, headers: { "content-type": "application/xml" } });
        }
        const range = /^bytes=(\d+)-(\d+)$/.exec(request.headers.get("range") ?? "");
        const body = range ? object.body.subarray(Number(range[1]), Number(range[2]) + 1) : object.body;
        const headers = { "content-length": String(body.length), "content-type": object.type ?? "application/octet-stream", etag: '"x"' };
        if (request.method === "HEAD") return new Response(null, { status: 200, headers });
        return new Response(new Uint8Array(body), { status: range ? 206 : 200, headers });
      });
    });
    afterAll(async () => {
      await double.close();
    });

    it("puts, reads a range, sizes and removes objects path-style in the bucket", async () => {
      const storage = new S3Storage({ bucket: "midia", region: "sa-east-1", endpoint: double.url, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
      const key = mediaStorageKey("org1", "mp4");
      const bytes = mp4Bytes({ durationMs: 1000, width: 8, height: 8, sizeBytes: 200_000 });
      await storage.put(key, await saved("s3.mp4", bytes), "video/mp4");
      expect(objects.get(`/midia/${key}`)?.body.equals(bytes)).toBe(true);
      expect(objects.get(`/midia/${key}`)?.type).toBe("video/mp4");
      expect((await storage.read(key, 100, 200)).equals(bytes.subarray(100, 200))).toBe(true);
      expect(seen.some((r) => r.method === "GET" && r.range === "bytes=100-199")).toBe(true);
      expect(await storage.size(key)).toBe(200_000);
      await storage.remove(key);
      expect(await storage.exists(key)).toBe(false);
    });
  });
});
