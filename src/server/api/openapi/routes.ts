import { z } from "zod";

import type { Permission } from "~/server/auth/permissions";
import { appRouter } from "../root";
import type { OpenApiMeta } from "./types";

/**
 * The REST route table, derived from the tRPC procedures that carry `meta.openapi`. Built once per
 * process; a badly annotated procedure fails here, at load, with a message naming it.
 */
export type RestRoute = {
  /** The procedure path, e.g. "listings.list" (also the OpenAPI operationId). */
  procedure: string;
  type: "query" | "mutation";
  openapi: OpenApiMeta;
  permission?: Permission;
  /** The procedure's input object (merged when it declares several), or null for no input. */
  input: z.ZodObject | null;
  /** The names of the `{param}` segments of the path, in order. */
  pathParams: string[];
  /** The path split into segments; a param segment is `{ param: name }`. */
  segments: Array<string | { param: string }>;
};

type ProcedureDef = {
  type: "query" | "mutation" | "subscription";
  meta?: { permission?: Permission; openapi?: OpenApiMeta };
  inputs: unknown[];
};

/** The object schema inside optional/nullable/default wrappers, or null when there is none. */
export function unwrapObject(schema: unknown): z.ZodObject | null {
  let current = schema as z.ZodType | undefined;
  for (let i = 0; i < 10 && current; i++) {
    if (current instanceof z.ZodObject) return current;
    const def = current._zod.def as { type: string; innerType?: z.ZodType; in?: z.ZodType };
    if (def.type === "optional" || def.type === "nullable" || def.type === "default" || def.type === "prefault" || def.type === "nonoptional") {
      current = def.innerType;
    } else if (def.type === "pipe") {
      current = def.in;
    } else {
      return null;
    }
  }
  return null;
}

function inputObjectOf(path: string, inputs: unknown[]): z.ZodObject | null {
  if (inputs.length === 0) return null;
  const objects = inputs.map((input) => {
    const object = unwrapObject(input);
    if (!object) throw new Error(`OpenAPI route ${path}: its input must be a zod object (got ${(input as z.ZodType)._zod?.def.type})`);
    return object;
  });
  return objects.reduce((merged, next) => merged.extend(next.shape));
}

export function buildRoutes(procedures: Record<string, { _def: ProcedureDef }>): RestRoute[] {
  const routes: RestRoute[] = [];
  const seen = new Map<string, string>();
  for (const [procedure, { _def: def }] of Object.entries(procedures)) {
    const openapi = def.meta?.openapi;
    if (!openapi) continue;
    if (def.type === "subscription") throw new Error(`OpenAPI route ${procedure}: subscriptions cannot be served as REST`);
    if (openapi.method === "GET" && def.type !== "query") throw new Error(`OpenAPI route ${procedure}: GET ${openapi.path} must be a query`);
    if (openapi.method !== "GET" && def.type !== "mutation") throw new Error(`OpenAPI route ${procedure}: ${openapi.method} ${openapi.path} must be a mutation`);
    if (!/^(\/([a-z0-9-]+|\{[A-Za-z][A-Za-z0-9]*\}))+$/.test(openapi.path)) {
      throw new Error(`OpenAPI route ${procedure}: malformed path "${openapi.path}" (lowercase segments or {param})`);
    }
    // Two params in one position (/a/{id} vs /a/{key}) would be the same route too.
    const shape = openapi.path.replace(/\{[^}]+\}/g, "{}");
    const key = `${openapi.method} ${shape}`;
    const other = seen.get(key);
    if (other) throw new Error(`OpenAPI route ${procedure}: ${openapi.method} ${openapi.path} is already served by ${other}`);
    seen.set(key, procedure);

    const input = inputObjectOf(procedure, def.inputs);
    const segments = openapi.path
      .slice(1)
      .split("/")
      .map((segment) => (segment.startsWith("{") ? { param: segment.slice(1, -1) } : segment));
    const pathParams = segments.flatMap((segment) => (typeof segment === "string" ? [] : [segment.param]));
    for (const param of pathParams) {
      if (!input || !(param in input.shape)) {
        throw new Error(`OpenAPI route ${procedure}: path param {${param}} of ${openapi.path} is not a field of its input`);
      }
    }
    routes.push({ procedure, type: def.type, openapi, permission: def.meta?.permission, input, pathParams, segments });
  }
  return routes.sort((a, b) => a.openapi.path.localeCompare(b.openapi.path) || a.openapi.method.localeCompare(b.openapi.method));
}

let cached: RestRoute[] | null = null;

/** Every REST route of the app router (memoized). */
export function getRestRoutes(): RestRoute[] {
  cached ??= buildRoutes((appRouter as unknown as { _def: { procedures: Record<string, { _def: ProcedureDef }> } })._def.procedures);
  return cached;
}

export type RouteMatch =
  | { kind: "found"; route: RestRoute; params: Record<string, string> }
  | { kind: "wrongMethod"; allow: string[] }
  | { kind: "notFound" };

function matchSegments(route: RestRoute, parts: string[]): Record<string, string> | null {
  if (route.segments.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (const [i, segment] of route.segments.entries()) {
    const part = parts[i]!;
    if (typeof segment === "string") {
      if (segment !== part) return null;
    } else {
      params[segment.param] = part;
    }
  }
  return params;
}

/**
 * Finds the route for a method and a path under /api/v1 (segments already URL-decoded). A literal
 * segment wins over a param in the same position (/actions/recommendations before /actions/{id}).
 */
export function matchRoute(method: string, parts: string[], routes = getRestRoutes()): RouteMatch {
  const candidates = routes
    .map((route) => ({ route, params: matchSegments(route, parts) }))
    .filter((c): c is { route: RestRoute; params: Record<string, string> } => c.params !== null);
  if (candidates.length === 0) return { kind: "notFound" };
  // Most literal segments first.
  const literalCount = (route: RestRoute) => route.segments.filter((s) => typeof s === "string").length;
  const best = Math.max(...candidates.map((c) => literalCount(c.route)));
  const specific = candidates.filter((c) => literalCount(c.route) === best);
  const hit = specific.find((c) => c.route.openapi.method === method);
  if (hit) return { kind: "found", route: hit.route, params: hit.params };
  const allow = [...new Set(specific.map((c) => c.route.openapi.method))].sort();
  return { kind: "wrongMethod", allow };
}
