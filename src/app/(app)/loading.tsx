import { getTranslations } from "next-intl/server";

export default async function Loading() {
  const t = await getTranslations("common");
  return (
    <div className="flex flex-col gap-4" role="status" aria-live="polite">
      <span className="sr-only">{t("loading")}</span>
      <div className="h-8 w-56 animate-pulse rounded-md bg-slate-200" />
      <div className="h-4 w-80 max-w-full animate-pulse rounded-md bg-slate-200" />
      <div className="mt-4 h-40 animate-pulse rounded-xl bg-slate-200/70" />
    </div>
  );
}
