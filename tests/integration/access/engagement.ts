import type { Rule } from "../access.test";

/** Access rows of the engagement procedures (see access.test.ts for what each row checks). */
export const engagementAccess: Record<string, Rule> = {
  "engagement.inbox": { access: "tenant", permission: "content:read", minRole: "VIEWER", input: () => ({ limit: 50 }) },
  "engagement.thread": { access: "tenant", permission: "content:read", minRole: "VIEWER", input: (fx) => ({ commentId: fx.a.social.commentId }), targetsRow: true },
  "engagement.accounts": { access: "tenant", permission: "content:read", minRole: "VIEWER", input: () => undefined },
  "engagement.reply": {
    access: "tenant",
    permission: "comments:reply",
    minRole: "OPERATOR",
    input: (fx) => ({ commentId: fx.a.social.commentId, text: "Obrigado pelo comentário!" }),
    targetsRow: true,
  },
  "engagement.retryReply": { access: "tenant", permission: "comments:reply", minRole: "OPERATOR", input: (fx) => ({ replyId: fx.a.social.failedReplyId }), targetsRow: true },
  "engagement.setHidden": { access: "tenant", permission: "comments:reply", minRole: "OPERATOR", input: (fx) => ({ commentId: fx.a.social.commentId, hidden: true }), targetsRow: true },
  "engagement.automations.list": { access: "tenant", permission: "content:read", minRole: "VIEWER", input: () => undefined },
  "engagement.automations.create": {
    access: "tenant",
    permission: "automations:manage",
    minRole: "MANAGER",
    input: () => ({ name: "Frete", keywords: ["frete"], replyTemplate: "Frete grátis acima de R$ 100, {autor}!", useAi: false, perThreadLimit: 1, networks: [], enabled: true }),
  },
  "engagement.automations.update": {
    access: "tenant",
    permission: "automations:manage",
    minRole: "MANAGER",
    input: (fx) => ({ id: fx.a.social.automationId, enabled: false }),
    targetsRow: true,
  },
  "engagement.automations.remove": { access: "tenant", permission: "automations:manage", minRole: "MANAGER", input: (fx) => ({ id: fx.a.social.automationId }), targetsRow: true },
  "engagement.automations.preview": {
    access: "tenant",
    permission: "content:read",
    minRole: "VIEWER",
    input: (fx) => ({ automationId: fx.a.social.automationId, text: "Qual o PRECO?" }),
    targetsRow: true,
  },
};
