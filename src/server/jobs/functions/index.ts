import { actionFunctions } from "./actions-apply";
import { actionGenerationFunctions } from "./actions-generate";
import { archiveFunctions } from "./archive";
import { billingFunctions } from "./billing";
import { engagementFunctions } from "./engagement";
import { listingFunctions } from "./listings-sync";
import { notificationFunctions } from "./notifications";
import { partitionFunctions } from "./partitions";
import { privacyFunctions } from "./privacy";
import { purgeSoftDeleted } from "./purge-soft-deleted";
import { salesBackfillFunctions } from "./sales-backfill";
import { scoreFunctions } from "./scores";
import { searchFunctions } from "./search";
import { socialAnalyticsFunctions } from "./social-analytics";
import { publishingFunctions } from "./publishing";
import { webhookFunctions } from "./webhooks";

/**
 * Every background function of the app: served at /api/inngest (Inngest) and run by the local
 * runner (no Inngest server). A feature adds its function file next to this one and lists it here.
 */
export const functions = [purgeSoftDeleted, ...listingFunctions, ...actionFunctions, ...actionGenerationFunctions, ...scoreFunctions, ...salesBackfillFunctions, ...socialAnalyticsFunctions, ...engagementFunctions, ...publishingFunctions, ...billingFunctions, ...webhookFunctions, ...privacyFunctions, ...searchFunctions, ...partitionFunctions, ...notificationFunctions, ...archiveFunctions];
