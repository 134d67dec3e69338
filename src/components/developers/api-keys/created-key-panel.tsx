"use client";

import { Copy } from "lucide-react";
import { useTranslations } from "next-intl";
import { useRef } from "react";
import { toast } from "sonner";

import { Banner } from "../../ui/banner";
import { Button } from "../../ui/button";
import { Input } from "../../ui/input";

/** The plaintext key, shown exactly once right after creation (the server never returns it again). */
export function CreatedKeyPanel({ plaintext, onDone }: { plaintext: string; onDone: () => void }) {
  const t = useTranslations("apiKeys.created");
  const inputRef = useRef<HTMLInputElement>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(plaintext);
      toast.success(t("copied"));
    } catch {
      // Clipboard access can be refused (permissions, insecure origin): leave it selected instead.
      inputRef.current?.select();
      toast.error(t("copyFailed"));
    }
  }

  return (
    <div className="flex flex-col gap-3" data-testid="created-key">
      <Banner tone="warning" id="created-key-warning">
        {t("warning")}
      </Banner>
      <label htmlFor="created-key-value" className="text-sm font-medium text-slate-900">
        {t("label")}
      </label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <Input
          ref={inputRef}
          id="created-key-value"
          data-testid="created-key-value"
          readOnly
          value={plaintext}
          onFocus={(e) => e.currentTarget.select()}
          className="font-mono text-xs"
          aria-describedby="created-key-warning"
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
