import { BACKUP_RETENTION_DAYS } from "~/server/services/privacy/erasure";
import { OrgErasureForm } from "./org-erasure-form";

/** Settings → Organization, danger zone (owners only): erase the organization. */
export function OrgErasureCard() {
  return <OrgErasureForm backupRetentionDays={BACKUP_RETENTION_DAYS} />;
}
