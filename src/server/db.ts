import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";

import { env } from "~/env";
import { PrismaClient, type Prisma } from "~/generated/prisma/client";

function createPrismaClient() {
  const adapter = new PrismaPg({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_MAX });
  return new PrismaClient({ adapter });
}

// One client per process; Next.js dev reloads modules, so keep it on globalThis there.
const globalForPrisma = globalThis as unknown as { prisma?: ReturnType<typeof createPrismaClient> };

export const db = globalForPrisma.prisma ?? createPrismaClient();
if (env.NODE_ENV !== "production") globalForPrisma.prisma = db;

export type Db = typeof db;
/** A client usable inside `db.$transaction(async (tx) => …)`. */
export type DbTx = Prisma.TransactionClient;
export type DbOrTx = Db | DbTx;
