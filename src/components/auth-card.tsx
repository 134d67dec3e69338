import { Card, CardContent, CardDescription, CardHeader } from "~/components/ui/card";

/** The frame of the sign-in and sign-up pages: heading, one line of context, the form. */
export function AuthCard({ heading, description, children }: { heading: string; description: string; children: React.ReactNode }) {
  return (
    <Card>
      <CardHeader className="gap-2 px-6 pt-6">
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{heading}</h1>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      <CardContent className="px-6 pb-6">{children}</CardContent>
    </Card>
  );
}

type SearchParams = Record<string, string | string[] | undefined>;

/** Invitations link to the auth pages with the invited address; it only pre-fills the field. */
export function emailParam(params: SearchParams): string {
  return typeof params.email === "string" ? params.email.slice(0, 254) : "";
}
