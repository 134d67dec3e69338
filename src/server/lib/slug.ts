import { randomBytes } from "node:crypto";

/** "Loja da Maria Ção" → "loja-da-maria-cao" (accents folded, at most 40 characters). */
export function slugify(text: string): string {
  const slug = text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  return slug || "org";
}

export function slugWithSuffix(text: string): string {
  return `${slugify(text)}-${randomBytes(3).toString("hex")}`;
}
