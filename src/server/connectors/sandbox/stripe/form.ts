/**
 * Stripe's request encoding: application/x-www-form-urlencoded with bracketed keys for nesting
 * (`metadata[organizationId]=…`, `line_items[0][price]=…`, `expand[]=…`), the way the SDK sends it.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

export function parseStripeForm(body: string | URLSearchParams): FormObject {
  const params = typeof body === "string" ? new URLSearchParams(body) : body;
  const root: FormObject = {};
  for (const [rawKey, value] of params) {
    const head = rawKey.split("[", 1)[0]!;
    const rest = [...rawKey.slice(head.length).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!);
    const path = [head, ...rest];
    let node: Record<string, FormValue> = root;
    for (let i = 0; i < path.length; i++) {
      const key = path[i]!;
      if (i === path.length - 1) {
        node[key] = value;
        break;
      }
      // `expand[]=a&expand[]=b`: an empty index appends to a list.
      if (path[i + 1] === "") {
        const existing = node[key];
        const items = Array.isArray(existing) ? existing : [];
        items.push(value);
        node[key] = items;
        break;
      }
      const child = node[key];
      if (typeof child !== "object" || child === null || Array.isArray(child)) node[key] = {};
      node = node[key] as Record<string, FormValue>;
    }
  }
  return arraysFromIndexes(root) as FormObject;
}

/** `{ "0": a, "1": b }` → `[a, b]` (Stripe's indexed arrays). */
function arraysFromIndexes(value: FormValue): FormValue {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(arraysFromIndexes);
  const keys = Object.keys(value);
  const converted: FormObject = {};
  for (const k of keys) converted[k] = arraysFromIndexes(value[k]!);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => converted[k]!);
  }
  return converted;
}

export function str(value: FormValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function obj(value: FormValue | undefined): FormObject {
  return value && typeof value === "object" && !Array.isArray(value) ? value : {};
}

export function list(value: FormValue | undefined): FormValue[] {
  return Array.isArray(value) ? value : [];
}

/** Metadata values are strings; an empty string deletes the key (Stripe's rule). */
export function mergeMetadata(current: Record<string, string>, update: FormValue | undefined): Record<string, string> {
  const next = { ...current };
  for (const [k, v] of Object.entries(obj(update))) {
    if (typeof v !== "string") continue;
    if (v === "") delete next[k];
    else next[k] = v;
  }
  return next;
}
