/**
 * Campaigns and content through the `content` router on a real PostgreSQL: creating with variants
 * prefilled from the base caption, list filters and pages, variant edits, the approval flow and
 * its review thread, the organization's approval-required setting (edits send an approved piece
 * back to draft only when it is on), readiness for scheduling (not found, not approved, missing or
 * invalid variant, the variant ids), deletion refused while publications are on their way, and
 * tenancy (another organization's rows are NOT_FOUND).
 */
import { beforeAll, describe, expect, it } from "vitest";

import { assertReadyToSchedule, loadReadiness } from "~/server/services/content/readiness";
import { callerFor, createOrgFixture, db, outcome, tenantCtxOf, type OrgFixture } from "./helpers/fixtures";

let fx: OrgFixture;
let other: OrgFixture;
type Caller = Awaited<ReturnType<typeof callerFor>>;
let manager: Caller;
let operator: Caller;
let viewer: Caller;
let outsider: Caller;

beforeAll(async () => {
  fx = await createOrgFixture("conteudo");
  other = await createOrgFixture("outra");
  [manager, operator, viewer, outsider] = await Promise.all([
    callerFor(fx.users.MANAGER.userId),
    callerFor(fx.users.OPERATOR.userId),
    callerFor(fx.users.VIEWER.userId),
    callerFor(other.users.OWNER.userId),
  ]);
});

async function addMedia(org: OrgFixture, contentId: string, data: { mimeType: string; width?: number; height?: number; durationMs?: number; status?: "READY" | "PROCESSING"; position?: number }) {
  return db.media.create({
    data: {
      organizationId: org.organizationId,
      contentId,
      storageKey: `${org.organizationId}/${Math.random().toString(36).slice(2)}`,
      fileName: "arquivo",
      mimeType: data.mimeType,
      sizeBytes: 2048n,
      checksumSha256: "1".repeat(64),
      width: data.width ?? 1080,
      height: data.height ?? 1080,
      durationMs: data.durationMs ?? null,
      status: data.status ?? "READY",
      position: data.position ?? 0,
    },
  });
}

describe("content pieces", () => {
  it("creates a piece with one variant per chosen network, prefilled from the base caption", async () => {
    const { id } = await operator.content.create({ title: "Promoção de verão", baseCaption: "Tudo com 20% off", campaignId: fx.social.campaignId, networks: ["INSTAGRAM", "YOUTUBE", "INSTAGRAM"] });
    const got = await viewer.content.get({ id });
    expect(got).toMatchObject({ title: "Promoção de verão", baseCaption: "Tudo com 20% off", status: "DRAFT", campaign: { id: fx.social.campaignId }, createdBy: { id: fx.users.OPERATOR.userId }, mediaCount: 0, publications: [] });
    expect(got.variants.map((v) => [v.network, v.caption])).toEqual([
      ["INSTAGRAM", "Tudo com 20% off"],
      ["YOUTUBE", "Tudo com 20% off"],
    ]);
    const audit = await db.auditLog.findFirst({ where: { organizationId: fx.organizationId, action: "content.create", targetId: id } });
    expect(audit?.actorUserId).toBe(fx.users.OPERATOR.userId);
  });

  it("refuses another organization's campaign (NOT_FOUND) and an archived one", async () => {
    await expect(operator.content.create({ title: "X", campaignId: other.social.campaignId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const { id: archived } = await operator.content.campaigns.create({ name: "Antiga" });
    await operator.content.campaigns.archive({ id: archived });
    await expect(operator.content.create({ title: "X", campaignId: archived })).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { reason: "campaignArchived" } });
    // A piece already in a campaign that gets archived may still be saved with it.
    const { id: live } = await operator.content.campaigns.create({ name: "Vai arquivar" });
    const { id } = await operator.content.create({ title: "Na campanha", campaignId: live });
    await operator.content.campaigns.archive({ id: live });
    expect(await outcome(() => operator.content.update({ id, title: "Renomeado", campaignId: live }))).toBe("OK");
    await expect(operator.content.update({ id, campaignId: archived })).rejects.toMatchObject({ cause: { reason: "campaignArchived" } });
  });

  it("lists with status, campaign, network and text filters, page by page", async () => {
    const org = await createOrgFixture("lista");
    const me = await callerFor(org.users.OWNER.userId);
    const { id: campaignId } = await me.content.campaigns.create({ name: "Natal" });
    const a = await me.content.create({ title: "Vídeo de Natal", campaignId, networks: ["TIKTOK"] });
    const b = await me.content.create({ title: "Carrossel de ofertas", baseCaption: "Natal chegando", networks: ["INSTAGRAM"] });
    await me.content.submitForReview({ id: b.id });

    const ids = async (input: Parameters<typeof me.content.list>[0]) => (await me.content.list(input)).items.map((i) => i.id);
    expect(await ids({ limit: 50, campaignId })).toEqual([a.id]);
    expect(await ids({ limit: 50, network: "TIKTOK" })).toEqual([a.id]);
    expect((await ids({ limit: 50, status: "IN_REVIEW" })).sort()).toEqual([b.id, org.social.reviewContentId].sort());
    expect(await ids({ limit: 50, status: "DRAFT", campaignId })).toEqual([a.id]);
    expect((await ids({ limit: 50, search: "natal" })).sort()).toEqual([a.id, b.id].sort());
    expect(await ids({ limit: 50, search: "carrossel" })).toEqual([b.id]);

    const first = await me.content.list({ limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await me.content.list({ limit: 2, cursor: first.nextCursor! });
    expect(second.nextCursor).toBeNull();
    // The fixture's own two contents make four.
    const all = [...first.items, ...second.items].map((i) => i.id);
    expect(new Set(all).size).toBe(4);
    expect(all).toEqual(expect.arrayContaining([a.id, b.id, org.contentId]));
  });

  it("stores variants with normalized hashtags, replaces them, and removes them", async () => {
    const { id } = await operator.content.create({ title: "Variantes" });
    const saved = await operator.content.upsertVariant({ contentId: id, network: "YOUTUBE", caption: "Descrição", hashtags: ["#oferta", "  verão ", ""], title: "  Meu vídeo ", privacy: "unlisted" });
    expect(saved.variant).toMatchObject({ network: "YOUTUBE", hashtags: ["oferta", "verão"], title: "Meu vídeo", privacy: "unlisted" });
    await operator.content.upsertVariant({ contentId: id, network: "YOUTUBE", caption: "Outra", hashtags: [], title: null, privacy: "" });
    let got = await operator.content.get({ id });
    expect(got.variants).toHaveLength(1);
    expect(got.variants[0]).toMatchObject({ caption: "Outra", hashtags: [], title: null, privacy: null });
    await operator.content.removeVariant({ contentId: id, network: "YOUTUBE" });
    got = await operator.content.get({ id });
    expect(got.variants).toEqual([]);
  });

  it("hides another organization's content behind NOT_FOUND on every procedure", async () => {
    const id = fx.contentId;
    expect(await outcome(() => outsider.content.get({ id }))).toBe("NOT_FOUND");
    expect(await outcome(() => outsider.content.update({ id, title: "Hack" }))).toBe("NOT_FOUND");
    expect(await outcome(() => outsider.content.upsertVariant({ contentId: id, network: "TIKTOK", caption: "x", hashtags: [] }))).toBe("NOT_FOUND");
    expect(await outcome(() => outsider.content.submitForReview({ id }))).toBe("NOT_FOUND");
    expect(await outcome(() => outsider.content.comment({ id, body: "oi" }))).toBe("NOT_FOUND");
    expect(await outcome(() => outsider.content.delete({ id }))).toBe("NOT_FOUND");
    expect(await outcome(() => outsider.content.campaigns.get({ id: fx.social.campaignId }))).toBe("NOT_FOUND");
    expect((await outsider.content.list({ limit: 100 })).items.map((i) => i.id)).not.toContain(id);
    const untouched = await db.content.findUniqueOrThrow({ where: { id } });
    expect(untouched.title).not.toBe("Hack");
    expect(await db.contentVariant.count({ where: { contentId: id, network: "TIKTOK" } })).toBe(0);
  });
});

describe("approval", () => {
  it("moves DRAFT → IN_REVIEW → APPROVED, records each step in the review thread and the audit log", async () => {
    const { id } = await operator.content.create({ title: "Aprovação" });
    expect(await operator.content.submitForReview({ id, comment: "Pode revisar?" })).toEqual({ id, status: "IN_REVIEW" });
    await expect(operator.content.approve({ id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await manager.content.comment({ id, body: "Vou olhar à tarde" });
    expect(await manager.content.approve({ id, comment: "Perfeito" })).toEqual({ id, status: "APPROVED" });

    const got = await viewer.content.get({ id });
    expect(got.status).toBe("APPROVED");
    expect(got.approvedAt).toBeInstanceOf(Date);
    expect(got.reviewComments.map((c) => [c.fromStatus, c.toStatus, c.body, c.author?.id])).toEqual([
      ["DRAFT", "IN_REVIEW", "Pode revisar?", fx.users.OPERATOR.userId],
      [null, null, "Vou olhar à tarde", fx.users.MANAGER.userId],
      ["IN_REVIEW", "APPROVED", "Perfeito", fx.users.MANAGER.userId],
    ]);
    const actions = await db.auditLog.findMany({ where: { organizationId: fx.organizationId, targetId: id }, select: { action: true }, orderBy: { createdAt: "asc" } });
    expect(actions.map((a) => a.action)).toEqual(["content.create", "content.review.submit", "content.review.comment", "content.review.approve"]);
  });

  it("sends back to draft with a required comment, and refuses steps from the wrong status", async () => {
    const { id } = await operator.content.create({ title: "Mudanças" });
    await expect(manager.content.approve({ id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", cause: { reason: "contentNotInReview" } });
    await operator.content.submitForReview({ id });
    await expect(operator.content.submitForReview({ id })).rejects.toMatchObject({ cause: { reason: "contentNotDraft" } });
    expect(await outcome(() => manager.content.requestChanges({ id, comment: "   " }))).toBe("BAD_REQUEST");
    expect(await manager.content.requestChanges({ id, comment: "Troque a foto de capa" })).toEqual({ id, status: "DRAFT" });
    const got = await operator.content.get({ id });
    expect(got.reviewComments.at(-1)).toMatchObject({ fromStatus: "IN_REVIEW", toStatus: "DRAFT", body: "Troque a foto de capa" });
  });

  it("keeps the setting in organizations.settings next to other keys; only org:update may change it", async () => {
    const org = await createOrgFixture("ajuste");
    await db.organization.update({ where: { id: org.organizationId }, data: { settings: { scoreWeights: { title: 10 } } } });
    const me = await callerFor(org.users.OWNER.userId);
    expect(await me.content.settings()).toEqual({ approvalRequired: false });
    const op = await callerFor(org.users.OPERATOR.userId);
    await expect(op.content.setApprovalRequired({ required: true })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const mgr = await callerFor(org.users.MANAGER.userId);
    expect(await mgr.content.setApprovalRequired({ required: true })).toEqual({ approvalRequired: true });
    expect(await op.content.settings()).toEqual({ approvalRequired: true });
    const row = await db.organization.findUniqueOrThrow({ where: { id: org.organizationId } });
    expect(row.settings).toEqual({ scoreWeights: { title: 10 }, approvalRequired: true });
    // Another organization is untouched.
    expect(await outsider.content.settings()).toEqual({ approvalRequired: false });
  });

  it("sends an approved piece back to draft on a text or variant edit when approval is required, not otherwise", async () => {
    const org = await createOrgFixture("edicao");
    const op = await callerFor(org.users.OPERATOR.userId);
    const mgr = await callerFor(org.users.MANAGER.userId);
    const approve = async (id: string) => {
      await op.content.submitForReview({ id });
      await mgr.content.approve({ id });
    };
    const { id } = await op.content.create({ title: "Editar", networks: ["INSTAGRAM"] });

    await approve(id);
    expect(await op.content.update({ id, title: "Editado sem exigência" })).toMatchObject({ status: "APPROVED" });

    await mgr.content.setApprovalRequired({ required: true });
    // Changing only the campaign is not an edit of what gets published.
    const { id: campaignId } = await op.content.campaigns.create({ name: "Outra campanha" });
    expect(await op.content.update({ id, campaignId })).toMatchObject({ status: "APPROVED" });
    expect(await op.content.update({ id, title: "Editado sem exigência" })).toMatchObject({ status: "APPROVED" }); // same text: no change
    expect(await op.content.update({ id, baseCaption: "Nova legenda" })).toMatchObject({ status: "DRAFT" });

    await approve(id);
    const same = (await op.content.get({ id })).variants[0]!;
    const resent = await op.content.upsertVariant({ contentId: id, network: "INSTAGRAM", caption: same.caption, hashtags: same.hashtags.map((h) => `#${h}`) });
    expect(resent.status).toBe("APPROVED");
    const variantEdit = await op.content.upsertVariant({ contentId: id, network: "INSTAGRAM", caption: "Nova", hashtags: [] });
    expect(variantEdit.status).toBe("DRAFT");

    await op.content.submitForReview({ id });
    expect((await op.content.removeVariant({ contentId: id, network: "INSTAGRAM" })).status).toBe("DRAFT");

    const thread = (await op.content.get({ id })).reviewComments.filter((c) => c.toStatus === "DRAFT");
    expect(thread.map((c) => [c.fromStatus, c.body])).toEqual([
      ["APPROVED", ""],
      ["APPROVED", ""],
      ["IN_REVIEW", ""],
    ]);
  });
});

describe("readiness for scheduling", () => {
  it("returns the variant id per network when the content and its media pass", async () => {
    const org = await createOrgFixture("pronto");
    const { id } = await (await callerFor(org.users.OWNER.userId)).content.create({ title: "Pronto", baseCaption: "Legenda", networks: ["INSTAGRAM", "TIKTOK"] });
    await addMedia(org, id, { mimeType: "image/jpeg", width: 1080, height: 1350, position: 1 });
    await addMedia(org, id, { mimeType: "image/jpeg", width: 1080, height: 1080, position: 0 });
    // Media still processing is not part of the post yet.
    await addMedia(org, id, { mimeType: "image/png", status: "PROCESSING", position: 2 });
    const ready = await assertReadyToSchedule(tenantCtxOf(org, "OPERATOR"), id, ["INSTAGRAM"]);
    const variant = await db.contentVariant.findFirstOrThrow({ where: { contentId: id, network: "INSTAGRAM" } });
    expect([...ready.entries()]).toEqual([["INSTAGRAM", { variantId: variant.id }]]);

    // TikTok takes video only: the same images make its variant invalid, with the issues attached.
    const error = await assertReadyToSchedule(tenantCtxOf(org), id, ["INSTAGRAM", "TIKTOK"]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST", reason: "variantInvalid", details: { params: { network: "TIKTOK" } } });
    const issues = (error as { details: { issues: { code: string }[] } }).details.issues.map((i) => i.code);
    expect(issues).toEqual(expect.arrayContaining(["tooManyMedia", "imagesNotAccepted"]));
  });

  it("refuses a missing variant, an unapproved piece when approval is required, and another tenant's or a deleted piece", async () => {
    const org = await createOrgFixture("recusas");
    const me = await callerFor(org.users.OWNER.userId);
    const { id } = await me.content.create({ title: "Recusas", baseCaption: "Legenda", networks: ["INSTAGRAM"] });
    await addMedia(org, id, { mimeType: "image/jpeg" });
    const ctx = tenantCtxOf(org);

    await expect(assertReadyToSchedule(ctx, id, ["YOUTUBE"])).rejects.toMatchObject({ code: "BAD_REQUEST", reason: "variantMissing", details: { params: { network: "YOUTUBE" } } });

    await me.content.setApprovalRequired({ required: true });
    await expect(assertReadyToSchedule(ctx, id, ["INSTAGRAM"])).rejects.toMatchObject({ code: "PRECONDITION_FAILED", reason: "contentNotApproved" });
    await me.content.submitForReview({ id });
    await me.content.approve({ id });
    expect((await assertReadyToSchedule({ db, organizationId: org.organizationId }, id, ["INSTAGRAM"])).has("INSTAGRAM")).toBe(true);

    await expect(assertReadyToSchedule(tenantCtxOf(other), id, ["INSTAGRAM"])).rejects.toMatchObject({ code: "NOT_FOUND" });
    await me.content.delete({ id });
    await expect(assertReadyToSchedule(ctx, id, ["INSTAGRAM"])).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("loadReadiness reports per-network issues without throwing, from a job context", async () => {
    const org = await createOrgFixture("leitura");
    const me = await callerFor(org.users.OWNER.userId);
    const { id } = await me.content.create({ title: "Leitura", networks: ["YOUTUBE", "INSTAGRAM"] });
    await addMedia(org, id, { mimeType: "video/mp4", width: 1920, height: 1080, durationMs: 30_000 });
    await me.content.setApprovalRequired({ required: true });

    const all = await loadReadiness(db, org.organizationId, id);
    expect(all).toMatchObject({ contentId: id, status: "DRAFT", approvalRequired: true, approved: false });
    const youtube = all!.networks.get("YOUTUBE");
    expect(youtube).toMatchObject({ ok: false, missing: false });
    expect(youtube!.issues.map((i) => i.code)).toEqual(["titleRequired"]);
    expect(all!.networks.get("INSTAGRAM")).toMatchObject({ ok: true });

    const asked = await loadReadiness(db, org.organizationId, id, ["TIKTOK"]);
    expect([...asked!.networks.values()]).toEqual([{ network: "TIKTOK", ok: false, variantId: null, issues: [], missing: true }]);
    expect(await loadReadiness(db, other.organizationId, id)).toBeNull();
  });
});

describe("deletion", () => {
  it("refuses while publications are scheduled, dispatched or publishing; soft-deletes once they are not", async () => {
    const org = await createOrgFixture("apagar");
    const me = await callerFor(org.users.OPERATOR.userId);
    // The fixture content has a SCHEDULED Instagram publication.
    await expect(me.content.delete({ id: org.contentId })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", cause: { reason: "contentHasScheduledPublications" } });
    await expect(me.content.removeVariant({ contentId: org.contentId, network: "INSTAGRAM" })).rejects.toMatchObject({ cause: { reason: "variantHasScheduledPublications" } });
    // Another network's variant has nothing on its way.
    await me.content.upsertVariant({ contentId: org.contentId, network: "TIKTOK", caption: "x", hashtags: [] });
    await me.content.removeVariant({ contentId: org.contentId, network: "TIKTOK" });

    const got = await me.content.get({ id: org.contentId });
    expect(got.publications).toEqual(expect.arrayContaining([{ status: "SCHEDULED", count: 1 }, { status: "FAILED", count: 1 }]));

    await db.publication.update({ where: { id: org.social.publicationId }, data: { status: "PUBLISHING" } });
    expect(await outcome(() => me.content.delete({ id: org.contentId }))).toBe("PRECONDITION_FAILED");
    await db.publication.update({ where: { id: org.social.publicationId }, data: { status: "CANCELED" } });
    expect(await me.content.delete({ id: org.contentId })).toEqual({ id: org.contentId });

    const row = await db.content.findUniqueOrThrow({ where: { id: org.contentId } });
    expect(row.deletedAt).toBeInstanceOf(Date);
    expect(await outcome(() => me.content.get({ id: org.contentId }))).toBe("NOT_FOUND");
    expect((await me.content.list({ limit: 50 })).items.map((i) => i.id)).not.toContain(org.contentId);
  });
});

describe("campaigns", () => {
  it("creates, lists with content counts, updates and archives", async () => {
    const org = await createOrgFixture("campanhas");
    const me = await callerFor(org.users.OPERATOR.userId);
    const startsAt = new Date("2026-12-01T03:00:00Z");
    const endsAt = new Date("2026-12-24T03:00:00Z");
    const { id } = await me.content.campaigns.create({ name: "Natal", objective: "sales", startsAt, endsAt });
    await me.content.create({ title: "Post 1", campaignId: id });
    const second = await me.content.create({ title: "Post 2", campaignId: id });
    await me.content.submitForReview({ id: second.id });

    const list = await me.content.campaigns.list({ limit: 50 });
    expect(list.items.find((c) => c.id === id)).toMatchObject({ name: "Natal", objective: "sales", status: "PLANNED", startsAt, endsAt, contentCount: 2 });
    const got = await me.content.campaigns.get({ id });
    expect(got.contentsByStatus).toEqual(expect.arrayContaining([{ status: "DRAFT", count: 1 }, { status: "IN_REVIEW", count: 1 }]));

    await me.content.campaigns.update({ id, status: "ACTIVE", name: "Natal 2026" });
    expect(await me.content.campaigns.get({ id })).toMatchObject({ name: "Natal 2026", status: "ACTIVE" });

    await me.content.campaigns.archive({ id });
    expect((await me.content.campaigns.list({ limit: 50 })).items.map((c) => c.id)).not.toContain(id);
    expect((await me.content.campaigns.list({ limit: 50, includeArchived: true })).items.map((c) => c.id)).toContain(id);
    expect((await me.content.campaigns.list({ limit: 50, status: "ARCHIVED" })).items.map((c) => c.id)).toEqual([id]);
  });

  it("refuses an end before the start, on create and against the stored start on update", async () => {
    const org = await createOrgFixture("datas");
    const me = await callerFor(org.users.OPERATOR.userId);
    expect(await outcome(() => me.content.campaigns.create({ name: "Errada", startsAt: new Date("2026-12-10"), endsAt: new Date("2026-12-01") }))).toBe("BAD_REQUEST");
    const { id } = await me.content.campaigns.create({ name: "Certa", startsAt: new Date("2026-12-10"), endsAt: new Date("2026-12-10") });
    await expect(me.content.campaigns.update({ id, endsAt: new Date("2026-12-09") })).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { reason: "campaignDatesInvalid" } });
    expect(await outcome(() => me.content.campaigns.update({ id: fx.social.campaignId, name: "Hack" }))).toBe("NOT_FOUND");
    expect(await outcome(() => me.content.campaigns.archive({ id: fx.social.campaignId }))).toBe("NOT_FOUND");
    expect(await outcome(() => (viewer as Caller).content.campaigns.create({ name: "Leitor" }))).toBe("FORBIDDEN");
  });
});

describe("planned publications follow edits", () => {
  it("bumps the version of scheduled publications on a real text or variant edit only", async () => {
    const org = await createOrgFixture("versao");
    const me = await callerFor(org.users.OPERATOR.userId);
    const version = async () => (await db.publication.findUniqueOrThrow({ where: { id: org.social.publicationId } })).version;
    const start = await version();
    const { id: campaignId } = await me.content.campaigns.create({ name: "Mudança" });
    await me.content.update({ id: org.contentId, campaignId });
    const variant = (await me.content.get({ id: org.contentId })).variants.find((v) => v.network === "INSTAGRAM")!;
    await me.content.upsertVariant({ contentId: org.contentId, network: "INSTAGRAM", caption: variant.caption, hashtags: variant.hashtags });
    expect(await version()).toBe(start);
    await me.content.upsertVariant({ contentId: org.contentId, network: "INSTAGRAM", caption: "Legenda nova", hashtags: variant.hashtags });
    expect(await version()).toBe(start + 1);
    await me.content.update({ id: org.contentId, title: "Título novo" });
    expect(await version()).toBe(start + 2);
  });
});
