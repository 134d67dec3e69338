/**
 * Property-based fuzzing of every tRPC procedure and every REST route. Procedures are enumerated
 * from appRouter, so procedures added later are fuzzed without touching this file. The property:
 * a call resolves, or rejects with a TRPCError whose code is not INTERNAL_SERVER_ERROR (REST: never
 * a 5xx), and nothing rejects unhandled meanwhile. A failure prints fast-check's seed and path;
 * replay it with `fc.assert(…, { seed, path })`. FUZZ_RUNS=<n> runs deeper locally.
 */
import { TRPCError } from "@trpc/server";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { appRouter } from "~/server/api/root";
import { callerFor, createOrgFixture, db, type OrgFixture } from "../helpers/fixtures";
import { fuzzRuns, inputSchemaOf, nasty, nearValid } from "../helpers/fuzz";

const DESTRUCTIVE = /(delete|erase|leave|revoke|signOut|remove|ban|suspend|transfer)/i;
type AnyProcedure = { _def: { inputs: unknown[]; type: string } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, AnyProcedure>)
  // Calls that end the fuzzing user's access (or the organization) go last, so they cannot hide the others.
  .sort(([a], [b]) => Number(DESTRUCTIVE.test(a)) - Number(DESTRUCTIVE.test(b)) || a.localeCompare(b));

const RUNS = fuzzRuns(12);

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

let fx: OrgFixture;
// The fuzzing admin can turn platform maintenance on (or change any platform setting): the files that
// run after this one share the database, so the settings are put back as they were.
let platformSettingsBefore: { key: string; value: unknown }[] = [];
let caller: Awaited<ReturnType<typeof callerFor>>;

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  platformSettingsBefore = await db.platformSetting.findMany({ select: { key: true, value: true } });
  fx = await createOrgFixture("fuzz");
  // One user reaches every kind of procedure: owner of the fixture organization and platform admin.
  await db.user.update({ where: { id: fx.users.OWNER.userId }, data: { isPlatformAdmin: true } });
  caller = await callerFor(fx.users.OWNER.userId);
});

afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await db.$transaction([
    db.platformSetting.deleteMany({}),
    db.platformSetting.createMany({ data: platformSettingsBefore.map((s) => ({ key: s.key, value: s.value as object })) }),
  ]);
});

function procedureAt(path: string): (input: unknown) => Promise<unknown> {
  let node: unknown = caller;
  for (const key of path.split(".")) node = (node as Record<string, unknown>)[key];
  return node as (input: unknown) => Promise<unknown>;
}

/** Resolves to null when the call is acceptable, or to a description of the 500. */
async function serverError(path: string, input: unknown): Promise<string | null> {
  try {
    await procedureAt(path)(input);
    return null;
  } catch (error) {
    if (error instanceof TRPCError && error.code !== "INTERNAL_SERVER_ERROR") return null;
    const cause = error instanceof TRPCError ? error.cause : error;
    return `${path}: ${error instanceof TRPCError ? error.code : "non-TRPCError"} ${String((cause as Error | undefined)?.stack ?? cause)}`;
  }
}

describe("fuzzing every procedure's input", () => {
  it("enumerates the router", () => {
    expect(procedures.length).toBeGreaterThan(50);
  });

  for (const [path, procedure] of procedures) {
    // Without an input parser tRPC ignores the input: there is nothing to fuzz.
    const schema = inputSchemaOf(procedure._def.inputs);
    if (schema === null) continue;
    it(`${path} never answers INTERNAL_SERVER_ERROR`, async () => {
      const input = fc.oneof(nasty, fc.jsonValue({ maxDepth: 3 }), nearValid(schema), nearValid(schema));
      await fc.assert(
        fc.asyncProperty(input, async (value) => {
          const failure = await serverError(path, value);
          if (failure) throw new Error(failure);
        }),
        { numRuns: RUNS, verbose: 1 },
      );
    });
  }

  it("refuses a NUL character in any text field as BAD_REQUEST (it reached PostgreSQL as a 500)", async () => {
    await expect(procedureAt("content.campaigns.archive")({ id: "\u0000" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(procedureAt("tenants.update")({ name: "Loja\u0000" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("refuses dates PostgreSQL keeps but JavaScript cannot read back (a campaign at year 275760 broke campaigns.list)", async () => {
    const extreme = new Date(8.64e15);
    await expect(procedureAt("content.campaigns.create")({ name: "Far", startsAt: extreme })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(procedureAt("content.campaigns.create")({ name: "Far", endsAt: new Date(-8.64e15) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(procedureAt("publications.reschedule")({ id: "x", scheduledAt: extreme })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const { id } = (await procedureAt("content.campaigns.create")({ name: "Dentro do limite", startsAt: new Date("9999-12-31T00:00:00Z") })) as { id: string };
    const { items } = (await procedureAt("content.campaigns.list")({ limit: 100 })) as { items: { id: string; startsAt: Date | null }[] };
    expect(items.find((campaign) => campaign.id === id)?.startsAt?.toISOString()).toBe("9999-12-31T00:00:00.000Z");
  });

  it("left no unhandled rejection", () => {
    expect(unhandled.map(String)).toEqual([]);
  });
});
