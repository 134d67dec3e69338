import { describe, expect, it } from "vitest";

import { quotePostIds, readableFailReason, tiktokCommentExternalId } from "./client";

describe("quotePostIds", () => {
  it("keeps 64-bit post ids exact", () => {
    const raw = '{"data":{"status":"PUBLISH_COMPLETE","publicaly_available_post_id":[7546872069719506914, 7100000000000000001],"uploaded_bytes":12}}';
    const parsed = JSON.parse(quotePostIds(raw)) as { data: { publicaly_available_post_id: string[]; uploaded_bytes: number } };
    expect(parsed.data.publicaly_available_post_id).toEqual(["7546872069719506914", "7100000000000000001"]);
    // Plain JSON.parse would have rounded it to another video's id.
    expect(String((JSON.parse(raw) as { data: { publicaly_available_post_id: number[] } }).data.publicaly_available_post_id[0])).not.toBe("7546872069719506914");
    expect(parsed.data.uploaded_bytes).toBe(12);
  });

  it("leaves empty lists, already quoted ids and other fields alone", () => {
    const raw = '{"title":"promo, 1234567890123456789]","publicaly_available_post_id":[],"other":["7546872069719506914"]}';
    expect(quotePostIds(raw)).toBe(raw);
    const quoted = '{"publicaly_available_post_id":["7546872069719506914"]}';
    expect(JSON.parse(quotePostIds(quoted))).toEqual({ publicaly_available_post_id: ["7546872069719506914"] });
  });
});

describe("readableFailReason", () => {
  it("explains TikTok's fail reasons in Portuguese, and names unknown ones", () => {
    expect(readableFailReason("duration_check_failed")).toMatch(/mais longo/);
    expect(readableFailReason("something_new")).toContain("something_new");
    expect(readableFailReason(undefined)).toMatch(/recusou/);
  });
});

describe("tiktokCommentExternalId", () => {
  it("carries the video id the Business API needs to hide a comment", () => {
    expect(tiktokCommentExternalId("7100000000000000001", "7200000000000000002")).toBe("7100000000000000001:7200000000000000002");
  });
});
