import type { Rule } from "../access.test";

/** Access rows of the content procedures (see access.test.ts for what each row checks). */
export const contentAccess: Record<string, Rule> = {
  "content.list": { access: "tenant", permission: "content:read", minRole: "VIEWER", input: () => ({ limit: 50 }) },
  "content.get": { access: "tenant", permission: "content:read", minRole: "VIEWER", input: (fx) => ({ id: fx.a.contentId }), targetsRow: true },
  "content.create": {
    access: "tenant",
    permission: "content:write",
    minRole: "OPERATOR",
    input: (fx) => ({ title: "Lançamento", campaignId: fx.a.social.campaignId, networks: ["INSTAGRAM", "TIKTOK"] }),
    targetsRow: true,
  },
  "content.update": { access: "tenant", permission: "content:write", minRole: "OPERATOR", input: (fx) => ({ id: fx.a.contentId, title: "Novo título" }), targetsRow: true },
  "content.upsertVariant": {
    access: "tenant",
    permission: "content:write",
    minRole: "OPERATOR",
    input: (fx) => ({ contentId: fx.a.contentId, network: "YOUTUBE", caption: "Descrição", hashtags: ["oferta"], title: "Vídeo", privacy: "public" }),
    targetsRow: true,
  },
  "content.removeVariant": {
    access: "tenant",
    permission: "content:write",
    minRole: "OPERATOR",
    input: (fx) => ({ contentId: fx.a.social.reviewContentId, network: "INSTAGRAM" }),
    targetsRow: true,
  },
  "content.delete": { access: "tenant", permission: "content:write", minRole: "OPERATOR", input: (fx) => ({ id: fx.a.social.reviewContentId }), targetsRow: true },
  "content.submitForReview": { access: "tenant", permission: "content:write", minRole: "OPERATOR", input: (fx) => ({ id: fx.a.contentId, comment: "Pronto" }), targetsRow: true },
  "content.approve": { access: "tenant", permission: "content:approve", minRole: "MANAGER", input: (fx) => ({ id: fx.a.social.reviewContentId, comment: "Ok" }), targetsRow: true },
  "content.requestChanges": {
    access: "tenant",
    permission: "content:approve",
    minRole: "MANAGER",
    input: (fx) => ({ id: fx.a.social.reviewContentId, comment: "Troque a foto" }),
    targetsRow: true,
  },
  "content.comment": { access: "tenant", permission: "content:write", minRole: "OPERATOR", input: (fx) => ({ id: fx.a.contentId, body: "Gostei" }), targetsRow: true },
  "content.settings": { access: "tenant", permission: "content:read", minRole: "VIEWER", input: () => undefined },
  "content.setApprovalRequired": { access: "tenant", permission: "org:update", minRole: "MANAGER", input: () => ({ required: true }) },
  "content.campaigns.list": { access: "tenant", permission: "content:read", minRole: "VIEWER", input: () => ({ limit: 50 }) },
  "content.campaigns.get": { access: "tenant", permission: "content:read", minRole: "VIEWER", input: (fx) => ({ id: fx.a.social.campaignId }), targetsRow: true },
  "content.campaigns.create": {
    access: "tenant",
    permission: "content:write",
    minRole: "OPERATOR",
    input: () => ({ name: "Black Friday", objective: "sales", startsAt: new Date("2026-11-20T03:00:00Z"), endsAt: new Date("2026-11-30T03:00:00Z") }),
  },
  "content.campaigns.update": {
    access: "tenant",
    permission: "content:write",
    minRole: "OPERATOR",
    input: (fx) => ({ id: fx.a.social.campaignId, name: "Campanha renomeada", status: "ACTIVE" }),
    targetsRow: true,
  },
  "content.campaigns.archive": { access: "tenant", permission: "content:write", minRole: "OPERATOR", input: (fx) => ({ id: fx.a.social.campaignId }), targetsRow: true },
};
