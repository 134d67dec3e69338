/**
 * The app's messages per locale: messages/<locale>.json plus one part per feature area
 * (messages/parts/<area>.<locale>.json), deep-merged. Parts let features that are built side by
 * side keep their texts apart; a part may also add keys to shared namespaces such as `errors`.
 */
import en from "../../messages/en.json";
import ptBR from "../../messages/pt-BR.json";
import adminEn from "../../messages/parts/admin.en.json";
import adminPt from "../../messages/parts/admin.pt-BR.json";
import apiKeysEn from "../../messages/parts/api-keys.en.json";
import apiKeysPt from "../../messages/parts/api-keys.pt-BR.json";
import analyticsEn from "../../messages/parts/analytics.en.json";
import analyticsPt from "../../messages/parts/analytics.pt-BR.json";
import billingEn from "../../messages/parts/billing.en.json";
import billingPt from "../../messages/parts/billing.pt-BR.json";
import billingNotificationsEn from "../../messages/parts/billing-notifications.en.json";
import billingNotificationsPt from "../../messages/parts/billing-notifications.pt-BR.json";
import contentEn from "../../messages/parts/content.en.json";
import contentPt from "../../messages/parts/content.pt-BR.json";
import entitlementsEn from "../../messages/parts/entitlements.en.json";
import entitlementsPt from "../../messages/parts/entitlements.pt-BR.json";
import engagementEn from "../../messages/parts/engagement.en.json";
import engagementPt from "../../messages/parts/engagement.pt-BR.json";
import mediaEn from "../../messages/parts/media.en.json";
import mediaPt from "../../messages/parts/media.pt-BR.json";
import publishingEn from "../../messages/parts/publishing.en.json";
import publishingPt from "../../messages/parts/publishing.pt-BR.json";
import socialEn from "../../messages/parts/social.en.json";
import socialPt from "../../messages/parts/social.pt-BR.json";
import webhooksEn from "../../messages/parts/webhooks.en.json";
import webhooksPt from "../../messages/parts/webhooks.pt-BR.json";
import privacyEn from "../../messages/parts/privacy.en.json";
import privacyPt from "../../messages/parts/privacy.pt-BR.json";
import erasureEn from "../../messages/parts/erasure.en.json";
import erasurePt from "../../messages/parts/erasure.pt-BR.json";
import sessionsEn from "../../messages/parts/sessions.en.json";
import sessionsPt from "../../messages/parts/sessions.pt-BR.json";
import twoFactorEn from "../../messages/parts/two-factor.en.json";
import twoFactorPt from "../../messages/parts/two-factor.pt-BR.json";
import ownerTwoFactorEn from "../../messages/parts/owner-two-factor.en.json";
import ownerTwoFactorPt from "../../messages/parts/owner-two-factor.pt-BR.json";
import auditEn from "../../messages/parts/audit.en.json";
import auditPt from "../../messages/parts/audit.pt-BR.json";
import notificationsEn from "../../messages/parts/notifications.en.json";
import notificationsPt from "../../messages/parts/notifications.pt-BR.json";
import searchEn from "../../messages/parts/search.en.json";
import searchPt from "../../messages/parts/search.pt-BR.json";
import productTelemetryEn from "../../messages/parts/product-telemetry.en.json";
import productTelemetryPt from "../../messages/parts/product-telemetry.pt-BR.json";
import resilienceEn from "../../messages/parts/resilience.en.json";
import resiliencePt from "../../messages/parts/resilience.pt-BR.json";
import archiveEn from "../../messages/parts/archive.en.json";
import archivePt from "../../messages/parts/archive.pt-BR.json";
import type { Locale } from "./locales";

type Tree = { [key: string]: string | Tree };

function merge(target: Tree, source: Tree, path = ""): Tree {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (typeof value === "object" && typeof existing === "object") merge(existing, value, `${path}${key}.`);
    else if (existing !== undefined) throw new Error(`Message ${path}${key} is defined twice`);
    else target[key] = typeof value === "object" ? merge({}, value, `${path}${key}.`) : value;
  }
  return target;
}

function build(base: object, parts: object[]): Tree {
  return parts.reduce<Tree>((all, part) => merge(all, part as Tree), merge({}, base as Tree));
}

export const MESSAGES: Record<Locale, Tree> = {
  "pt-BR": build(ptBR, [resiliencePt, contentPt, mediaPt, publishingPt, analyticsPt, engagementPt, socialPt, billingPt, entitlementsPt, billingNotificationsPt, adminPt, apiKeysPt, webhooksPt, sessionsPt, twoFactorPt, privacyPt, erasurePt, ownerTwoFactorPt, auditPt, notificationsPt, searchPt, productTelemetryPt, archivePt]),
  en: build(en, [resilienceEn, contentEn, mediaEn, publishingEn, analyticsEn, engagementEn, socialEn, billingEn, entitlementsEn, billingNotificationsEn, adminEn, apiKeysEn, webhooksEn, sessionsEn, twoFactorEn, privacyEn, erasureEn, ownerTwoFactorEn, auditEn, notificationsEn, searchEn, productTelemetryEn, archiveEn]),
};
