/**
 * The AI layer's contract. Callers (the action engine, the actions router's "regenerate") ask for
 * listing copy; the layer picks the configured OpenAI-compatible provider (AI_BASE_URL, AI_MODEL,
 * AI_API_KEY) or, with none configured, the deterministic local generator, and meters every call
 * into ai_usage (tokens, estimated cost, latency, outcome) for the organization.
 */

/** The facts a suggestion may use: nothing else may be invented (no brand or spec not listed). */
export type ListingFacts = {
  provider: "MERCADOLIVRE" | "SHOPEE";
  title: string;
  categoryId: string | null;
  categoryName?: string | null;
  description: string | null;
  attributes: { id: string; name: string; value: string | null }[];
  gtin: string | null;
  priceCents: number;
  freeShipping: boolean;
};

export type CopyKind = "title" | "description";

export type ListingCopyRequest = {
  kind: CopyKind;
  facts: ListingFacts;
  /** Hard limit in characters (the category's title limit; description limit for descriptions). */
  maxLength: number;
  /** Output language; listings in Brazil are written in Portuguese. */
  locale?: "pt-BR";
};

export type ListingCopy = {
  text: string;
  /** "ai" = written by the configured LLM; "local" = the deterministic local generator. */
  generator: "ai" | "local";
  /** Model id for "ai", "local-templates-v1" (or similar) for "local". */
  model: string;
  /** Short notes on what the suggestion changed, e.g. ["added brand", "added color"]. */
  notes: string[];
};

/** Who pays for the call: every call is metered to an organization. */
export type AiMeteringContext = {
  organizationId: string;
  userId?: string | null;
  /** e.g. "actions.title", "actions.description". */
  feature: string;
};
