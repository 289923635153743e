import { type ServiceType, serviceTypeLabels } from "../../domain/vocabulary";
import type { Lang } from "../i18n";

/**
 * What a card says under an event's title: its kind of service and its community, each only if
 * the title does not already say it (titles are often "多福社区 心理疏导"), so nothing repeats.
 */
export function cardDetails(
  event: { title: string; serviceType: ServiceType; communityName: string },
  lang: Lang,
): string[] {
  const label = serviceTypeLabels[event.serviceType][lang];
  return [label, event.communityName].filter((part) => !event.title.includes(part));
}
