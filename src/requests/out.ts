import { publicUrl } from "../lib/links";
import { overdueOf, type RequestRow } from "./queries";

/** A request as the API answers it: the desk grouped, the overdue flags at `now`. */
export function requestOut(row: RequestRow, now: Date) {
  const { deskCommunityId, deskCommunityName, deskRegionCode, countyCode: _county, ...rest } = row;
  return {
    ...rest,
    desk: {
      communityId: deskCommunityId,
      communityName: deskCommunityName,
      regionCode: deskRegionCode,
    },
    overdue: overdueOf(row, now),
  };
}

/** The public addresses of a place's request form and its QR code. */
export function posterLinks(origin: string, place: { communityId?: string; stationId?: string }) {
  const query = place.stationId ? `s=${place.stationId}` : `c=${place.communityId}`;
  return {
    posterUrl: publicUrl(origin, `/ask?${query}`),
    qrUrl: publicUrl(origin, `/ask/qr.svg?${query}`),
  };
}
