import type { z } from "zod";

export type RateLimitClass = "auth" | "read" | "write";

/**
 * How a tRPC procedure is also served as REST under /api/v1 (set as `meta.openapi`). The same
 * procedure, guards and services answer both; this only names the route and its public contract.
 */
export type OpenApiMeta = {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Under /api/v1, e.g. "/listings/{id}/metrics"; each {param} is a field of the input. */
  path: `/${string}`;
  summary: string;
  description?: string;
  tags: string[];
  /**
   * The public response contract. The procedure's result is serialized to JSON and parsed against
   * it (unknown keys stripped), so internal fields never leak and the document never lies.
   * For a paginated procedure, this is the schema of one item.
   */
  output: z.ZodType;
  /** The result is `{ items, nextCursor }`: `data` gets the items and `meta.nextCursor` the cursor. */
  paginated?: boolean;
  /** Rate-limit class; by default GET is "read" and anything else "write". */
  rateLimitClass?: RateLimitClass;
  /** The success status (default 200). */
  successStatus?: 200 | 201 | 202;
};
