import { useId } from "react";

import { cn } from "./cn";
import { Label } from "./label";

type FieldControlProps = {
  id: string;
  "aria-invalid": boolean | undefined;
  "aria-describedby": string | undefined;
};

type FormFieldProps = {
  label: React.ReactNode;
  hint?: React.ReactNode;
  error?: string;
  className?: string;
  /** Render prop: receives the id and ARIA wiring so the control is announced with its hint and error. */
  children: (control: FieldControlProps) => React.ReactNode;
};

/** Label + control + hint + inline error, wired together for screen readers. */
export function FormField({ label, hint, error, className, children }: FormFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cn("flex flex-col gap-1.5", className)}>
      <Label htmlFor={id}>{label}</Label>
      {children({ id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {hint && (
        <p id={hintId} className="text-xs text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="text-sm font-medium text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

/** A form-level error (e.g. "E-mail ou senha incorretos"), announced when it appears. */
export function FormError({ message, className }: { message?: string | null; className?: string }) {
  return (
    <div role="alert" className={cn(message ? "rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" : "sr-only", className)}>
      {message}
    </div>
  );
}
