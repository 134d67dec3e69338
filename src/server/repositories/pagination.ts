/** Page size bounds shared by every list procedure. */
export const MAX_PAGE_SIZE = 100;

/**
 * Keyset pagination helper: repositories fetch `limit + 1` rows ordered by a unique key; the extra
 * row only tells whether another page exists. Offsets are never used (they degrade on big tables).
 */
export function paginate<T extends { id: string }>(rows: T[], limit: number) {
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  return { items, nextCursor: hasMore ? (items.at(-1)?.id ?? null) : null };
}

export type Page<T> = { items: T[]; nextCursor: string | null };
