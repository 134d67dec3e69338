"use client";

import { Copy } from "lucide-react";
import { useRef } from "react";
import { toast } from "sonner";

import { Banner } from "../ui/banner";
import { Button } from "../ui/button";
import { Input } from "../ui/input";

export type ShownOnceTexts = { warning: string; label: string; copy: string; copied: string; copyFailed: string; done: string };

/**
 * A credential the server returns exactly once (an API key, a webhook signing secret): a warning,
 * the value in a read-only field that selects itself, a copy button and a "done" button.
 */
export function ShownOnceSecret({ value, idPrefix, texts, onDone }: { value: string; idPrefix: string; texts: ShownOnceTexts; onDone: () => void }) {
  const inputRef = useRef<HTMLInputElement>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      toast.success(texts.copied);
    } catch {
      // Clipboard access can be refused (permissions, insecure origin): leave it selected instead.
      inputRef.current?.select();
      toast.error(texts.copyFailed);
    }
  }

  return (
    <div className="flex flex-col gap-3" data-testid={idPrefix}>
      <Banner tone="warning" id={`${idPrefix}-warning`}>
        {texts.warning}
      </Banner>
      <label htmlFor={`${idPrefix}-value`} className="text-sm font-medium text-slate-900">
        {texts.label}
      </label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <Input
          ref={inputRef}
          id={`${idPrefix}-value`}
          data-testid={`${idPrefix}-value`}
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          className="font-mono text-xs"
          aria-describedby={`${idPrefix}-warning`}
          autoComplete="off"
          spellCheck={false}
        />
        <Button variant="secondary" onClick={copy} className="shrink-0">
          <Copy aria-hidden="true" />
          {texts.copy}
        </Button>
      </div>
      <Button onClick={onDone} className="self-end">
        {texts.done}
      </Button>
    </div>
  );
}
