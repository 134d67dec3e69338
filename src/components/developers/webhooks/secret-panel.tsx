"use client";

import { useTranslations } from "next-intl";

import { ShownOnceSecret } from "../shown-once-secret";

/** The signing secret, shown exactly once (after creating an endpoint or rotating its secret). */
export function SecretPanel({ secret, onDone }: { secret: string; onDone: () => void }) {
  const t = useTranslations("webhooks.secret");
  const texts = { warning: t("warning"), label: t("label"), copy: t("copy"), copied: t("copied"), copyFailed: t("copyFailed"), done: t("done") };
  return <ShownOnceSecret value={secret} idPrefix="webhook-secret" texts={texts} onDone={onDone} />;
}
