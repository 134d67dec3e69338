import { mix32, type SandboxCatalog } from "../catalog";

/**
 * Shopee's order list and order detail (v2.order.get_order_list / get_order_detail) over the
 * deterministic catalog: `catalog.daily(shop_id, index, day).sales` units of an item on a UTC day
 * become that day's orders of the item (up to 2 units each) at deterministic times, with
 * deterministic order_sn (YYMMDD + base-36 of shop slot, item and order number). A small share of
 * extra orders is CANCELLED, which never counts as a sale. Orders dated after the sandbox clock do
 * not exist yet; past orders never change.
 *
 * Rules applied as Shopee documents them: create_time/update_time windows of at most 15 days,
 * page_size 1…100 with an opaque cursor, order_sn_list of at most 50. Statuses: COMPLETED when
 * older than 7 days, SHIPPED after a day, READY_TO_SHIP before (sandbox rule).
 */

const DAY_MS = 86_400_000;
const MAX_WINDOW_S = 15 * 86_400;
const MAX_PAGE = 100;
const MAX_DETAIL = 50;
const ORDER_MAX_UNITS = 2;
const CANCELLED_SHARE = 0.1;
const MAX_CACHED_ORDERS = 1_000_000;

type DayOrder = { sn: string; at: number; index: number; n: number; quantity: number; cancelled: boolean };
export type ShopeeOrderError = { error: string; message: string };

function hash(...parts: number[]): number {
  let h = 0x6a09e667;
  for (const p of parts) h = mix32((h ^ mix32((p | 0) + 0x9e3779b9)) + 0x3c6ef372);
  return h;
}

function yymmdd(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(2, 10).replaceAll("-", "");
}

export function createShopeeOrders(catalog: SandboxCatalog, deps: { now: () => number; slotOf: (shopId: number) => number; itemId: (shopId: number, index: number) => number }) {
  const cache = new Map<string, DayOrder[]>();
  let cached = 0;

  function ordersOfDay(shopId: number, dayNumber: number): DayOrder[] {
    const slot = deps.slotOf(shopId);
    if (slot < 0) return [];
    const key = `${slot}:${dayNumber}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const day = new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
    const orders: DayOrder[] = [];
    const add = (index: number, n: number, quantity: number, cancelled: boolean) => {
      const at = dayNumber * DAY_MS + (hash(slot, index, dayNumber, n) % 86_400) * 1000;
      const code = ((index * 1000 + n) * 10 + slot).toString(36).toUpperCase().padStart(8, "0");
      orders.push({ sn: `${yymmdd(dayNumber)}${code}`, at, index, n, quantity, cancelled });
    };
    for (let index = 0; index < catalog.size; index++) {
      const { sales } = catalog.daily(String(shopId), index, day);
      if (sales === 0) continue;
      let n = 0;
      for (let left = sales; left > 0; left -= ORDER_MAX_UNITS) add(index, n++, Math.min(ORDER_MAX_UNITS, left), false);
      if (hash(slot, index, dayNumber, 999) / 0x1_0000_0000 < CANCELLED_SHARE) add(index, n, 1, true);
    }
    orders.sort((a, b) => a.at - b.at || (a.sn < b.sn ? -1 : 1));
    cache.set(key, orders);
    cached += orders.length;
    for (const [k, v] of cache) {
      if (cached <= MAX_CACHED_ORDERS) break;
      cache.delete(k);
      cached -= v.length;
    }
    return orders;
  }

  function statusOf(order: DayOrder): string {
    if (order.cancelled) return "CANCELLED";
    const age = deps.now() - order.at;
    return age > 7 * DAY_MS ? "COMPLETED" : age > DAY_MS ? "SHIPPED" : "READY_TO_SHIP";
  }

  const int = (value: string | null) => (value !== null && /^\d+$/.test(value) ? Number(value) : null);

  /** GET /api/v2/order/get_order_list (create_time windows; update_time = create_time here). */
  function list(url: URL, shopId: number): Record<string, unknown> | ShopeeOrderError {
    const p = url.searchParams;
    const field = p.get("time_range_field");
    if (field !== "create_time" && field !== "update_time") return { error: "error_param", message: "time_range_field should be create_time or update_time." };
    const from = int(p.get("time_from"));
    const to = int(p.get("time_to"));
    if (from === null || to === null || to < from) return { error: "error_param", message: "time_from and time_to are required, time_from <= time_to." };
    if (to - from > MAX_WINDOW_S) return { error: "error_param", message: "The maximum date range may not exceed 15 days." };
    const pageSize = int(p.get("page_size"));
    if (pageSize === null || pageSize < 1 || pageSize > MAX_PAGE) return { error: "error_param", message: `page_size should be between 1 and ${MAX_PAGE}.` };
    const cursor = p.get("cursor") ?? "";
    const offset = cursor === "" ? 0 : int(cursor);
    if (offset === null) return { error: "error_param", message: "Invalid cursor." };
    const wanted = p.get("order_status");
    const withStatus = (p.get("response_optional_fields") ?? "").split(",").includes("order_status");

    const fromMs = from * 1000;
    const toMs = Math.min(to * 1000 + 999, deps.now());
    const matching: DayOrder[] = [];
    for (let d = Math.floor(fromMs / DAY_MS); d <= Math.floor(toMs / DAY_MS); d++) {
      for (const o of ordersOfDay(shopId, d)) {
        if (o.at < fromMs || o.at > toMs) continue;
        if (wanted && statusOf(o) !== wanted) continue;
        matching.push(o);
      }
    }
    const page = matching.slice(offset, offset + pageSize);
    const more = offset + page.length < matching.length;
    return {
      more,
      next_cursor: more ? String(offset + page.length) : "",
      order_list: page.map((o) => (withStatus ? { order_sn: o.sn, order_status: statusOf(o) } : { order_sn: o.sn })),
    };
  }

  function find(shopId: number, sn: string): DayOrder | null {
    const m = /^(\d{2})(\d{2})(\d{2})([0-9A-Z]{8})$/.exec(sn);
    if (!m) return null;
    const dayMs = Date.parse(`20${m[1]}-${m[2]}-${m[3]}T00:00:00Z`);
    if (!Number.isFinite(dayMs)) return null;
    return ordersOfDay(shopId, dayMs / DAY_MS).find((o) => o.sn === sn && o.at <= deps.now()) ?? null;
  }

  /** GET /api/v2/order/get_order_detail?order_sn_list=…&response_optional_fields=item_list,… */
  function detail(url: URL, shopId: number): Record<string, unknown> | ShopeeOrderError {
    const sns = (url.searchParams.get("order_sn_list") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    if (sns.length === 0) return { error: "error_param", message: "order_sn_list is required." };
    if (sns.length > MAX_DETAIL) return { error: "error_param", message: `order_sn_list should contain at most ${MAX_DETAIL} order_sn.` };
    const fields = (url.searchParams.get("response_optional_fields") ?? "").split(",");
    const orders = [];
    for (const sn of sns) {
      const o = find(shopId, sn);
      if (!o) return { error: "error_not_found", message: `order_sn ${sn} not found.` };
      const item = catalog.item(String(shopId), o.index);
      const price = item.priceCents / 100;
      orders.push({
        order_sn: o.sn,
        region: "BR",
        currency: "BRL",
        order_status: statusOf(o),
        create_time: Math.floor(o.at / 1000),
        update_time: Math.floor(o.at / 1000) + 60,
        ...(fields.includes("total_amount") ? { total_amount: Math.round(item.priceCents * o.quantity) / 100 } : {}),
        ...(fields.includes("item_list")
          ? {
              item_list: [
                {
                  item_id: deps.itemId(shopId, o.index),
                  item_name: item.title,
                  item_sku: item.sku,
                  model_id: 0,
                  model_name: "",
                  model_quantity_purchased: o.quantity,
                  model_original_price: price,
                  model_discounted_price: price,
                },
              ],
            }
          : {}),
      });
    }
    return { order_list: orders };
  }

  return { list, detail };
}
