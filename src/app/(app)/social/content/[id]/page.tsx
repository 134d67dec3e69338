import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";

import { ContentEditor } from "~/components/content/content-editor";
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
  return (
    <HydrateClient>
      <ContentEditor
        id={id}
        timeZone={tenant.organization.timeZone}
        permissions={{ canWrite: can(tenant, "content:write"), canApprove: can(tenant, "content:approve"), canPublish: can(tenant, "social:publish") }}
      />
    </HydrateClient>
  );
}
