import { mix32, type SandboxCatalog } from "../catalog";
import { itemId, sellerById, type SandboxSeller } from "./items";

/**
 * Mercado Livre's order search (`GET /orders/search?seller=…`) over the deterministic catalog: the
 * units `catalog.daily(seller, index, day).sales` says an item sold on a UTC day become that day's
 * paid orders of the item (up to ORDER_MAX_UNITS units each), at deterministic times and with
 * deterministic ids, so any two processes — and a restart — serve the same orders. A small share of
 * extra orders is cancelled (they never count as sales: a client must filter `order.status=paid`).
 *
 * Past orders never change: edits made through the API (the overlay) do not rewrite history.
 * Orders dated after the sandbox clock do not exist yet.
 *
 * Paging follows the provider's search rules as this project applies them (FACTS.md): `limit` up to
 * 50 and `offset + limit` up to 1000; past that the client narrows the date range. Sandbox rule: the
 * date window may span at most 365 days (Mercado Livre keeps the last 12 months searchable), and
 * defaults to the last 30 days.
 */

export const ORDERS_MAX_LIMIT = 50;
export const ORDERS_OFFSET_CEILING = 1000;
const ORDER_MAX_UNITS = 2;
const CANCELLED_SHARE = 0.1;
const MAX_WINDOW_DAYS = 365;
const DEFAULT_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;
/** Bound on the orders kept in the per-day cache (a 100 000-item catalog sells ~50 000 a day). */
const MAX_CACHED_ORDERS = 1_000_000;

/** One order as the search computes it; `cancelled` ones are the extra orders never paid. */
type DayOrder = { id: number; at: number; index: number; quantity: number; cancelled: boolean };

function hash(...parts: number[]): number {
  let h = 0x2545f491;
  for (const p of parts) h = mix32((h ^ mix32((p | 0) + 0x9e3779b9)) + 0x7f4a7c15);
  return h;
}

/** Mercado Livre dates orders in the site's local time: São Paulo (UTC−3, no daylight saving). */
function brt(ms: number): string {
  return new Date(ms - 3 * 3_600_000).toISOString().replace("Z", "-03:00");
}

type Claims = { u: number };

function error(status: number, code: string, message: string): Response {
  return Response.json({ message, error: code, status, cause: [] }, { status });
}

export function createOrdersResource(catalog: SandboxCatalog, clock: () => number) {
  // Orders of one seller on one UTC day, sorted by time: computing a day walks the whole catalog,
  // and a client pages through the same days many times.
  const cache = new Map<string, DayOrder[]>();
  let cached = 0;

  function ordersOfDay(seller: SandboxSeller, dayNumber: number): DayOrder[] {
    const key = `${seller.slot}:${dayNumber}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const day = new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
    const orders: DayOrder[] = [];
    const order = (index: number, n: number, quantity: number, cancelled: boolean) => {
      // Seconds into the day; the id encodes (slot, day, index, n): unique and stable.
      const at = dayNumber * DAY_MS + (hash(seller.slot, index, dayNumber, n) % 86_400) * 1000;
      const id = Number(`2${seller.slot}${String(dayNumber).padStart(5, "0")}${String(index).padStart(6, "0")}${String(n).padStart(3, "0")}`);
      orders.push({ id, at, index, quantity, cancelled });
    };
    for (let index = 0; index < catalog.size; index++) {
      const { sales } = catalog.daily(seller.id, index, day);
      if (sales === 0) continue;
      let n = 0;
      for (let left = sales; left > 0; left -= ORDER_MAX_UNITS) order(index, n++, Math.min(ORDER_MAX_UNITS, left), false);
      if (hash(seller.slot, index, dayNumber, 999) / 0x1_0000_0000 < CANCELLED_SHARE) order(index, n, 1, true);
    }
    orders.sort((a, b) => a.at - b.at || a.id - b.id);
    cache.set(key, orders);
    cached += orders.length;
    for (const [k, v] of cache) {
      if (cached <= MAX_CACHED_ORDERS) break;
      cache.delete(k);
      cached -= v.length;
    }
    return orders;
  }

  function toMlOrder(seller: SandboxSeller, order: DayOrder) {
    const item = catalog.item(seller.id, order.index);
    const unitPrice = item.priceCents / 100;
    const total = Math.round(item.priceCents * order.quantity) / 100;
    const closed = brt(order.at + 30_000);
    return {
      id: order.id,
      status: order.cancelled ? "cancelled" : "paid",
      status_detail: order.cancelled ? { code: "buyer_cancelled", description: null } : null,
      date_created: brt(order.at),
      date_closed: order.cancelled ? null : closed,
      last_updated: closed,
      expiration_date: brt(order.at + 21 * DAY_MS),
      pack_id: null,
      fulfilled: null,
      order_items: [
        {
          item: {
            id: itemId(seller, order.index),
            title: item.title,
            category_id: item.category.id,
            variation_id: null,
            seller_custom_field: item.sku,
            variation_attributes: [],
          },
          quantity: order.quantity,
          unit_price: unitPrice,
          full_unit_price: unitPrice,
          currency_id: "BRL",
          sale_fee: Math.round(item.priceCents * 0.14) / 100,
        },
      ],
      total_amount: total,
      paid_amount: order.cancelled ? 0 : total,
      currency_id: "BRL",
      buyer: { id: 400_000_000 + (hash(order.id % 1_000_000_007) % 10_000_000), nickname: `COMPRADOR${order.id % 100_000}` },
      seller: { id: seller.id },
      payments: order.cancelled
        ? []
        : [{ id: order.id + 1, order_id: order.id, status: "approved", transaction_amount: total, currency_id: "BRL", date_approved: closed }],
      shipping: { id: order.id + 2 },
      tags: order.cancelled ? ["not_paid"] : ["paid", "not_delivered"],
      context: { channel: "marketplace", site: "MLB", flows: [] },
    };
  }

  function parseInstant(value: string | null): number | null | "invalid" {
    if (value === null || value === "") return null;
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms : "invalid";
  }

  /** GET /orders/search?seller=…&order.status=…&order.date_created.from=…&…to=…&sort=…&offset&limit */
  function search(claims: Claims, url: URL): Response {
    const params = url.searchParams;
    const sellerParam = params.get("seller");
    if (!sellerParam) return error(400, "bad_request", "The parameter seller is required");
    const sellerId = Number(sellerParam);
    if (sellerId !== claims.u) return error(403, "forbidden", `Caller id ${claims.u} not allowed to access orders of seller ${sellerParam}`);
    const seller = sellerById(sellerId);
    if (!seller) return error(404, "not_found", `User ${sellerParam} not found`);

    const limit = Number(params.get("limit") ?? String(ORDERS_MAX_LIMIT));
    const offset = Number(params.get("offset") ?? "0");
    if (!Number.isInteger(limit) || limit < 1 || limit > ORDERS_MAX_LIMIT) return error(400, "bad_request", `Invalid limit. The limit must be between 1 and ${ORDERS_MAX_LIMIT}`);
    if (!Number.isInteger(offset) || offset < 0) return error(400, "bad_request", "Invalid offset");
    if (offset + limit > ORDERS_OFFSET_CEILING) {
      return error(400, "bad_request", `Invalid limit and offset values. offset + limit must be lower or equal than ${ORDERS_OFFSET_CEILING}. Narrow the search with order.date_created filters`);
    }
    const sort = params.get("sort") ?? "date_asc";
    if (sort !== "date_asc" && sort !== "date_desc") return error(400, "bad_request", "sort must be date_asc or date_desc");

    const now = clock();
    const fromParam = parseInstant(params.get("order.date_created.from"));
    const toParam = parseInstant(params.get("order.date_created.to"));
    if (fromParam === "invalid" || toParam === "invalid") return error(400, "bad_request", "order.date_created.from and .to must be ISO-8601 dates");
    const to = Math.min(toParam ?? now, now);
    const from = fromParam ?? to - DEFAULT_WINDOW_DAYS * DAY_MS;
    if (to - from > MAX_WINDOW_DAYS * DAY_MS) return error(400, "bad_request", `The order.date_created range must be at most ${MAX_WINDOW_DAYS} days`);

    const status = params.get("order.status");
    const matching: DayOrder[] = [];
    if (to >= from) {
      for (let d = Math.floor(from / DAY_MS); d <= Math.floor(to / DAY_MS); d++) {
        for (const order of ordersOfDay(seller, d)) {
          if (order.at < from || order.at > to) continue;
          if (status && status !== (order.cancelled ? "cancelled" : "paid")) continue;
          matching.push(order);
        }
      }
    }
    if (sort === "date_desc") matching.reverse();
    const page = matching.slice(offset, offset + limit);
    return Response.json({
      query: "",
      display: "complete",
      paging: { total: matching.length, offset, limit },
      results: page.map((o) => toMlOrder(seller, o)),
      sort: { id: sort, name: sort === "date_asc" ? "Date ascending" : "Date descending" },
      available_sorts: [{ id: sort === "date_asc" ? "date_desc" : "date_asc", name: sort === "date_asc" ? "Date descending" : "Date ascending" }],
      filters: [],
      available_filters: [],
    });
  }

  return { search };
}
