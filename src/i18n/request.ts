import { cookies } from "next/headers";
import { getRequestConfig } from "next-intl/server";

import { LOCALE_COOKIE, toLocale } from "./locales";
import { MESSAGES } from "./messages";

// Portuguese by default; the language switch stores the choice in a cookie (no locale in URLs).
export default getRequestConfig(async () => {
  const locale = toLocale((await cookies()).get(LOCALE_COOKIE)?.value);
  return { locale, messages: MESSAGES[locale], timeZone: "America/Sao_Paulo" };
});
