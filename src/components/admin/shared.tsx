"use client";

import { Loader2 } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";

import { Banner } from "../ui/banner";
import { Button } from "../ui/button";
import { useErrorMessage } from "../use-error-message";

/** BRL from cents, in the viewer's locale. */
export function useMoney() {
  const format = useFormatter();
  return (cents: number) => format.number(cents / 100, { style: "currency", currency: "BRL" });
}

export function Loading() {
  const t = useTranslations("admin");
  return (
    <p className="flex items-center gap-2 text-sm text-slate-600" role="status">
      <Loader2 className="size-4 animate-spin" aria-hidden="true" />
      {t("loading")}
    </p>
  );
}

/** A failed query, in words, with a retry. */
export function LoadError({ error, retry }: { error: unknown; retry: () => void }) {
  const t = useTranslations("admin");
  const { describe } = useErrorMessage();
  return (
    <Banner tone="danger" title={t("loadFailed")}>
      <span className="block">{describe(error).message}</span>
      <Button variant="secondary" size="sm" className="mt-2" onClick={retry}>
        {t("retry")}
      </Button>
    </Banner>
  );
}
