/**
 * What each recommended action carries: the concrete change it would make. Stored in
 * actions.payload (and the generated original in actions.suggested_payload when a person edits it).
 * The action engine (engine.ts) produces these; the apply function turns one into a connector
 * ItemUpdate; the UI renders and edits them. Validated with zod on the way in and out.
 *
 * `reason` on an action row is a code (e.g. "title_too_short"): the UI renders
 * `messages.<locale>.actionReasons.<code>` with the payload as ICU params.
 */
import { z } from "zod";

const cents = z.number().int().positive().max(1_000_000_000);
const generator = z.enum(["ai", "local"]);

export const ZActionPayloads = {
  REWRITE_TITLE: z.object({
    title: z.string().trim().min(3).max(255),
    previousTitle: z.string(),
    maxLength: z.number().int().positive(),
    generator,
    notes: z.array(z.string()).default([]),
  }),
  REWRITE_DESCRIPTION: z.object({
    description: z.string().trim().min(20).max(50_000),
    previousDescription: z.string().nullable(),
    generator,
    notes: z.array(z.string()).default([]),
  }),
  COMPLETE_ATTRIBUTES: z.object({
    // The attributes to fill; `value` starts null (or a value the engine could infer) and the
    // seller completes it before approving. GTIN travels as attribute id "GTIN".
    attributes: z.array(z.object({ id: z.string().min(1), name: z.string(), value: z.string().trim().max(255).nullable() })).min(1),
  }),
  ADD_PHOTOS: z.object({
    currentCount: z.number().int().nonnegative(),
    targetCount: z.number().int().positive(),
    // Filled by the seller (public https URLs) before approving; empty while only suggested.
    pictureUrls: z.array(z.url()).max(12).default([]),
  }),
  ADJUST_PRICE: z.object({ fromCents: cents, toCents: cents, referenceCents: cents }),
  ENABLE_FREE_SHIPPING: z.object({}),
  RESTOCK_ALERT: z.object({
    currentStock: z.number().int().nonnegative(),
    daysOfCover: z.number().nonnegative().nullable(),
    suggestedStock: z.number().int().positive().max(1_000_000),
  }),
  PAUSE_LISTING: z.object({ daysWithoutSales: z.number().int().nonnegative(), visits30d: z.number().int().nonnegative() }),
} as const;

export type ActionTypeName = keyof typeof ZActionPayloads;
export type ActionPayload<T extends ActionTypeName = ActionTypeName> = z.infer<(typeof ZActionPayloads)[T]>;

/** Parses a payload for its type; throws a ZodError on a bad one. */
export function parseActionPayload<T extends ActionTypeName>(type: T, payload: unknown): ActionPayload<T> {
  return ZActionPayloads[type].parse(payload) as ActionPayload<T>;
}

/** One recommendation before it becomes an action row. */
export type Recommendation<T extends ActionTypeName = ActionTypeName> = {
  type: T;
  /** Reason code, rendered through messages `actionReasons.<code>`. */
  reason: string;
  /** Points the Health Score is expected to gain once applied (re-scored with the change). */
  expectedGain: number;
  payload: ActionPayload<T>;
  source: "RULE" | "AI" | "LOCAL_GENERATOR";
};
