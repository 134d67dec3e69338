"use client";

import { RefreshCw } from "lucide-react";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { toast } from "sonner";

import { Button } from "~/components/ui/button";
import { useErrorMessage } from "~/components/use-error-message";
import { api } from "~/trpc/react";

const POLL_MS = 2000;
/** Stop waiting after this long (a queue without a worker): the button works again. */
const GIVE_UP_MS = 120_000;

/**
 * Queues a recompute and stays in a "recalculating" state until the summary shows a score written
 * after the click, so the seller sees when the new scores are in.
 */
export function RecomputeButton({ listingId, size = "md" }: { listingId?: string; size?: "sm" | "md" }) {
  const t = useTranslations("scores");
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const [waiting, setWaiting] = useState(false);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const latestScoredAt = async () =>
    (await utils.scores.summary.fetch(undefined, { staleTime: 0 }).catch(() => null))?.lastScoredAt?.getTime() ?? 0;

  /** Polls until a score newer than `before` (the server's clock, not the browser's) is written. */
  async function waitForScores(before: number) {
    const deadline = Date.now() + GIVE_UP_MS;
    while (mounted.current && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      if ((await latestScoredAt()) > before) break;
    }
    if (!mounted.current) return;
    await utils.scores.invalidate();
    setWaiting(false);
  }

  const recompute = api.scores.recompute.useMutation({
    onSuccess: () => toast.success(t("recomputeQueued")),
    onError: (error) => {
      setWaiting(false);
      toast.error(describe(error).message);
    },
  });

  return (
    <Button
      variant="secondary"
      size={size}
      pending={waiting}
      aria-live="polite"
      data-testid="scores-recompute"
      onClick={async () => {
        setWaiting(true);
        const before = await latestScoredAt();
        recompute.mutate(listingId ? { listingId } : undefined, { onSuccess: () => void waitForScores(before) });
      }}
    >
      {!waiting && <RefreshCw aria-hidden="true" />}
      {waiting ? t("recomputing") : t("recompute")}
    </Button>
  );
}
