"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";

import { Button } from "~/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { useErrorMessage } from "~/components/use-error-message";
import { SCORE_COMPONENT_KEYS, type ScoreWeights } from "~/server/services/scores/types";
import { api } from "~/trpc/react";

/** Managers and owners adjust the relative weight of each component; saving recomputes scores. */
export function WeightsEditor() {
  const t = useTranslations("scores");
  const tComponents = useTranslations("scoreComponents");
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const [{ weights: stored, defaults }] = api.scores.weights.useSuspenseQuery();
  const [draft, setDraft] = useState<ScoreWeights>(stored);
  const save = api.scores.setWeights.useMutation({
    onSuccess: async () => {
      toast.success(t("weightsSaved"));
      await utils.scores.invalidate();
    },
    onError: (error) => toast.error(describe(error).message),
  });
  const total = SCORE_COMPONENT_KEYS.reduce((sum, key) => sum + (draft[key] || 0), 0);
  const allZero = total === 0;

  return (
    <Card data-testid="score-weights">
      <CardHeader>
        <CardTitle>{t("weightsTitle")}</CardTitle>
        <CardDescription>{t("weightsDescription")}</CardDescription>
      </CardHeader>
      <CardContent>
        <form
          className="flex flex-col gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            if (!allZero) save.mutate({ weights: draft });
          }}
        >
          <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
            {SCORE_COMPONENT_KEYS.map((key) => (
              <div key={key} className="flex flex-col gap-1.5">
                <Label htmlFor={`weight-${key}`}>{tComponents(key)}</Label>
                <Input
                  id={`weight-${key}`}
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={100}
                  step={1}
                  required
                  value={Number.isNaN(draft[key]) ? "" : draft[key]}
                  onChange={(e) => {
                    const value = Math.max(0, Math.min(100, Math.round(Number(e.target.value))));
                    setDraft((d) => ({ ...d, [key]: Number.isFinite(value) ? value : 0 }));
                  }}
                />
              </div>
            ))}
          </div>
          <p className={allZero ? "text-sm text-red-700" : "text-sm text-slate-600"} role={allZero ? "alert" : undefined}>
            {allZero ? t("weightsAllZero") : t("weightsTotal", { total })}
          </p>
          <div className="flex flex-wrap gap-2">
            <Button type="submit" pending={save.isPending} disabled={allZero}>
              {save.isPending ? t("weightsSaving") : t("weightsSave")}
            </Button>
            <Button variant="secondary" onClick={() => setDraft(defaults)} disabled={save.isPending}>
              {t("weightsDefaults")}
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
