"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";

import { Button } from "../ui/button";
import { Dialog, DialogFooter } from "../ui/dialog";
import { FormError, FormField } from "../ui/form-field";
import { cn } from "../ui/cn";
import { fieldClasses } from "../ui/input";

type ReasonDialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: string;
  confirmLabel: string;
  pending: boolean;
  error?: string | null;
  onConfirm: (reason: string) => void;
};

/** Asks for the reason of a suspension or a ban (recorded in the audit log and shown to members). */
export function ReasonDialog({ open, onOpenChange, title, description, confirmLabel, pending, error, onConfirm }: ReasonDialogProps) {
  const t = useTranslations("admin");
  const [reason, setReason] = useState("");
  const [touched, setTouched] = useState(false);
  const tooShort = reason.trim().length < 3;
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={title} description={description} closeLabel={t("close")}>
      <form
        className="flex flex-col gap-4"
        onSubmit={(event) => {
          event.preventDefault();
          setTouched(true);
          if (!tooShort) onConfirm(reason.trim());
        }}
      >
        <FormField label={t("reason")} hint={t("reasonHint")} error={touched && tooShort ? t("reasonTooShort") : undefined}>
          {(field) => (
            <textarea {...field} className={cn(fieldClasses, "min-h-24 py-2")} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
          )}
        </FormField>
        <FormError message={error} />
        <DialogFooter>
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            {t("cancel")}
          </Button>
          <Button type="submit" variant="danger" pending={pending}>
            {confirmLabel}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
