import { describe, expect, it } from "vitest";

import { createYouTubeConnector, nextPacificMidnight } from "./client";

describe("nextPacificMidnight", () => {
  it("is 08:00 UTC in winter (PST) and 07:00 UTC in summer (PDT)", () => {
    expect(nextPacificMidnight(Date.parse("2026-11-20T12:00:00Z")).toISOString()).toBe("2026-11-21T08:00:00.000Z");
    expect(nextPacificMidnight(Date.parse("2026-07-01T06:59:00Z")).toISOString()).toBe("2026-07-01T07:00:00.000Z");
    expect(nextPacificMidnight(Date.parse("2026-07-01T07:00:00Z")).toISOString()).toBe("2026-07-02T07:00:00.000Z");
  });

  it("follows the daylight-saving switches", () => {
    // 8 March 2026: clocks go forward; the next midnight (9 March) is already PDT.
    expect(nextPacificMidnight(Date.parse("2026-03-08T09:00:00Z")).toISOString()).toBe("2026-03-09T07:00:00.000Z");
    // 1 November 2026: clocks go back; the next midnight (2 November) is PST.
    expect(nextPacificMidnight(Date.parse("2026-11-01T12:00:00Z")).toISOString()).toBe("2026-11-02T08:00:00.000Z");
  });
});

describe("createYouTubeConnector", () => {
  const base = { apiUrl: "http://x", analyticsUrl: "http://x", oauthUrl: "http://x", tokenUrl: "http://x", clientId: "c", clientSecret: "s", isSandbox: true };

  it("refuses a chunk size that is not a multiple of 256 KiB", () => {
    expect(() => createYouTubeConnector({ ...base, chunkSize: 1_000_000 })).toThrow(/256 KiB/);
    expect(createYouTubeConnector({ ...base, chunkSize: 4 * 256 * 1024 }).provider).toBe("YOUTUBE");
  });

  it("declares the quota cost of a publish and polling for comments", () => {
    const connector = createYouTubeConnector({ ...base, insertQuotaCost: 100 });
    expect(connector.publishQuotaCost).toEqual({ units: 100, dailyUnits: 10_000, resetTimeZone: "America/Los_Angeles" });
    expect(connector.commentsDelivery).toBe("polling");
    expect(connector.limits.network).toBe("YOUTUBE");
  });

  it("refuses to start a publish without a video or a title, before any call", async () => {
    const connector = createYouTubeConnector({ ...base, fetch: () => Promise.reject(new Error("no call expected")) });
    const credentials = { accessToken: "t", externalAccountId: "UC" };
    const media = { kind: "VIDEO" as const, mimeType: "video/mp4", sizeBytes: 10, width: 1, height: 1, durationMs: 1_000, url: "", read: async () => new Uint8Array(10) };
    const request = { caption: "c", title: "T", privacy: "public", reference: "r", media: [media] };
    expect(await connector.advancePublish(credentials, { ...request, title: " " }, null)).toMatchObject({ kind: "failed", code: "title_required" });
    expect(await connector.advancePublish(credentials, { ...request, media: [{ ...media, kind: "IMAGE", mimeType: "image/jpeg" }] }, null)).toMatchObject({
      kind: "failed",
      code: "media_not_supported",
    });
    expect(await connector.advancePublish(credentials, { ...request, privacy: "friends" }, null)).toMatchObject({ kind: "failed", code: "invalid_privacy" });
  });
});
