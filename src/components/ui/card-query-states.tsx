"use client";

import { useTranslations } from "next-intl";

import { Button } from "./button";
import { CardContent } from "./card";

/** A card's body while its list query loads for the first time. */
export function CardLoading() {
  const tCommon = useTranslations("common");
  return (
    <CardContent className="text-sm text-slate-600" role="status">
      {tCommon("loading")}
    </CardContent>
  );
}

/** A card's body when its list query failed: what went wrong and a retry button. */
export function CardLoadError({ message, onRetry }: { message: string; onRetry: () => void }) {
  const tCommon = useTranslations("common");
  return (
    <CardContent className="flex flex-col items-start gap-2 text-sm text-red-700" role="alert">
      {message}
      <Button variant="secondary" size="sm" onClick={onRetry}>
        {tCommon("retry")}
      </Button>
    </CardContent>
  );
}

/** The "load more" footer of a cursor-paginated card list; nothing on the last page. */
export function CardLoadMore({ hasNextPage, pending, onLoadMore, label }: { hasNextPage: boolean; pending: boolean; onLoadMore: () => void; label: string }) {
  if (!hasNextPage) return null;
  return (
    <CardContent className="flex justify-center border-t border-slate-100">
      <Button variant="secondary" pending={pending} onClick={onLoadMore}>
        {label}
      </Button>
    </CardContent>
  );
}
