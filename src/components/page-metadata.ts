import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";

/** `generateMetadata` for a page whose translated <title> is `<namespace>.title`. */
export function titleMetadata(namespace: string) {
  return async function generateMetadata(): Promise<Metadata> {
    const t = await getTranslations(namespace);
    return { title: t("title") };
  };
}
