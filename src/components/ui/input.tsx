import { cn } from "./cn";

export const fieldClasses =
  "block w-full rounded-lg border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-sm placeholder:text-slate-500 focus-visible:border-brand-600 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-brand-600 disabled:cursor-not-allowed disabled:bg-slate-100 disabled:text-slate-600 aria-[invalid=true]:border-red-600";

export function Input({ className, ...props }: React.ComponentProps<"input">) {
  // Only text inputs get the read-only look: a <select> also matches :read-only in CSS.
  return <input className={cn(fieldClasses, "h-10 read-only:bg-slate-50", className)} {...props} />;
}
