/**
 * Keyword automations: CRUD and the preview (does a sample comment match, and what would the reply
 * say). The preview fills the template only — no AI call happens in a request.
 */
import type { SocialNetwork } from "~/generated/prisma/enums";
import { AppError, notFound } from "~/server/lib/errors";
import {
  countAutomations,
  findAutomation,
  insertAutomation,
  listAutomations,
  softDeleteAutomation,
  updateAutomation,
  type AutomationData,
  type AutomationRecord,
} from "~/server/repositories/automations";
import { audit } from "../audit";
import type { TenantCtx } from "../context";
import { COMMENT_MAX_LENGTH } from "./limits";
import { cleanKeywords, matchKeyword, renderTemplate } from "./match";

/** Rules per organization: enough for any real shop, and a bound on the engine's work per comment. */
export const MAX_AUTOMATIONS = 50;
export const KEYWORDS_MIN = 1;
export const KEYWORDS_MAX = 20;

function who(ctx: TenantCtx) {
  return { ...ctx.tenant, request: ctx.request };
}

function view(a: AutomationRecord) {
  return {
    id: a.id,
    name: a.name,
    keywords: a.keywords,
    replyTemplate: a.replyTemplate,
    useAi: a.useAi,
    perThreadLimit: a.perThreadLimit,
    networks: a.networks,
    enabled: a.enabled,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}

/** Keywords cleaned (trimmed, duplicates removed) and the template checked against the networks it runs on. */
function normalize<T extends Partial<AutomationData>>(data: T): T {
  const out = { ...data };
  if (data.name !== undefined) out.name = data.name.trim();
  if (data.replyTemplate !== undefined) out.replyTemplate = data.replyTemplate.trim();
  if (data.networks !== undefined) out.networks = [...new Set(data.networks)];
  if (data.keywords !== undefined) {
    const keywords = cleanKeywords(data.keywords);
    if (keywords.length < KEYWORDS_MIN || keywords.length > KEYWORDS_MAX) {
      throw new AppError("BAD_REQUEST", "engagement.keywordsCount", `Between ${KEYWORDS_MIN} and ${KEYWORDS_MAX} keywords`);
    }
    out.keywords = keywords;
  }
  return out;
}

/** A template the network would refuse (too long once filled in) is refused here, not at send time. */
function checkTemplate(template: string, networks: SocialNetwork[]) {
  const applies = networks.length ? networks : (Object.keys(COMMENT_MAX_LENGTH) as SocialNetwork[]);
  const max = Math.min(...applies.map((n) => COMMENT_MAX_LENGTH[n]));
  // A typical author name fills the placeholder; the engine still cuts at the network's limit.
  if ([...renderTemplate(template, { author: "cliente_exemplo" })].length > max) {
    throw new AppError("BAD_REQUEST", "engagement.templateTooLong", `The reply would exceed ${max} characters`, { max });
  }
}

export async function listOrganizationAutomations(ctx: TenantCtx) {
  const rows = await listAutomations(ctx.db, ctx.tenant.organizationId);
  return rows.map(view);
}

export async function createAutomation(ctx: TenantCtx, input: AutomationData) {
  const data = normalize(input);
  checkTemplate(data.replyTemplate, data.networks);
  const org = ctx.tenant.organizationId;
  return ctx.db.$transaction(async (tx) => {
    if ((await countAutomations(tx, org)) >= MAX_AUTOMATIONS) {
      throw new AppError("PRECONDITION_FAILED", "engagement.tooManyAutomations", `Up to ${MAX_AUTOMATIONS} automations`, { max: MAX_AUTOMATIONS });
    }
    const row = await insertAutomation(tx, org, data);
    await audit(tx, who(ctx), "automation.created", { type: "automation", id: row.id }, { name: row.name });
    return view(row);
  });
}

export async function editAutomation(ctx: TenantCtx, input: { id: string } & Partial<AutomationData>) {
  const org = ctx.tenant.organizationId;
  const { id, ...changes } = input;
  const current = await findAutomation(ctx.db, org, id);
  if (!current) throw notFound("Automation");
  const data = normalize(changes);
  checkTemplate(data.replyTemplate ?? current.replyTemplate, data.networks ?? current.networks);
  return ctx.db.$transaction(async (tx) => {
    if (!(await updateAutomation(tx, org, id, data))) throw notFound("Automation");
    await audit(tx, who(ctx), "automation.updated", { type: "automation", id }, { fields: Object.keys(data) });
    const row = await findAutomation(tx, org, id);
    if (!row) throw notFound("Automation");
    return view(row);
  });
}

export async function removeAutomation(ctx: TenantCtx, input: { id: string }) {
  const org = ctx.tenant.organizationId;
  await ctx.db.$transaction(async (tx) => {
    if (!(await softDeleteAutomation(tx, org, input.id, new Date()))) throw notFound("Automation");
    await audit(tx, who(ctx), "automation.removed", { type: "automation", id: input.id });
  });
  return { id: input.id };
}

export type AutomationDraft = Pick<AutomationData, "keywords" | "replyTemplate" | "networks"> & { useAi?: boolean };

/** Would this sample comment trigger the rule, and what reply would it get (template only)? */
export async function previewAutomation(
  ctx: TenantCtx,
  input: { automationId?: string; draft?: AutomationDraft; text: string; authorName?: string; network?: SocialNetwork },
) {
  let rule: AutomationDraft;
  if (input.automationId) {
    const row = await findAutomation(ctx.db, ctx.tenant.organizationId, input.automationId);
    if (!row) throw notFound("Automation");
    rule = row;
  } else if (input.draft) {
    rule = input.draft;
  } else {
    throw new AppError("BAD_REQUEST", "engagement.previewNeedsRule", "Name an automation or give a draft");
  }
  const networkApplies = !input.network || rule.networks.length === 0 || rule.networks.includes(input.network);
  const keyword = matchKeyword(input.text, rule.keywords);
  const matches = networkApplies && keyword !== null;
  const author = input.authorName?.trim() || "cliente";
  return {
    matches,
    keyword,
    networkApplies,
    reply: matches ? renderTemplate(rule.replyTemplate, { author }) : null,
    // The engine asks the AI at send time; the preview shows the template it would instruct it with.
    aiWritten: matches && !!rule.useAi,
  };
}
