"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";

import { Button } from "~/components/ui/button";
import { Dialog, DialogFooter } from "~/components/ui/dialog";
import { FormError, FormField } from "~/components/ui/form-field";
import { Input } from "~/components/ui/input";
import { PlanLimitNotice } from "~/components/billing/plan-limit-notice";
import { type DescribedError, useErrorMessage } from "~/components/use-error-message";
import { toZonedInputs, zonedWallTimeToUtc } from "~/lib/time/zoned";
import { api } from "~/trpc/react";

type Props = {
  publication: { id: string; scheduledAt: Date };
  timeZone: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onDone: () => void;
};

/** A new wall time in the organization's zone, stored as UTC (DST-safe through zoned.ts). */
export function RescheduleDialog({ publication, timeZone, open, onOpenChange, onDone }: Props) {
  const t = useTranslations("publications");
  const { describe } = useErrorMessage();
  // A post due in the past (a failed one) starts from the next full hour.
  const [initial] = useState(() => {
    const now = Date.now();
    return toZonedInputs(publication.scheduledAt.getTime() > now ? publication.scheduledAt : new Date(Math.ceil(now / 3_600_000) * 3_600_000), timeZone);
  });
  const [date, setDate] = useState(initial.date);
  const [time, setTime] = useState(initial.time);
  const [error, setError] = useState<DescribedError | null>(null);
  const reschedule = api.publications.reschedule.useMutation({
    onSuccess: () => {
      toast.success(t("rescheduled"));
      onOpenChange(false);
      onDone();
    },
    onError: (e) => setError(describe(e)),
  });

  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={t("rescheduleTitle")} description={t("rescheduleDescription", { timeZone })} closeLabel={t("close")}>
      <form
        className="flex flex-col gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          reschedule.mutate({ id: publication.id, scheduledAt: zonedWallTimeToUtc(date, time, timeZone) });
        }}
      >
        <div className="grid gap-3 sm:grid-cols-2">
          <FormField label={t("date")}>
            {(control) => <Input {...control} type="date" required value={date} onChange={(e) => setDate(e.target.value)} />}
          </FormField>
          <FormField label={t("time")}>
            {(control) => <Input {...control} type="time" required value={time} onChange={(e) => setTime(e.target.value)} />}
          </FormField>
        </div>
        {error?.planLimit ? <PlanLimitNotice message={error.message} limit={error.planLimit} /> : <FormError message={error?.message ?? null} />}
        <DialogFooter>
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            {t("back")}
          </Button>
          <Button type="submit" pending={reschedule.isPending}>
            {t("save")}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
