/** Date and time of an instant in the organization's time zone, in the reader's language. */
export function formatInZone(instant: Date, timeZone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(instant);
}

/** Tabs of the Publicações page (the server reads the `tab` query parameter against it). */
export const PUBLICATION_TABS = ["scheduled", "published", "failed", "unconfirmed", "canceled"] as const;
export type PublicationTab = (typeof PUBLICATION_TABS)[number];
