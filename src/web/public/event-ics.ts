import { type ServiceType, serviceTypeLabels } from "../../domain/vocabulary";
import type { CalendarEvent } from "../../events/ical";
import type { SignupStatus } from "../../signups/status";

/**
 * A volunteer's own event for "add to calendar": confirmed while they hold a place, tentative
 * while they wait for one, cancelled if the event was. The description links the event's public
 * page, never the private link (calendars are synced and shared).
 */
export function volunteerCalendarEvent(
  event: {
    id: string;
    title: string;
    startsAt: Date;
    endsAt: Date;
    status: "scheduled" | "completed" | "cancelled";
    serviceType: ServiceType;
    revision: number;
    updatedAt: Date;
    communityName: string;
    address: string | null;
  },
  signupStatus: SignupStatus,
  eventUrl: string,
): CalendarEvent {
  return {
    id: event.id,
    title: event.title,
    start: event.startsAt,
    end: event.endsAt,
    location: [event.communityName, event.address].filter(Boolean).join(" "),
    description: `${serviceTypeLabels[event.serviceType].zh}（双翼 专业社工+志愿服务）\n${eventUrl}`,
    status: event.status,
    accepted: signupStatus === "confirmed" || signupStatus === "attended",
    sequence: event.revision,
    updatedAt: event.updatedAt,
  };
}
