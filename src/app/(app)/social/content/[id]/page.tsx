import { TRPCError } from "@trpc/server";
import { Sparkles } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";

import { ContentEditor } from "~/components/content/content-editor";
import { buttonVariants } from "~/components/ui/button";
import { api, HydrateClient } from "~/trpc/server";
import { can, requireTenant } from "../../../_lib/tenant";

type Params = Promise<{ id: string }>;

async function load(id: string) {
  try {
    return await api.content.get({ id });
  } catch (error) {
    // Another organization's content and a missing one look the same.
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) return null;
    throw error;
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const t = await getTranslations("content");
  const content = await load((await params).id).catch(() => null);
  return { title: content ? content.title : t("title") };
}

export default async function ContentEditorPage({ params }: { params: Params }) {
  const session = await requireTenant();
  if (!session) return null;
  const { id } = await params;
  if (!(await load(id))) notFound();
  await api.content.get.prefetch({ id });
  const { tenant } = session;
  const tSearch = await getTranslations("search");
  return (
    <HydrateClient>
      {/* Semantic search entry point: similar listings and past content, with their results. */}
      <div className="mb-2 flex justify-end">
        <Link href={`/search?similarTo=content:${id}`} className={buttonVariants({ variant: "ghost", size: "sm" })} data-testid="content-similar">
          <Sparkles aria-hidden="true" /> {tSearch("similarLink")}
        </Link>
      </div>
      <ContentEditor
        id={id}
        timeZone={tenant.organization.timeZone}
        permissions={{ canWrite: can(tenant, "content:write"), canApprove: can(tenant, "content:approve"), canPublish: can(tenant, "social:publish") }}
      />
    </HydrateClient>
  );
}
