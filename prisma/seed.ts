/**
 * Idempotent seed: plans, and a demo organization with its owner. Safe to run on every start.
 * `npm run dev` runs it; it prints the demo login. Set SEED_DEMO=0 to skip the demo account.
 * Run with `node --conditions=react-server --import tsx prisma/seed.ts` (npm run db:seed): it calls
 * the app's server-only services, whose `server-only` guard resolves to nothing under that condition.
 */
import { PrismaPg } from "@prisma/adapter-pg";

import { PrismaClient } from "../src/generated/prisma/client";
import { hashPassword } from "../src/server/auth/password";

export const DEMO_EMAIL = "demo@superseller.dev";
export const DEMO_PASSWORD = "Demo#SuperSeller2026";
/** The demo's platform admin (the /admin area); same password as the demo login, no organization. */
export const ADMIN_EMAIL = "admin@superseller.dev";

const PLANS = [
  {
    code: "gratis",
    name: "Grátis",
    priceMonthlyCents: 0,
    priceYearlyCents: 0,
    sortOrder: 0,
    limits: { marketplaceAccounts: 1, listings: 200, socialAccounts: 1, postsPerMonth: 20, aiCreditsPerMonth: 50, seats: 2 },
  },
  {
    code: "pro",
    name: "Pro",
    priceMonthlyCents: 14_900,
    priceYearlyCents: 149_000,
    sortOrder: 1,
    limits: { marketplaceAccounts: 3, listings: 5_000, socialAccounts: 5, postsPerMonth: 300, aiCreditsPerMonth: 1_000, seats: 10 },
  },
  {
    code: "agencia",
    name: "Agência",
    priceMonthlyCents: 49_900,
    priceYearlyCents: 499_000,
    sortOrder: 2,
    limits: { marketplaceAccounts: 20, listings: 100_000, socialAccounts: 40, postsPerMonth: 3_000, aiCreditsPerMonth: 10_000, seats: 50 },
  },
];

export async function seed(db: PrismaClient, options: { demo: boolean }) {
  // Created when missing, never overwritten: platform admins edit plans (prices, limits, Stripe
  // price ids) and a restart must not undo that.
  for (const plan of PLANS) {
    await db.plan.upsert({ where: { code: plan.code }, create: plan, update: {} });
  }
  if (!options.demo) return null;
  await seedPlatformAdmin(db);

  const existing = await db.user.findUnique({ where: { email: DEMO_EMAIL }, select: { id: true, activeOrganizationId: true } });
  if (existing) {
    if (existing.activeOrganizationId) {
      await seedDemoSubscription(db, existing.activeOrganizationId);
      await seedMarketplaceSafely(db, { organizationId: existing.activeOrganizationId, userId: existing.id });
      await seedSocialSafely(db, { organizationId: existing.activeOrganizationId, userId: existing.id });
      await seedSearchIndexSafely(db, existing.activeOrganizationId);
    }
    return { email: DEMO_EMAIL, created: false };
  }

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const demo = await db.$transaction(async (tx) => {
    const user = await tx.user.create({ data: { email: DEMO_EMAIL, name: "Demo Seller", passwordHash } });
    const org = await tx.organization.create({
      data: {
        name: "Loja Demo",
        slug: "loja-demo",
        memberships: { create: { userId: user.id, role: "OWNER" } },
      },
    });
    await tx.user.update({ where: { id: user.id }, data: { activeOrganizationId: org.id } });
    await tx.auditLog.create({
      data: { organizationId: org.id, actorUserId: user.id, action: "organization.created", targetType: "organization", targetId: org.id, metadata: { seed: true } },
    });
    return { organizationId: org.id, userId: user.id };
  });
  await seedDemoSubscription(db, demo.organizationId);
  await seedMarketplaceSafely(db, demo);
  await seedSocialSafely(db, demo);
  await seedSearchIndexSafely(db, demo.organizationId);
  return { email: DEMO_EMAIL, created: true };
}

/** Created when missing; an existing account is only (re)marked as platform admin, its password kept. */
async function seedPlatformAdmin(db: PrismaClient) {
  const existing = await db.user.findUnique({ where: { email: ADMIN_EMAIL }, select: { id: true } });
  if (existing) {
    await db.user.update({ where: { id: existing.id }, data: { isPlatformAdmin: true } });
    return;
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.user.create({ data: { email: ADMIN_EMAIL, name: "Admin da Plataforma", passwordHash, isPlatformAdmin: true } });
}

/**
 * The demo organization is on the Pro plan in billing test mode, so its seeded accounts, listings
 * and posts stay within its limits. Only when it has no subscription yet: a plan chosen since stays.
 */
async function seedDemoSubscription(db: PrismaClient, organizationId: string) {
  const pro = await db.plan.findUnique({ where: { code: "pro" }, select: { id: true } });
  if (!pro) return;
  await db.subscription.upsert({
    where: { organizationId },
    create: { organizationId, planId: pro.id, status: "ACTIVE", interval: "MONTH", testMode: true },
    update: {},
  });
}

/**
 * The demo's sandbox Mercado Livre account (prisma/seed-marketplace.ts), then its scores and
 * actions (prisma/seed-health.ts); never fails the seed.
 */
async function seedMarketplaceSafely(db: PrismaClient, demo: { organizationId: string; userId: string }) {
  try {
    const { seedDemoMarketplace } = await import("./seed-marketplace");
    const result = await seedDemoMarketplace(db, demo);
    if ("listings" in result) console.log(`Seed: demo Mercado Livre sandbox account connected with ${result.listings} listings`);
  } catch (error) {
    console.warn("Seed: demo marketplace account skipped:", error instanceof Error ? error.message : error);
    return;
  }
  try {
    const { seedDemoHealth } = await import("./seed-health");
    const result = await seedDemoHealth(db, demo);
    if ("applied" in result) {
      console.log(`Seed: demo Health Scores computed, ${result.pending} recommended actions, ${result.applied} applied in the past with ${result.effects} measured effects`);
    }
  } catch (error) {
    console.warn("Seed: demo scores and actions skipped:", error instanceof Error ? error.message : error);
  }
}

/** The demo's sandbox Instagram, TikTok and YouTube accounts and their content (prisma/seed-social.ts); never fails the seed. */
async function seedSocialSafely(db: PrismaClient, demo: { organizationId: string; userId: string }) {
  try {
    const { seedDemoSocial } = await import("./seed-social");
    const result = await seedDemoSocial(db, demo);
    if ("accounts" in result) {
      console.log(`Seed: ${result.accounts} demo social accounts connected with ${result.published} published posts, ${result.comments} comments and ${result.scheduled} posts scheduled this week`);
    }
  } catch (error) {
    console.warn("Seed: demo social accounts skipped:", error instanceof Error ? error.message : error);
  }
}

/**
 * The demo's semantic search index (docs/semantic-search.md), so "Buscar semelhantes" answers at
 * once. Only with the local embedding: a seed must not spend a configured provider's credits (the
 * first search then asks for indexing). Unchanged texts are skipped on later starts; never fails the seed.
 */
async function seedSearchIndexSafely(db: PrismaClient, organizationId: string) {
  try {
    const { embeddingProviderFromEnv } = await import("../src/server/ai/embeddings");
    if (embeddingProviderFromEnv()) return;
    const { indexOrganization } = await import("../src/server/services/search/indexing");
    const result = await indexOrganization(db, { organizationId }, { provider: null });
    if (result.embedded > 0) console.log(`Seed: semantic search index built (${result.embedded} listings and contents embedded)`);
  } catch (error) {
    console.warn("Seed: semantic search index skipped:", error instanceof Error ? error.message : error);
  }
}

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  try {
    const demo = await seed(db, { demo: process.env.SEED_DEMO !== "0" });
    // The e-mail only: passwords never go to logs, not even the demo's (it is in the README).
    console.log("Seed: plans ready" + (demo ? `; demo login ${demo.email}, platform admin ${ADMIN_EMAIL} (passwords: see README, "Two commands")` : ""));
  } finally {
    await db.$disconnect();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error("Seed failed:", error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
