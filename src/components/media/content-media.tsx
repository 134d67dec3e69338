"use client";

import { ArrowLeft, ArrowRight, ExternalLink, Film, ImageIcon, ImageOff, Trash2, Upload, X } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useCallback, useId, useRef, useState } from "react";

import { Badge } from "~/components/ui/badge";
import { Banner } from "~/components/ui/banner";
import { Button } from "~/components/ui/button";
import { cn } from "~/components/ui/cn";
import { Dialog, DialogFooter } from "~/components/ui/dialog";
import { EmptyState } from "~/components/ui/empty-state";
import { api, type RouterOutputs } from "~/trpc/react";

export type MediaItem = RouterOutputs["media"]["list"]["items"][number];

/** What the upload endpoint accepts (it decides from the bytes; this only filters the file picker). */
export const MEDIA_ACCEPT = "image/jpeg,image/png,image/webp,video/mp4,video/quicktime,video/webm";
const LIST_LIMIT = 50;

type Upload = { key: string; fileName: string; loaded: number; total: number; state: "uploading" | "processing" | "failed"; code?: string };

type UploadResponse = { data: MediaItem | null; errors: { code: string; message: string }[] };

/** POST /api/v1/media with progress (fetch cannot report upload progress; XMLHttpRequest can). */
function sendFile(file: File, contentId: string, onProgress: (loaded: number, total: number) => void): Promise<{ ok: boolean; code?: string; rejected: boolean }> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    const form = new FormData();
    // The content first: the server reads the form in order and the file can be large.
    form.append("contentId", contentId);
    form.append("file", file, file.name);
    xhr.open("POST", "/api/v1/media");
    xhr.responseType = "json";
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    };
    xhr.onload = () => {
      const body = xhr.response as UploadResponse | null;
      if (xhr.status === 200 && body?.data) return resolve({ ok: true, rejected: false });
      // 413 may come from a proxy in front of the route, with its own body.
      const code = xhr.status === 413 ? "too_large" : (body?.errors?.[0]?.code ?? "generic");
      resolve({ ok: false, code, rejected: body?.data?.status === "REJECTED" });
    };
    xhr.onerror = () => resolve({ ok: false, code: "network", rejected: false });
    xhr.onabort = () => resolve({ ok: false, code: "network", rejected: false });
    xhr.send(form);
  });
}

function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

function useSizeText() {
  const format = useFormatter();
  return (bytes: number) =>
    bytes >= 1_000_000
      ? format.number(bytes / 1_000_000, { style: "unit", unit: "megabyte", maximumFractionDigits: 1 })
      : format.number(Math.max(1, Math.round(bytes / 1000)), { style: "unit", unit: "kilobyte" });
}

/**
 * The media of one content piece: grid with thumbnails and facts, upload by button or drag and
 * drop with per-file progress, rejected files with their reason, reorder and remove. Every change
 * invalidates `media.list`, which the editor also reads to re-validate the variants.
 */
export function ContentMedia({ contentId, disabled = false }: { contentId: string; disabled?: boolean }) {
  const t = useTranslations("media");
  const utils = api.useUtils();
  const list = api.media.list.useQuery({ contentId, limit: LIST_LIMIT });
  const limits = api.media.limits.useQuery(undefined, { staleTime: Infinity });
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [dragging, setDragging] = useState(false);
  const [toRemove, setToRemove] = useState<MediaItem | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const headingId = useId();
  const hintId = useId();

  const refresh = useCallback(() => utils.media.list.invalidate(), [utils]);
  const reorder = api.media.reorder.useMutation({
    onSuccess: () => setActionError(null),
    onError: () => setActionError(t("reorderFailed")),
    onSettled: refresh,
  });
  const remove = api.media.remove.useMutation({
    onSuccess: () => {
      setActionError(null);
      setToRemove(null);
    },
    onError: () => setActionError(t("removeFailed")),
    onSettled: refresh,
  });

  const update = (key: string, patch: Partial<Upload>) => setUploads((all) => all.map((u) => (u.key === key ? { ...u, ...patch } : u)));

  const startUploads = (files: FileList | File[]) => {
    if (disabled) return;
    for (const file of Array.from(files)) {
      const key = `${file.name}-${file.size}-${Math.random().toString(36).slice(2)}`;
      // Too big: say so at once instead of sending the whole file to hear it (the server checks again).
      const max = limits.data?.maxUploadBytes;
      if (max !== undefined && file.size > max) {
        setUploads((all) => [...all, { key, fileName: file.name, loaded: 0, total: file.size, state: "failed", code: "too_large" }]);
        continue;
      }
      setUploads((all) => [...all, { key, fileName: file.name, loaded: 0, total: file.size, state: "uploading" }]);
      void sendFile(file, contentId, (loaded, total) => update(key, { loaded, total, state: loaded >= total ? "processing" : "uploading" })).then(async (result) => {
        // Accepted, or rejected with a row: the grid shows it (with its reason) after the refresh.
        if (result.ok || result.rejected) setUploads((all) => all.filter((u) => u.key !== key));
        else update(key, { state: "failed", code: result.code });
        await refresh();
      });
    }
  };

  const items = list.data?.items ?? [];
  const move = (index: number, delta: -1 | 1) => {
    const ids = items.map((m) => m.id);
    const target = index + delta;
    if (target < 0 || target >= ids.length) return;
    [ids[index], ids[target]] = [ids[target]!, ids[index]!];
    reorder.mutate({ contentId, mediaIds: ids });
  };

  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-3" data-testid="content-media">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex flex-col gap-0.5">
          <h2 id={headingId} className="text-base font-semibold text-slate-900">
            {t("title")}
          </h2>
          <p className="text-sm text-slate-600">{t("description")}</p>
        </div>
        <Button variant="secondary" onClick={() => inputRef.current?.click()} disabled={disabled} aria-describedby={hintId}>
          <Upload aria-hidden="true" />
          {t("upload")}
        </Button>
        <input
          ref={inputRef}
          type="file"
          accept={MEDIA_ACCEPT}
          multiple
          className="sr-only"
          tabIndex={-1}
          aria-hidden="true"
          onChange={(event) => {
            if (event.target.files) startUploads(event.target.files);
            event.target.value = "";
          }}
        />
      </div>

      <div
        onDragOver={(event) => {
          if (disabled) return;
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          if (event.dataTransfer.files.length > 0) startUploads(event.dataTransfer.files);
        }}
        className={cn(
          "rounded-xl border-2 border-dashed px-4 py-3 text-center text-sm transition-colors",
          dragging ? "border-brand-600 bg-brand-50 text-brand-800" : "border-slate-300 bg-slate-50 text-slate-600",
          disabled && "opacity-60",
        )}
        data-testid="media-dropzone"
      >
        <p id={hintId}>{dragging ? t("dropActive") : t("dropHint")}</p>
      </div>

      {uploads.length > 0 && (
        <ul className="flex flex-col gap-2" aria-label={t("upload")}>
          {uploads.map((u) => (
            <UploadRow key={u.key} upload={u} onDismiss={() => setUploads((all) => all.filter((x) => x.key !== u.key))} />
          ))}
        </ul>
      )}

      {actionError && (
        <Banner tone="danger" role="alert">
          {actionError}
        </Banner>
      )}

      {list.isPending ? (
        <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4" aria-busy="true">
          {[0, 1, 2].map((i) => (
            <li key={i} className="aspect-square animate-pulse rounded-xl bg-slate-100" />
          ))}
        </ul>
      ) : list.isError ? (
        <Banner tone="danger" title={t("loadError")}>
          <Button variant="link" onClick={() => void list.refetch()}>
            {t("retry")}
          </Button>
        </Banner>
      ) : items.length === 0 ? (
        <EmptyState icon={ImageIcon} title={t("empty")} description={t("emptyHint")} />
      ) : (
        <ol className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4" data-testid="media-grid">
          {items.map((item, index) => (
            <MediaCard
              key={item.id}
              item={item}
              index={index}
              count={items.length}
              disabled={disabled || reorder.isPending}
              onMove={(delta) => move(index, delta)}
              onRemove={() => setToRemove(item)}
            />
          ))}
        </ol>
      )}

      <Dialog
        open={toRemove !== null}
        onOpenChange={(open) => !open && setToRemove(null)}
        title={t("removeDialog.title")}
        description={toRemove ? t("removeDialog.description", { fileName: toRemove.fileName }) : undefined}
        closeLabel={t("close")}
      >
        <DialogFooter>
          <Button variant="secondary" onClick={() => setToRemove(null)}>
            {t("removeDialog.cancel")}
          </Button>
          <Button variant="danger" pending={remove.isPending} onClick={() => toRemove && remove.mutate({ id: toRemove.id })} data-testid="media-remove-confirm">
            {t("removeDialog.confirm")}
          </Button>
        </DialogFooter>
      </Dialog>
    </section>
  );
}

function UploadRow({ upload, onDismiss }: { upload: Upload; onDismiss: () => void }) {
  const t = useTranslations("media");
  const percent = upload.total > 0 ? Math.min(100, Math.round((upload.loaded / upload.total) * 100)) : 0;
  if (upload.state === "failed") {
    const code = upload.code ?? "generic";
    return (
      <li className="flex items-center justify-between gap-3 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900" role="alert" data-testid="media-upload-error" data-code={code}>
        <span className="min-w-0">
          <span className="block truncate font-medium">{upload.fileName}</span>
          <span>{t.has(`uploadErrors.${code}`) ? t(`uploadErrors.${code}`) : t("uploadErrors.generic")}</span>
        </span>
        <Button variant="ghost" size="sm" onClick={onDismiss} aria-label={`${t("dismiss")}: ${upload.fileName}`}>
          <X aria-hidden="true" />
        </Button>
      </li>
    );
  }
  return (
    <li className="flex flex-col gap-1 rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm" data-testid="media-upload-progress">
      <span className="truncate text-slate-800">{t("uploading", { fileName: upload.fileName })}</span>
      <progress className="h-2 w-full overflow-hidden rounded accent-brand-700" max={100} value={percent} aria-label={t("uploading", { fileName: upload.fileName })} />
      <span className="text-xs text-slate-600" role="status">
        {upload.state === "processing" ? t("processing") : t("progress", { percent })}
      </span>
    </li>
  );
}

function MediaCard({ item, index, count, disabled, onMove, onRemove }: { item: MediaItem; index: number; count: number; disabled: boolean; onMove: (delta: -1 | 1) => void; onRemove: () => void }) {
  const t = useTranslations("media");
  const tErr = useTranslations("media.uploadErrors");
  const sizeText = useSizeText();
  const rejected = item.status === "REJECTED";
  // A thumbnail that cannot load (link expired while the page sat open, file gone) shows the placeholder.
  const [broken, setBroken] = useState(false);
  const facts = [
    item.kind ? t(`kinds.${item.kind}`) : t("kinds.unknown"),
    sizeText(item.sizeBytes),
    item.width && item.height ? t("dimensions", { width: item.width, height: item.height }) : null,
    item.durationMs !== null ? formatDuration(item.durationMs) : null,
  ].filter(Boolean);

  return (
    <li className={cn("flex flex-col overflow-hidden rounded-xl border bg-white", rejected ? "border-red-200" : "border-slate-200")} data-testid="media-item" data-status={item.status}>
      <div className="relative aspect-square bg-slate-100">
        {item.thumbnailUrl && !broken ? (
          // eslint-disable-next-line @next/next/no-img-element -- signed, short-lived URLs: next/image would cache them under its own keys
          <img src={item.thumbnailUrl} alt={item.fileName} className="absolute inset-0 size-full object-cover" loading="lazy" onError={() => setBroken(true)} />
        ) : (
          <div className="flex size-full flex-col items-center justify-center gap-1 text-slate-500">
            {rejected ? <ImageOff className="size-6" aria-hidden="true" /> : item.kind === "VIDEO" ? <Film className="size-6" aria-hidden="true" /> : <ImageIcon className="size-6" aria-hidden="true" />}
            <span className="text-xs">{t("noPreview")}</span>
          </div>
        )}
        <span className="absolute top-2 left-2 flex gap-1">
          <Badge tone="neutral">
            <span aria-hidden="true">{index + 1}</span>
            <span className="sr-only">{t("position", { position: index + 1 })}</span>
          </Badge>
          {index === 0 && !rejected && <Badge tone="brand">{t("cover")}</Badge>}
          {rejected && <Badge tone="danger">{t("statuses.REJECTED")}</Badge>}
        </span>
      </div>
      <div className="flex flex-1 flex-col gap-1 p-2 text-xs">
        <p className="truncate font-medium text-slate-900" title={item.fileName}>
          {item.fileName}
        </p>
        <p className="text-slate-600">{facts.join(" · ")}</p>
        {rejected && item.rejectReason && (
          <p className="text-red-800" data-testid="media-reject-reason">
            {tErr.has(item.rejectReason) ? tErr(item.rejectReason) : tErr("generic")}
          </p>
        )}
      </div>
      <div className="flex items-center justify-between gap-1 border-t border-slate-100 p-1">
        <span className="flex gap-1">
          <Button variant="ghost" size="sm" disabled={disabled || index === 0} onClick={() => onMove(-1)} aria-label={t("moveLeft", { fileName: item.fileName })}>
            <ArrowLeft aria-hidden="true" />
          </Button>
          <Button variant="ghost" size="sm" disabled={disabled || index === count - 1} onClick={() => onMove(1)} aria-label={t("moveRight", { fileName: item.fileName })}>
            <ArrowRight aria-hidden="true" />
          </Button>
        </span>
        <span className="flex gap-1">
          {item.url && (
            <a
              href={item.url}
              target="_blank"
              rel="noreferrer"
              className="inline-flex h-8 items-center rounded-lg px-3 text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-600"
              aria-label={t("open", { fileName: item.fileName })}
            >
              <ExternalLink className="size-4" aria-hidden="true" />
            </a>
          )}
          <Button variant="ghost" size="sm" disabled={disabled} onClick={onRemove} aria-label={t("remove", { fileName: item.fileName })}>
            <Trash2 aria-hidden="true" />
          </Button>
        </span>
      </div>
    </li>
  );
}
