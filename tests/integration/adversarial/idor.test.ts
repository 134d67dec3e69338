/**
 * IDOR through every id-taking procedure: every procedure whose input has an id-like field (`id`,
 * `…Id`, `…Ids`, read from its JSON Schema) must be covered, either by an access-table row with
 * `targetsRow: true` (organization B's owner aiming at A's row gets NOT_FOUND there) or by the IDOR
 * table below. A new id-taking procedure without either fails this file, naming it.
 */
import fs from "node:fs";
import path from "node:path";

import { beforeAll, describe, expect, it } from "vitest";

import { getRestRoutes } from "~/server/api/openapi/routes";
import { appRouter } from "~/server/api/root";
import type { Fx, Rule } from "../access.test";
import { adminAccess } from "../access/admin";
import { analyticsAccess } from "../access/analytics";
import { archiveAccess } from "../access/archive";
import { billingAccess } from "../access/billing";
import { contentAccess } from "../access/content";
import { developersAccess } from "../access/developers";
import { engagementAccess } from "../access/engagement";
import { mediaAccess } from "../access/media";
import { privacyAccess } from "../access/privacy";
import { publicationsAccess } from "../access/publications";
import { searchAccess } from "../access/search";
import { sessionsAccess } from "../access/sessions";
import { twoFactorAccess } from "../access/two-factor";
import { webhooksAccess } from "../access/webhooks";
import { callerFor, createOrgFixture } from "../helpers/fixtures";
import { inputSchemaOf } from "../helpers/fuzz";

type AnyProcedure = { _def: { inputs: unknown[] } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, AnyProcedure>);

const ID_KEY = /^(id|ids|\w+Id|\w+Ids)$/;

/** Id-like keys anywhere in a JSON Schema (objects, unions, arrays). */
function idKeys(schema: unknown, found = new Set<string>(), depth = 0): Set<string> {
  if (depth > 6 || schema === null || typeof schema !== "object") return found;
  const node = schema as Record<string, unknown>;
  for (const [key, sub] of Object.entries((node.properties as Record<string, unknown> | undefined) ?? {})) {
    if (ID_KEY.test(key)) found.add(key);
    idKeys(sub, found, depth + 1);
  }
  for (const key of ["items", "anyOf", "oneOf", "allOf"]) {
    const sub = node[key];
    for (const item of Array.isArray(sub) ? sub : [sub]) idKeys(item, found, depth + 1);
  }
  return found;
}

const PART_TABLES: Record<string, Rule>[] = [
  adminAccess, analyticsAccess, billingAccess, contentAccess, developersAccess, engagementAccess,
  mediaAccess, privacyAccess, publicationsAccess, sessionsAccess, twoFactorAccess, webhooksAccess, searchAccess, archiveAccess,
];

/**
 * The core rows live inside access.test.ts (not exported, and importing a test file would run it):
 * their `targetsRow` / `crossTenant` rows are read from its source.
 */
function coreRowsAimingAtOtherTenants(): Set<string> {
  const source = fs.readFileSync(path.join(import.meta.dirname, "../access.test.ts"), "utf8");
  const covered = new Set<string>();
  const rows = [...source.matchAll(/^ {2}"([\w.]+)": \{/gm)];
  rows.forEach((row, index) => {
    const body = source.slice(row.index, rows[index + 1]?.index ?? source.length);
    if (/targetsRow: true|crossTenant:/.test(body)) covered.add(row[1]!);
  });
  return covered;
}

/** Covered because a cross-tenant check exists where the procedure is declared. */
function accessTableCoverage(): Set<string> {
  const covered = coreRowsAimingAtOtherTenants();
  for (const table of PART_TABLES) {
    for (const [name, rule] of Object.entries(table)) {
      if ((rule.access === "tenant" && rule.targetsRow) || (rule.access === "protected" && rule.crossTenant)) covered.add(name);
    }
  }
  return covered;
}

/**
 * Id-taking procedures whose ids are not another tenant's rows, each with the reason. Admin
 * procedures act across organizations by design (platform admins only, access table checks that).
 */
const NOT_TENANT_IDS: Record<string, string> = {
  "listings.list": "categoryId is a marketplace category id (shared by every seller), not a row of ours",
};

/**
 * The IDOR table: list filters and lookups not in the access table. Organization B's owner passes
 * organization A's real ids: the answer is NOT_FOUND, or a result without any of A's rows.
 */
const IDOR_TABLE: Record<string, (fx: Fx) => unknown> = {
  "actions.list": (fx) => ({ listingId: fx.a.listingId }),
  "actions.recommendations": (fx) => ({ listingId: fx.a.listingId }),
  "content.list": (fx) => ({ campaignId: fx.a.social.campaignId }),
  "publications.listForContent": (fx) => ({ contentId: fx.a.contentId }),
  "engagement.inbox": (fx) => ({ connectionId: fx.a.social.socialConnectionId }),
};

function call(caller: Awaited<ReturnType<typeof callerFor>>, name: string, input: unknown): Promise<unknown> {
  let node: unknown = caller;
  for (const key of name.split(".")) node = (node as Record<string, unknown>)[key];
  return (node as (input: unknown) => Promise<unknown>)(input);
}

describe("IDOR: every id-taking procedure is checked with another organization's ids", () => {
  const covered = accessTableCoverage();
  const idTaking = procedures
    .map(([name, procedure]) => ({ name, keys: [...idKeys(inputSchemaOf(procedure._def.inputs))] }))
    .filter((entry) => entry.keys.length > 0);

  it("finds the id-taking procedures", () => {
    expect(idTaking.length).toBeGreaterThan(20);
  });

  it("has a cross-tenant NOT_FOUND check for each of them", () => {
    const uncovered = idTaking
      .filter(({ name }) => !covered.has(name) && !(name in NOT_TENANT_IDS) && !(name in IDOR_TABLE) && !name.startsWith("admin."))
      .map(({ name, keys }) => `${name} (${keys.join(", ")})`);
    expect(uncovered).toEqual([]);
  });

  it("covers every REST route with a {param}: each dispatches to a procedure checked above", () => {
    const checked = new Set([...covered, ...Object.keys(IDOR_TABLE)]);
    const withParams = getRestRoutes().filter((route) => route.pathParams.length > 0);
    expect(withParams.length).toBeGreaterThan(0);
    const unchecked = withParams.filter((route) => !checked.has(route.procedure)).map((route) => `${route.openapi.method} ${route.openapi.path} → ${route.procedure}`);
    expect(unchecked).toEqual([]);
  });

  describe("organization B's owner with organization A's ids", () => {
    let fx: Fx;
    beforeAll(async () => {
      fx = { a: await createOrgFixture("idor-a"), b: await createOrgFixture("idor-b") };
    });

    for (const [name, input] of Object.entries(IDOR_TABLE)) {
      it(`${name}: NOT_FOUND or nothing of A`, async () => {
        const caller = await callerFor(fx.b.users.OWNER.userId);
        let answer: unknown;
        try {
          answer = await call(caller, name, input(fx));
        } catch (error) {
          expect((error as { code?: string }).code).toBe("NOT_FOUND");
          return;
        }
        const text = JSON.stringify(answer) ?? "";
        expect(fx.a.allIds().filter((id) => text.includes(id))).toEqual([]);
      });
    }
  });
});
