/**
 * The one interface every marketplace connector implements (Mercado Livre, Shopee). Connectors are
 * plain HTTP clients: they take credentials and return plain data; they never touch the database.
 * Every base URL comes from env, so the same client talks to the real API, to the built-in sandbox
 * (src/server/connectors/sandbox/<provider>) or to any test double.
 */
import type { AuthorizationRequest, CodeExchange, InboundWebhook, TokenSet } from "../common";
import { ConnectorError, type ConnectorErrorKind } from "../common";

export { ConnectorError, type AuthorizationRequest, type CodeExchange, type ConnectorErrorKind, type InboundWebhook, type TokenSet };

export type MarketplaceProvider = "MERCADOLIVRE" | "SHOPEE";

export type ListingStatus = "ACTIVE" | "PAUSED" | "CLOSED" | "UNDER_REVIEW" | "INACTIVE";

/** What a call acting for one seller account needs. */
export type MarketplaceCredentials = {
  accessToken: string;
  /** Mercado Livre user id / Shopee shop_id. */
  externalAccountId: string;
};

export type ItemPage = {
  externalIds: string[];
  /** Opaque: an offset, or a scroll id past Mercado Livre's 1000-offset limit. Null = done. */
  nextCursor: string | null;
  total: number;
};

export type ItemAttribute = { id: string; name: string; value: string | null };

export type MarketplaceItem = {
  externalId: string;
  title: string;
  categoryId: string | null;
  status: ListingStatus;
  priceCents: number;
  currency: string;
  stock: number;
  soldQuantity: number;
  listingType: string | null;
  freeShipping: boolean;
  pictureCount: number;
  /** The item's picture URLs in order, when the provider lists them (adding photos resends the whole list). */
  pictureUrls?: string[];
  gtin: string | null;
  permalink: string | null;
  thumbnailUrl: string | null;
  description?: string | null;
  attributes: ItemAttribute[];
  hasVariations: boolean;
  /** Catalog listings are edited at family level (applicability rules need it). */
  catalogListing: boolean;
  /**
   * Provider flags normalised to our vocabulary (the Health Score reads them):
   * "poor_quality_picture", "moderation_penalty" (infraction), "deboost", "under_review".
   * Unknown provider tags are dropped.
   */
  tags?: string[];
};

export type DailyVisits = { externalId: string; date: string /* YYYY-MM-DD, UTC */; visits: number };

/** Units of one item sold on one UTC day, aggregated from the seller's paid orders. */
export type DailySales = { externalId: string; date: string /* YYYY-MM-DD, UTC */; sales: number };

export type QualityRule = { key: string; mode: "OPPORTUNITY" | "WARNING"; status: "PENDING" | "COMPLETED"; progress: number };
export type QualityReport = { score: number; level: string; rules: QualityRule[] };

export type PriceReference = { suggestedPriceCents: number; percentDifference: number };

/**
 * One change to apply to an item. Absolute values (never increments), so sending the same update
 * twice leaves the item as sending it once: applying an action is idempotent at the marketplace.
 */
export type ItemUpdate = {
  priceCents?: number;
  stock?: number;
  title?: string;
  status?: "ACTIVE" | "PAUSED";
  pictureUrls?: string[];
  /** Attribute values to set (others untouched); GTIN travels as attribute id "GTIN". */
  attributes?: { id: string; value: string }[];
  freeShipping?: boolean;
  /** Plain-text description (Mercado Livre: PUT /items/{id}/description). */
  description?: string;
};

export type MarketplaceNotification = {
  /** Provider's id for this delivery, when it has one; else derived from the content. */
  id: string;
  topic: string;
  externalAccountId: string;
  externalItemId: string | null;
  resource: string | null;
  sentAt: Date;
};

export interface MarketplaceConnector {
  readonly provider: MarketplaceProvider;
  /** True when talking to the built-in sandbox (no real credentials configured). */
  readonly isSandbox: boolean;
  /**
   * "daily": getVisits returns each day's visits (Mercado Livre). "lifetime": the provider only
   * exposes a running total (Shopee's item views) — getVisits returns that total dated `to`, and
   * ingestion derives a day's visits from the growth between syncs, as it does for sales.
   */
  readonly visitsReporting: "daily" | "lifetime";
  /**
   * Whether getQuality/getPriceReference can ever answer: Shopee publishes neither to partners (its
   * methods return null without a request), so the market-signals step skips pacing through them.
   */
  readonly hasMarketSignals: boolean;

  authorizationUrl(request: AuthorizationRequest): string;
  exchangeCode(request: CodeExchange): Promise<TokenSet>;
  refresh(refreshToken: string, account: { externalAccountId: string }): Promise<TokenSet>;

  /** One page of the seller's item ids; pass the previous page's nextCursor. */
  listItemIds(credentials: MarketplaceCredentials, cursor: string | null): Promise<ItemPage>;
  /** Full items; batches internally within the provider's limit (20 for ML multiget, 50 Shopee). */
  getItems(credentials: MarketplaceCredentials, externalIds: string[]): Promise<MarketplaceItem[]>;
  getVisits(credentials: MarketplaceCredentials, externalIds: string[], from: Date, to: Date): Promise<DailyVisits[]>;
  /**
   * Optional: daily units sold per item between two instants (inclusive), from the seller's paid
   * orders — the only way to know sales before our first sync, since items report lifetime totals.
   * Only days with sales appear. Absent on providers where it is not implemented (Shopee).
   * It pages internally (many requests per call): `beforeRequest` runs before each one, so the
   * caller can pace them to the provider's rate.
   */
  getDailySales?(credentials: MarketplaceCredentials, from: Date, to: Date, options?: { beforeRequest?: () => Promise<void> }): Promise<DailySales[]>;
  /** Null while the provider has not computed it (ML answers 404 until then). */
  getQuality(credentials: MarketplaceCredentials, externalId: string): Promise<QualityReport | null>;
  getPriceReference(credentials: MarketplaceCredentials, externalId: string): Promise<PriceReference | null>;
  /**
   * The item's plain-text description, for providers whose item read leaves it out: Mercado Livre
   * serves it at GET /items/{id}/description, one call per item, so it is fetched with the other
   * per-item signals, not during ingestion. Null when the item has none. Absent when getItems
   * already returns descriptions (Shopee).
   */
  getDescription?(credentials: MarketplaceCredentials, externalId: string): Promise<string | null>;
  updateItem(credentials: MarketplaceCredentials, externalId: string, update: ItemUpdate): Promise<void>;

  /** Checks the provider's signature (or shared-secret/app-id rule) of an inbound notification. */
  verifyNotification(webhook: InboundWebhook): boolean;
  parseNotification(rawBody: string): MarketplaceNotification[];
}
