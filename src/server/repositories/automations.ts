/** Keyword automations (auto-replies to comments). Soft-deleted rows are never listed or run. */
import type { Prisma } from "~/generated/prisma/client";
import type { SocialNetwork } from "~/generated/prisma/enums";
import type { DbOrTx } from "~/server/db";

const AUTOMATION_ROW = {
  id: true,
  name: true,
  keywords: true,
  replyTemplate: true,
  useAi: true,
  perThreadLimit: true,
  networks: true,
  enabled: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.AutomationSelect;

export type AutomationRecord = Prisma.AutomationGetPayload<{ select: typeof AUTOMATION_ROW }>;

export type AutomationData = {
  name: string;
  keywords: string[];
  replyTemplate: string;
  useAi: boolean;
  perThreadLimit: number;
  networks: SocialNetwork[];
  enabled: boolean;
};

/** Oldest first: the order rules are tried in (the first match wins). */
export function listAutomations(db: DbOrTx, organizationId: string, filter: { enabledOnly?: boolean } = {}) {
  return db.automation.findMany({
    where: { organizationId, deletedAt: null, ...(filter.enabledOnly ? { enabled: true } : {}) },
    select: AUTOMATION_ROW,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: 200,
  });
}

export function findAutomation(db: DbOrTx, organizationId: string, automationId: string) {
  return db.automation.findFirst({ where: { id: automationId, organizationId, deletedAt: null }, select: AUTOMATION_ROW });
}

export function countAutomations(db: DbOrTx, organizationId: string) {
  return db.automation.count({ where: { organizationId, deletedAt: null } });
}

export function insertAutomation(db: DbOrTx, organizationId: string, data: AutomationData) {
  return db.automation.create({ data: { ...data, organizationId }, select: AUTOMATION_ROW });
}

/** True when the row was this organization's (and not deleted). */
export async function updateAutomation(db: DbOrTx, organizationId: string, automationId: string, data: Partial<AutomationData>) {
  const { count } = await db.automation.updateMany({ where: { id: automationId, organizationId, deletedAt: null }, data });
  return count === 1;
}

export async function softDeleteAutomation(db: DbOrTx, organizationId: string, automationId: string, at: Date) {
  const { count } = await db.automation.updateMany({ where: { id: automationId, organizationId, deletedAt: null }, data: { deletedAt: at, enabled: false } });
  return count === 1;
}
