"use client";

import { TriangleAlert } from "lucide-react";
import { useTranslations } from "next-intl";

import { Button } from "~/components/ui/button";
import { EmptyState } from "~/components/ui/empty-state";

// Unexpected failures inside a page keep the shell (navigation still works) and offer a retry.
export default function AppError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("common");
  const tErrors = useTranslations("errors");
  return (
    <div role="alert">
      <EmptyState icon={TriangleAlert} title={t("loadError")} description={tErrors("generic")} action={<Button onClick={reset}>{t("retry")}</Button>} />
    </div>
  );
}
