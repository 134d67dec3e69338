"use client";

import { ClipboardCopy, Trash2 } from "lucide-react";
import { useTranslations } from "next-intl";

import { Button } from "~/components/ui/button";
import { FormField } from "~/components/ui/form-field";
import { Input } from "~/components/ui/input";
import { Select } from "~/components/ui/select";
import { NETWORK_LIMITS, type SocialNetworkId } from "~/lib/social/networks";
import { captionLength, composeCaption, type ValidationIssue } from "~/lib/social/validate";
import { parseHashtags, type VariantInput } from "./editor-draft";
import { Textarea } from "./textarea";
import { ValidationIssues } from "./validation-issues";

type Props = {
  network: SocialNetworkId;
  value: VariantInput;
  issues: ValidationIssue[];
  baseCaption: string;
  readOnly: boolean;
  onChange: (value: VariantInput) => void;
  onRemove: () => void;
};

/** One network's tab: caption with the network's own counter, hashtags, title and privacy. */
export function VariantEditor({ network, value, issues, baseCaption, readOnly, onChange, onRemove }: Props) {
  const t = useTranslations("content.editor");
  const tProviders = useTranslations("providers");
  const limits = NETWORK_LIMITS[network];
  const hashtags = parseHashtags(value.hashtagsText);
  // The counter counts what the network receives: the caption plus the hashtags line.
  const length = captionLength(composeCaption(value.caption, hashtags), limits.captionCountsBytes);
  const over = length > limits.captionMaxLength;
  const fieldIssues = (field: ValidationIssue["field"]) => issues.filter((i) => i.field === field);
  const set = (patch: Partial<VariantInput>) => onChange({ ...value, ...patch });

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-slate-600">{t(`networkHint.${network}`)}</p>
        {!readOnly && (
          <div className="flex gap-2">
            <Button size="sm" variant="secondary" onClick={() => set({ caption: baseCaption })} disabled={value.caption === baseCaption}>
              <ClipboardCopy aria-hidden="true" />
              {t("copyBase")}
            </Button>
            <Button size="sm" variant="danger-outline" onClick={onRemove}>
              <Trash2 aria-hidden="true" />
              {t("removeNetwork", { network: tProviders(network) })}
            </Button>
          </div>
        )}
      </div>

      {limits.title && (
        <FormField label={t("videoTitle")} hint={t("videoTitleHint", { max: limits.title.maxLength })}>
          {(control) => (
            <Input {...control} value={value.title} readOnly={readOnly} aria-invalid={fieldIssues("title").length > 0 || undefined} onChange={(e) => set({ title: e.target.value })} />
          )}
        </FormField>
      )}

      <FormField
        label={network === "YOUTUBE" ? t("description") : t("caption")}
        hint={
          <span aria-live="polite" className={over ? "font-medium text-red-700" : undefined}>
            {t(limits.captionCountsBytes ? "counterBytes" : "counterChars", { length, max: limits.captionMaxLength })}
          </span>
        }
      >
        {(control) => (
          <Textarea {...control} rows={6} value={value.caption} readOnly={readOnly} aria-invalid={fieldIssues("caption").length > 0 || undefined} onChange={(e) => set({ caption: e.target.value })} />
        )}
      </FormField>

      <FormField label={t("hashtags")} hint={t("hashtagsHint", { max: limits.hashtagsMax })}>
        {(control) => (
          <Input {...control} value={value.hashtagsText} readOnly={readOnly} placeholder="#promo #verao" aria-invalid={fieldIssues("hashtags").length > 0 || undefined}
            onChange={(e) => set({ hashtagsText: e.target.value })} />
        )}
      </FormField>
      {hashtags.length > 0 && (
        <ul className="-mt-2 flex flex-wrap gap-1.5" aria-label={t("hashtagsPreview")}>
          {hashtags.map((h, i) => (
            <li key={`${h}-${i}`} className="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700">#{h}</li>
          ))}
        </ul>
      )}

      {limits.privacyOptions.length > 0 && (
        <FormField label={t("privacy")}>
          {(control) => (
            <Select {...control} value={value.privacy} disabled={readOnly} onChange={(e) => set({ privacy: e.target.value })}>
              <option value="">{t("privacyDefault")}</option>
              {limits.privacyOptions.map((p) => (
                <option key={p} value={p}>
                  {t.has(`privacyOptions.${p}`) ? t(`privacyOptions.${p}`) : p}
                </option>
              ))}
            </Select>
          )}
        </FormField>
      )}

      <ValidationIssues issues={issues} />
    </div>
  );
}
