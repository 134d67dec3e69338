import { cookies } from "next/headers";
import { getRequestConfig } from "next-intl/server";

import { loadSession } from "~/app/(app)/_lib/tenant";
import { LOCALE_COOKIE, toLocale } from "./locales";
import { MESSAGES } from "./messages";

/** Signed out, or no organization yet: the product's home zone. */
const DEFAULT_TIME_ZONE = "America/Sao_Paulo";

// Portuguese by default; the language switch stores the choice in a cookie (no locale in URLs).
// Dates and times are shown in the active organization's time zone (stored in UTC, applied at the
// edges): every `format.dateTime` on server and client uses it. The session is loaded once per
// request (React cache) and shared with the layout, so this costs no extra query.
export default getRequestConfig(async () => {
  const locale = toLocale((await cookies()).get(LOCALE_COOKIE)?.value);
  const { tenant } = await loadSession();
  return { locale, messages: MESSAGES[locale], timeZone: tenant?.organization.timeZone ?? DEFAULT_TIME_ZONE };
});
