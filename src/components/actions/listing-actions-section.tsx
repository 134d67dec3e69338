import { can, loadSession } from "~/app/(app)/_lib/tenant";
import { api, HydrateClient } from "~/trpc/server";
import { ListingActions } from "./listing-actions";

/** Server wrapper for a listing page: prefetches the listing's actions and knows the caller's role. */
export async function ListingActionsSection({ listingId }: { listingId: string }) {
  const { tenant } = await loadSession();
  if (!tenant) return null;
  await api.actions.list.prefetch({ listingId, status: "ALL", limit: 10 });
  return (
    <HydrateClient>
      <ListingActions listingId={listingId} canApprove={can(tenant, "actions:approve")} />
    </HydrateClient>
  );
}
