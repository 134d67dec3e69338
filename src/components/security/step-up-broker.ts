/**
 * Between the tRPC step-up link (src/trpc/react.tsx) and the one StepUpDialog: the link asks,
 * the dialog answers. Requests that arrive while the dialog is open share its answer, so a burst
 * of refused mutations opens one dialog.
 */
type Listener = (open: boolean) => void;

let listener: Listener | null = null;
let pending: { promise: Promise<boolean>; resolve: (ok: boolean) => void } | null = null;

export function onStepUpRequest(next: Listener): () => void {
  listener = next;
  return () => {
    if (listener === next) listener = null;
  };
}

/** Resolves true once the person confirmed their identity, false when they cancelled (or no dialog is mounted). */
export function requestStepUp(): Promise<boolean> {
  if (!listener) return Promise.resolve(false);
  if (!pending) {
    let resolve!: (ok: boolean) => void;
    const promise = new Promise<boolean>((r) => (resolve = r));
    pending = { promise, resolve };
    listener(true);
  }
  return pending.promise;
}

export function answerStepUp(ok: boolean): void {
  const current = pending;
  pending = null;
  listener?.(false);
  current?.resolve(ok);
}
