"use client";

import { useTranslations } from "next-intl";

import { ShownOnceSecret } from "../shown-once-secret";

/** The plaintext key, shown exactly once right after creation (the server never returns it again). */
export function CreatedKeyPanel({ plaintext, onDone }: { plaintext: string; onDone: () => void }) {
  const t = useTranslations("apiKeys.created");
  const texts = { warning: t("warning"), label: t("label"), copy: t("copy"), copied: t("copied"), copyFailed: t("copyFailed"), done: t("done") };
  return <ShownOnceSecret value={plaintext} idPrefix="created-key" texts={texts} onDone={onDone} />;
}
