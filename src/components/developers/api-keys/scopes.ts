import { API_SCOPES, type ApiScope } from "~/server/auth/scopes";

/** Domains of API_SCOPES in display order, each with the levels it offers. */
export type ScopeDomain = { domain: string; read: ApiScope | null; write: ApiScope | null };

export const SCOPE_DOMAINS: ScopeDomain[] = [...new Set(API_SCOPES.map((scope) => scope.split(":")[0]!))].map((domain) => ({
  domain,
  read: API_SCOPES.find((s) => s === `${domain}:read`) ?? null,
  write: API_SCOPES.find((s) => s === `${domain}:write`) ?? null,
}));

/** What the grid holds per domain: nothing, read, or write (which includes read). */
export type ScopeLevel = "none" | "read" | "write";
export type ScopeSelection = Record<string, ScopeLevel>;

export const emptySelection = (): ScopeSelection => Object.fromEntries(SCOPE_DOMAINS.map((d) => [d.domain, "none"]));

/** The scopes to send: one per chosen domain (write alone, since it implies read). */
export function scopesOf(selection: ScopeSelection): ApiScope[] {
  return SCOPE_DOMAINS.flatMap((d) => {
    const level = selection[d.domain];
    if (level === "write" && d.write) return [d.write];
    if (level === "read" && d.read) return [d.read];
    return [];
  });
}

/** Splits a stored scope ("listings:write") into its domain and level, for chips. */
export function parseScope(scope: string): { domain: string; level: "read" | "write" } {
  const [domain = scope, level] = scope.split(":");
  return { domain, level: level === "write" ? "write" : "read" };
}
