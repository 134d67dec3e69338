import { cn } from "~/components/ui/cn";
import { fieldClasses } from "~/components/ui/input";

export function Textarea({ className, ...props }: React.ComponentProps<"textarea">) {
  return <textarea className={cn(fieldClasses, "min-h-28 py-2 leading-relaxed", className)} {...props} />;
}
