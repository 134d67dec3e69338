"use client";

import { Copy } from "lucide-react";
import { useTranslations } from "next-intl";
import { useRef } from "react";
import { toast } from "sonner";

import { Banner } from "../../ui/banner";
import { Button } from "../../ui/button";
import { Input } from "../../ui/input";

/** The signing secret, shown exactly once (after creating an endpoint or rotating its secret). */
export function SecretPanel({ secret, onDone }: { secret: string; onDone: () => void }) {
  const t = useTranslations("webhooks.secret");
  const inputRef = useRef<HTMLInputElement>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      toast.success(t("copied"));
    } catch {
      inputRef.current?.select();
      toast.error(t("copyFailed"));
    }
  }

  return (
    <div className="flex flex-col gap-3" data-testid="webhook-secret">
      <Banner tone="warning" id="webhook-secret-warning">
        {t("warning")}
      </Banner>
      <label htmlFor="webhook-secret-value" className="text-sm font-medium text-slate-900">
        {t("label")}
      </label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <Input
          ref={inputRef}
          id="webhook-secret-value"
          data-testid="webhook-secret-value"
          readOnly
          value={secret}
          onFocus={(e) => e.currentTarget.select()}
          className="font-mono text-xs"
          aria-describedby="webhook-secret-warning"
          autoComplete="off"
          spellCheck={false}
        />
        <Button variant="secondary" onClick={copy} className="shrink-0">
          <Copy aria-hidden="true" />
          {t("copy")}
        </Button>
      </div>
      <Button onClick={onDone} className="self-end">
        {t("done")}
      </Button>
    </div>
  );
}
