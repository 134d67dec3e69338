import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// A 1 MiB upload limit so "too large" needs only a 2 MB body (env.js reads it at import time).
vi.hoisted(() => {
  process.env.MEDIA_MAX_UPLOAD_MB = "1";
});

// The session guard needs Next's request scope; the route's own logic is what is tested here.
const session = vi.hoisted(() => ({ tenant: null as unknown }));
vi.mock("~/app/api/v1/auth/_lib/tenant", async () => {
  const { AppError } = await import("~/server/lib/errors");
  return {
    tenantFromSession: async () => {
      if (!session.tenant) throw new AppError("UNAUTHORIZED", "signInRequired", "Sign in to continue");
      return session.tenant;
    },
  };
});

import { POST as uploadRoute } from "~/app/api/v1/media/route";
import { env } from "~/env";
import { signedMediaUrl } from "~/server/media/signed-url";
import { LocalDiskStorage, setMediaStorage } from "~/server/media/storage";
import { openContentPublishMedia, openPublishMedia, mediaFactsOf } from "~/server/media/publish-media";
import { deliverMedia } from "~/server/services/media/deliver";
import { uploadMedia, type UploadOutcome } from "~/server/services/media/upload";
import { jpegBytes, mp4Bytes } from "../helpers/media-fixtures";
import { serveFetch, type ServedFetch } from "../helpers/serve-fetch";
import { callerFor, createOrgFixture, db, outcome, tenantCtxOf, type OrgFixture } from "./helpers/fixtures";

const EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

let mediaDir: string;
let fx: OrgFixture;
let other: OrgFixture;
let server: ServedFetch;

async function storedFiles(): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else out.push(path.relative(mediaDir, full));
    }
  };
  await walk(mediaDir);
  return out.sort();
}

function form(file: { bytes: Buffer; name: string } | null, contentId?: string) {
  const data = new FormData();
  if (contentId) data.append("contentId", contentId);
  if (file) data.append("file", new Blob([new Uint8Array(file.bytes)]), file.name);
  const request = new Request("http://app.test/api/v1/media", { method: "POST", body: data });
  return { body: request.body, contentType: request.headers.get("content-type"), contentLength: null };
}

async function upload(org: OrgFixture, file: { bytes: Buffer; name: string } | null, contentId?: string): Promise<UploadOutcome> {
  return uploadMedia(tenantCtxOf(org, "OPERATOR"), form(file, contentId));
}

function accepted(result: UploadOutcome) {
  if (!result.ok) throw new Error(`upload refused: ${result.code}`);
  return result.media;
}

beforeAll(async () => {
  mediaDir = await mkdtemp(path.join(tmpdir(), "ss-media-it-"));
  setMediaStorage(new LocalDiskStorage(mediaDir));
  fx = await createOrgFixture("midia");
  other = await createOrgFixture("outra");
  // The file route over real HTTP, as a network would fetch it.
  server = await serveFetch(async (request) => {
    const match = /^\/api\/v1\/media\/([^/]+)\/([^/]+)$/.exec(new URL(request.url).pathname);
    if (!match) return new Response(null, { status: 404 });
    return deliverMedia(db, request, decodeURIComponent(match[1]!), match[2]!);
  });
});

afterAll(async () => {
  setMediaStorage(null);
  await server.close();
  await rm(mediaDir, { recursive: true, force: true });
});

describe("upload service", () => {
  it("accepts a JPEG: row READY with probed facts, file and thumbnail stored, audit entry", async () => {
    const bytes = await jpegBytes({ width: 1080, height: 1350 });
    const media = accepted(await upload(fx, { bytes, name: "vitrine.png" }, fx.contentId));
    expect(media).toMatchObject({ fileName: "vitrine.png", mimeType: "image/jpeg", kind: "IMAGE", sizeBytes: bytes.length, width: 1080, height: 1350, durationMs: null, status: "READY", rejectReason: null, contentId: fx.contentId });
    expect(media.url).toMatch(new RegExp(`^/api/v1/media/${media.id}/file\\?exp=\\d+&sig=`));
    expect(media.thumbnailUrl).toMatch(new RegExp(`^/api/v1/media/${media.id}/thumbnail\\?`));
    const row = await db.media.findUniqueOrThrow({ where: { id: media.id } });
    expect(row.storageKey).toMatch(new RegExp(`^${fx.organizationId}/\\d{4}/\\d{2}/[a-z0-9]{24}\\.jpg$`));
    expect(row.checksumSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await storedFiles()).toEqual(expect.arrayContaining([row.storageKey, row.thumbnailKey]));
    const entry = await db.auditLog.findFirst({ where: { organizationId: fx.organizationId, action: "media.uploaded", targetId: media.id } });
    expect(entry?.metadata).toMatchObject({ status: "READY", contentId: fx.contentId });
  });

  it("puts each upload of a content after the ones before", async () => {
    const content = await db.content.create({ data: { organizationId: fx.organizationId, title: "Carrossel" } });
    const first = accepted(await upload(fx, { bytes: await jpegBytes({ width: 100, height: 100, color: { r: 1, g: 2, b: 3 } }), name: "1.jpg" }, content.id));
    const second = accepted(await upload(fx, { bytes: mp4Bytes({ durationMs: 12_000, width: 1080, height: 1920 }), name: "2.mp4" }, content.id));
    expect([first.position, second.position]).toEqual([0, 1]);
    expect(second).toMatchObject({ kind: "VIDEO", mimeType: "video/mp4", width: 1080, height: 1920, durationMs: 12_000 });
  });

  it("gives concurrent uploads to one content distinct positions", async () => {
    const content = await db.content.create({ data: { organizationId: fx.organizationId, title: "Ao mesmo tempo" } });
    const files = await Promise.all([40, 80, 120, 160].map((c) => jpegBytes({ width: 32, height: 32, color: { r: c, g: 0, b: c } })));
    const results = await Promise.all(files.map((bytes, i) => upload(fx, { bytes, name: `${i}.jpg` }, content.id)));
    expect(results.map((r) => accepted(r).position).sort()).toEqual([0, 1, 2, 3]);
  });

  it("refuses a file over the limit with 413 too_large and stores nothing", async () => {
    const before = await storedFiles();
    const rows = await db.media.count({ where: { organizationId: fx.organizationId } });
    const result = await upload(fx, { bytes: mp4Bytes({ durationMs: 1000, width: 8, height: 8, sizeBytes: 2 * 1024 * 1024 }), name: "big.mp4" });
    expect(result).toMatchObject({ ok: false, status: 413, code: "too_large", media: null });
    expect(!result.ok && result.message).toContain("1 MB");
    // Declared size over the limit: refused before reading anything.
    const early = await uploadMedia(tenantCtxOf(fx), { ...form({ bytes: Buffer.from("x"), name: "a.jpg" }), contentLength: 5 * 1024 * 1024 });
    expect(early).toMatchObject({ ok: false, status: 413, code: "too_large" });
    expect(await storedFiles()).toEqual(before);
    expect(await db.media.count({ where: { organizationId: fx.organizationId } })).toBe(rows);
  });

  it("rejects a disguised type (HTML named .jpg) with a REJECTED row and no stored bytes", async () => {
    const before = await storedFiles();
    const result = await upload(fx, { bytes: Buffer.from("<!doctype html><html><script>alert(1)</script></html>"), name: "foto.jpg" }, fx.contentId);
    expect(result).toMatchObject({ ok: false, status: 415, code: "type_not_allowed" });
    const media = !result.ok ? result.media : null;
    expect(media).toMatchObject({ status: "REJECTED", rejectReason: "type_not_allowed", url: null, thumbnailUrl: null, fileName: "foto.jpg" });
    expect((await db.media.findUniqueOrThrow({ where: { id: media!.id } })).storageKey).toBe("");
    expect(await storedFiles()).toEqual(before);
  });

  it("rejects the EICAR test file and an empty file", async () => {
    const infected = mp4Bytes({ durationMs: 1000, width: 8, height: 8 });
    infected.write(EICAR, 600, "latin1");
    expect(await upload(fx, { bytes: infected, name: "v.mp4" })).toMatchObject({ ok: false, status: 422, code: "malware_signature", media: { status: "REJECTED", rejectReason: "malware_signature" } });
    expect(await upload(fx, { bytes: Buffer.alloc(0), name: "vazio.jpg" })).toMatchObject({ ok: false, code: "empty_file", media: null });
    expect(await upload(fx, null)).toMatchObject({ ok: false, code: "no_file" });
  });

  it("refuses another organization's content as content_not_found", async () => {
    const result = await upload(fx, { bytes: await jpegBytes({ width: 10, height: 10 }), name: "a.jpg" }, other.contentId);
    expect(result).toMatchObject({ ok: false, status: 404, code: "content_not_found" });
  });

  it("stores the same bytes once: a duplicate gets its own row pointing at the same file", async () => {
    const bytes = await jpegBytes({ width: 300, height: 200, color: { r: 9, g: 9, b: 9 } });
    const first = accepted(await upload(fx, { bytes, name: "a.jpg" }));
    const filesAfterFirst = await storedFiles();
    const second = accepted(await upload(fx, { bytes, name: "copia.jpg" }));
    expect(second.id).not.toBe(first.id);
    expect(second).toMatchObject({ fileName: "copia.jpg", width: 300, height: 200, status: "READY" });
    expect(await storedFiles()).toEqual(filesAfterFirst);
    const [a, b] = await Promise.all([first, second].map((m) => db.media.findUniqueOrThrow({ where: { id: m.id } })));
    expect(b!.storageKey).toBe(a!.storageKey);
    // Another organization uploading the same bytes gets its own copy.
    const theirs = accepted(await upload(other, { bytes, name: "a.jpg" }));
    expect((await db.media.findUniqueOrThrow({ where: { id: theirs.id } })).storageKey.startsWith(other.organizationId)).toBe(true);
  });
});

describe("upload route", () => {
  it("refuses a cross-site or origin-less upload with 403 before anything else", async () => {
    for (const headers of [{ origin: "https://evil.example" }, {}] as Record<string, string>[]) {
      const response = await uploadRoute(new Request(`${env.APP_URL}/api/v1/media`, { method: "POST", headers, body: new FormData() }));
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ data: null, errors: [{ code: "cross_site" }] });
    }
  });

  it("answers 401 without a session and uploads from the app's origin with a session", async () => {
    const post = (body: FormData) => uploadRoute(new Request(`${env.APP_URL}/api/v1/media`, { method: "POST", headers: { origin: new URL(env.APP_URL).origin }, body }));
    const body = () => {
      const data = new FormData();
      data.append("contentId", fx.contentId);
      return data;
    };
    session.tenant = null;
    const anonymous = await post(body());
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ data: null, errors: [{ code: "signInRequired" }] });

    session.tenant = tenantCtxOf(fx, "OPERATOR");
    const ok = body();
    ok.append("file", new Blob([new Uint8Array(await jpegBytes({ width: 200, height: 100, color: { r: 1, g: 200, b: 3 } }))]), "rota.jpg");
    const accepted = await post(ok);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ data: { fileName: "rota.jpg", status: "READY", width: 200, height: 100, contentId: fx.contentId }, errors: [] });

    const bad = body();
    bad.append("file", new Blob([new Uint8Array(Buffer.from("MZ\u0090\u0000 not an image"))]), "rota2.jpg");
    const refused = await post(bad);
    expect(refused.status).toBe(415);
    expect(await refused.json()).toMatchObject({ data: { status: "REJECTED", rejectReason: "type_not_allowed" }, errors: [{ code: "type_not_allowed" }] });
    session.tenant = null;
  });
});

describe("signed file route", () => {
  let mediaId: string;
  let bytes: Buffer;
  beforeAll(async () => {
    bytes = mp4Bytes({ durationMs: 5000, width: 720, height: 1280, sizeBytes: 300_000 });
    mediaId = accepted(await upload(fx, { bytes, name: "reel.mp4" })).id;
  });

  it("serves the whole file with type, length, ETag and Accept-Ranges", async () => {
    const response = await fetch(signedMediaUrl(server.url, mediaId, "file", 600));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("video/mp4");
    expect(response.headers.get("content-length")).toBe(String(bytes.length));
    expect(response.headers.get("accept-ranges")).toBe("bytes");
    const row = await db.media.findUniqueOrThrow({ where: { id: mediaId } });
    expect(response.headers.get("etag")).toBe(`"${row.checksumSha256}"`);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("answers a Range with 206 and exactly those bytes; an impossible one with 416", async () => {
    const url = signedMediaUrl(server.url, mediaId, "file", 600);
    const response = await fetch(url, { headers: { range: "bytes=1000-1999" } });
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe(`bytes 1000-1999/${bytes.length}`);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes.subarray(1000, 2000))).toBe(true);
    const past = await fetch(url, { headers: { range: `bytes=${bytes.length}-` } });
    expect(past.status).toBe(416);
  });

  it("serves the thumbnail as JPEG", async () => {
    const response = await fetch(signedMediaUrl(server.url, mediaId, "thumbnail", 600));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/jpeg");
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.subarray(0, 2).equals(Buffer.from([0xff, 0xd8]))).toBe(true);
    expect(response.headers.get("content-length")).toBe(String(body.length));
  });

  it("refuses an expired or tampered link with 403 and a deleted or rejected media with 404", async () => {
    const expired = signedMediaUrl(server.url, mediaId, "file", 60, new Date(Date.now() - 3 * 3600_000));
    expect((await fetch(expired)).status).toBe(403);
    const valid = signedMediaUrl(server.url, mediaId, "file", 600);
    expect((await fetch(valid.replace(/exp=(\d+)/, (_, e: string) => `exp=${Number(e) + 300}`))).status).toBe(403);
    expect((await fetch(valid.replace("/file?", "/thumbnail?"))).status).toBe(403);
    const rejected = await upload(fx, { bytes: Buffer.from("%PDF-1.4\n"), name: "doc.jpg" });
    expect((await fetch(signedMediaUrl(server.url, rejected.ok ? "" : rejected.media!.id, "file", 600))).status).toBe(404);
    expect((await fetch(signedMediaUrl(server.url, "nao-existe", "file", 600))).status).toBe(404);
    const gone = accepted(await upload(fx, { bytes: await jpegBytes({ width: 20, height: 20, color: { r: 5, g: 6, b: 7 } }), name: "g.jpg" }));
    const goneUrl = signedMediaUrl(server.url, gone.id, "file", 600);
    expect((await fetch(goneUrl)).status).toBe(200);
    await (await callerFor(fx.users.OPERATOR.userId)).media.remove({ id: gone.id });
    expect((await fetch(goneUrl)).status).toBe(404);
  });
});

describe("media procedures", () => {
  it("tell the browser the upload limit and the accepted types", async () => {
    const api = await callerFor(fx.users.VIEWER.userId);
    expect(await api.media.limits()).toEqual({ maxUploadBytes: 1024 * 1024, acceptedTypes: ["image/jpeg", "image/png", "image/webp", "video/mp4", "video/quicktime", "video/webm"] });
  });

  it("list a content's media in order; attach, reorder and remove keep the order dense", async () => {
    const content = await db.content.create({ data: { organizationId: fx.organizationId, title: "Ordem" } });
    const ids: string[] = [];
    for (const shade of [10, 20, 30]) {
      ids.push(accepted(await upload(fx, { bytes: await jpegBytes({ width: 64, height: 64, color: { r: shade, g: shade, b: shade } }), name: `${shade}.jpg` }, content.id)).id);
    }
    const loose = accepted(await upload(fx, { bytes: await jpegBytes({ width: 64, height: 64, color: { r: 99, g: 0, b: 0 } }), name: "solta.jpg" }));
    const api = await callerFor(fx.users.OPERATOR.userId);
    const order = async () => (await api.media.list({ contentId: content.id, limit: 50 })).items.map((m) => [m.id, m.position]);

    expect(await order()).toEqual([[ids[0], 0], [ids[1], 1], [ids[2], 2]]);
    const attached = await api.media.attach({ mediaId: loose.id, contentId: content.id, position: 1 });
    expect(attached).toMatchObject({ id: loose.id, contentId: content.id, position: 1 });
    expect(await order()).toEqual([[ids[0], 0], [loose.id, 1], [ids[1], 2], [ids[2], 3]]);

    await api.media.reorder({ contentId: content.id, mediaIds: [ids[2]!, ids[0]!] });
    expect(await order()).toEqual([[ids[2], 0], [ids[0], 1], [loose.id, 2], [ids[1], 3]]);

    await api.media.remove({ id: ids[0]! });
    expect(await order()).toEqual([[ids[2], 0], [loose.id, 1], [ids[1], 2]]);
    expect(await outcome(() => api.media.get({ id: ids[0]! }))).toBe("NOT_FOUND");
    const removed = await db.media.findUniqueOrThrow({ where: { id: ids[0]! } });
    expect(removed.deletedAt).not.toBeNull();
    expect(removed.contentId).toBeNull();
  });

  it("refuses to attach a rejected media, to reorder with another content's media, and a page cursor works", async () => {
    const api = await callerFor(fx.users.OPERATOR.userId);
    const rejected = await upload(fx, { bytes: Buffer.from("PK\u0003\u0004zipzipzip"), name: "a.jpg" });
    const rejectedId = rejected.ok ? "" : rejected.media!.id;
    expect(await outcome(() => api.media.attach({ mediaId: rejectedId, contentId: fx.contentId }))).toBe("PRECONDITION_FAILED");
    expect(await outcome(() => api.media.reorder({ contentId: fx.contentId, mediaIds: [rejectedId] }))).toBe("NOT_FOUND");
    const first = await api.media.list({ limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await api.media.list({ limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((m) => m.id)).not.toContain(first.items[0]!.id);
  });
});

describe("publishing helpers", () => {
  it("open a READY media with a signed URL and byte-range reads; facts for validation", async () => {
    const bytes = mp4Bytes({ durationMs: 30_000, width: 1080, height: 1920, sizeBytes: 500_000 });
    const content = await db.content.create({ data: { organizationId: fx.organizationId, title: "Publicar" } });
    const media = accepted(await upload(fx, { bytes, name: "p.mp4" }, content.id));
    const opened = await openPublishMedia(db, fx.organizationId, media.id, "https://app.example.com");
    expect(opened).toMatchObject({ kind: "VIDEO", mimeType: "video/mp4", sizeBytes: 500_000, width: 1080, height: 1920, durationMs: 30_000 });
    expect(opened.url).toMatch(new RegExp(`^https://app\\.example\\.com/api/v1/media/${media.id}/file\\?exp=\\d+&sig=`));
    expect(Buffer.from(await opened.read(100_000, 100_010)).equals(bytes.subarray(100_000, 100_010))).toBe(true);
    await expect(opened.read(0, 500_001)).rejects.toThrow(RangeError);
    const all = await openContentPublishMedia(db, fx.organizationId, content.id, "https://app.example.com");
    expect(all.map((m) => m.sizeBytes)).toEqual([500_000]);
    expect(mediaFactsOf(await db.media.findUniqueOrThrow({ where: { id: media.id } }))).toEqual({ mimeType: "video/mp4", sizeBytes: 500_000, width: 1080, height: 1920, durationMs: 30_000 });
    await expect(openPublishMedia(db, other.organizationId, media.id, "https://app.example.com")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
