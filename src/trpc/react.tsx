"use client";

import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { httpBatchStreamLink, loggerLink, type TRPCLink } from "@trpc/client";
import { createTRPCReact } from "@trpc/react-query";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { observable } from "@trpc/server/observable";
import { useState } from "react";
import SuperJSON from "superjson";

// `import type` keeps the server router out of the browser bundle (see FACTS.md).
import type { AppRouter } from "~/server/api/root";
import { createQueryClient } from "./query-client";
import { requestStepUp } from "~/components/security/step-up-broker";
import { StepUpDialog } from "~/components/security/step-up-dialog";

let clientQueryClientSingleton: QueryClient | undefined = undefined;
const getQueryClient = () => {
  if (typeof window === "undefined") return createQueryClient();
  clientQueryClientSingleton ??= createQueryClient();
  return clientQueryClientSingleton;
};

export const api = createTRPCReact<AppRouter>();

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export function TRPCReactProvider(props: { children: React.ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(() =>
    api.createClient({
      links: [
        stepUpLink,
        loggerLink({
          enabled: (op) => process.env.NODE_ENV === "development" || (op.direction === "down" && op.result instanceof Error),
        }),
        httpBatchStreamLink({
          transformer: SuperJSON,
          url: getBaseUrl() + "/api/trpc",
          headers: () => {
            const headers = new Headers();
            headers.set("x-trpc-source", "nextjs-react");
            return headers;
          },
        }),
      ],
    }),
  );

  return (
    <QueryClientProvider client={queryClient}>
      <api.Provider client={trpcClient} queryClient={queryClient}>
        {props.children}
        <StepUpDialog />
      </api.Provider>
    </QueryClientProvider>
  );
}

/**
 * A mutation refused with `stepUpRequired` opens the StepUpDialog; once the person confirms,
 * the same operation is sent again (once). Cancelling hands the original error to the caller.
 * So every sensitive mutation in the UI gets step-up without its component knowing.
 */
const stepUpLink: TRPCLink<AppRouter> = () => ({ next, op }) =>
  observable((observer) => {
    let subscription = next(op).subscribe({
      next: (value) => observer.next(value),
      complete: () => observer.complete(),
      error: (error) => {
        const reason = (error.data as { reason?: string } | undefined)?.reason;
        if (op.type !== "mutation" || op.path === "security.twoFactor.stepUp" || reason !== "stepUpRequired") {
          observer.error(error);
          return;
        }
        void requestStepUp().then((confirmed) => {
          if (confirmed) subscription = next(op).subscribe(observer);
          else observer.error(error);
        });
      },
    });
    return () => subscription.unsubscribe();
  });

function getBaseUrl() {
  if (typeof window !== "undefined") return window.location.origin;
  return `http://localhost:${process.env.PORT ?? 3000}`;
}
