/**
 * The audit page's filter as it travels in the URL (?action=&actor=&from=&to=&target=): shared by
 * the server page (reads it) and the client list (writes it). The server validates it again.
 */
/** Entries per page of the audit list (the server page prefetches the first one). */
export const AUDIT_PAGE_SIZE = 25;

export type AuditFilterValues = { action?: string; actorUserId?: string; from?: string; to?: string; targetId?: string };

export const AUDIT_FILTER_PARAMS: Record<keyof AuditFilterValues, string> = { action: "action", actorUserId: "actor", from: "from", to: "to", targetId: "target" };

/** Reads the filter from search params (unknown shapes are dropped; the server validates again). */
export function auditFilterFromParams(params: Record<string, string | string[] | undefined>): AuditFilterValues {
  const one = (key: string) => {
    const value = params[key];
    const text = Array.isArray(value) ? value[0] : value;
    return text?.trim() ? text.trim().slice(0, 200) : undefined;
  };
  const day = (key: string) => {
    const value = one(key);
    return value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
  };
  const filter: AuditFilterValues = { action: one("action")?.slice(0, 64), actorUserId: one("actor")?.slice(0, 64), from: day("from"), to: day("to"), targetId: one("target") };
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
}

