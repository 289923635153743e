/**
 * 问需 in the demo, from the demo year's first day to yesterday: stations (爱心驿站, 司机之家) at the pilot communities and the needs
 * and suggestions residents and new-employment workers sent from them, routed and answered
 * mostly within the limits, some late, many rated. No mobile numbers: the demo keeps none.
 */
import { createHash } from "node:crypto";
import type { PgInsertValue } from "drizzle-orm/pg-core";
import { needs, requestSteps, requests, stations } from "../../src/db/schema";
import type { ServiceType } from "../../src/domain/vocabulary";
import { addWorkingDays } from "../../src/domain/working-days";
import {
  type AskerKind,
  askerTargetGroup,
  type RequestKind,
  type RequestStepKind,
} from "../../src/requests/vocabulary";
import type { ScriptDatabase } from "../lib/database";
import { bulkInsert } from "./bulk-insert";
import { DEMO_YEAR } from "./demo-year";
import { createRandom, stableUuid } from "./random";

interface Pilot {
  id: string;
  regionCode: string;
  countyCode: string;
  name: string;
  isPilot: boolean;
}

const HOUR = 3_600_000;
/** 1 January of the demo year, in Shanghai. */
const FIRST_DAY = Date.parse(`${DEMO_YEAR}-01-01T00:00:00+08:00`);
const DAY = 24 * HOUR;

const askers: [AskerKind, number][] = [
  ["delivery_rider", 24],
  ["courier", 11],
  ["ride_hailing_driver", 7],
  ["truck_driver", 6],
  ["resident", 20],
  ["family_elderly", 20],
  ["family_child", 9],
  ["other", 3],
];

const kindsOf: Record<AskerKind, RequestKind[]> = {
  delivery_rider: ["first_aid", "counselling", "legal_aid", "suggestion", "suggestion"],
  courier: ["legal_aid", "first_aid", "counselling", "suggestion"],
  ride_hailing_driver: ["legal_aid", "counselling", "suggestion"],
  truck_driver: ["first_aid", "legal_aid", "suggestion"],
  resident: ["neighbourhood_watch", "mediation", "recreation", "lecture", "suggestion"],
  family_elderly: ["elderly_care", "elderly_care", "first_aid", "recreation"],
  family_child: ["child_care", "child_care", "counselling"],
  other: ["suggestion", "mediation"],
};

const descriptions: Record<RequestKind, string[]> = {
  first_aid: ["希望驿站组织一次急救培训，路上常遇到摔车的骑手。", "想学心肺复苏和止血包扎。"],
  counselling: ["跑单压力大，想找人聊聊。", "孩子不在身边，老人情绪低落，想请社工上门。"],
  legal_aid: ["被平台扣款，不知道怎么申诉。", "工伤后理赔遇到困难，需要法律咨询。"],
  neighbourhood_watch: ["楼里独居老人多，希望有人定期探访。", "小区夜间照明不足，想组织巡逻。"],
  mediation: ["楼上漏水和邻居协商不成，请社区帮忙调解。", "停车位纠纷，希望调解。"],
  recreation: ["希望周末组织老人文体活动。", "想办一场社区邻里节。"],
  lecture: ["想了解新出台的惠民政策。", "希望开展反诈宣讲。"],
  elderly_care: ["母亲独居行动不便，需要助餐和陪诊。", "老人刚出院，想申请上门照护。"],
  child_care: ["暑假孩子无人看护，希望有托管活动。", "留守儿童课业辅导。"],
  emergency: ["希望社区开展应急演练。"],
  suggestion: [
    "驿站充电口再多几个就好了。",
    "建议驿站延长开放时间到晚上十点。",
    "希望在商圈附近增设休息点和饮水机。",
    "建议为货车司机提供夜间停车休息区。",
  ],
};

const replies = [
  "已协调物业，下周完成。",
  "已转街道落实，感谢您的建议。",
  "已联系相关部门，并电话回复。",
  "已纳入下月服务计划。",
];

/** The year's requests and everything they imply, as rows to insert. */
export function planDemoRequests(pilots: Pilot[], now: Date) {
  const out = {
    stations: [] as PgInsertValue<typeof stations>[],
    needs: [] as PgInsertValue<typeof needs>[],
    requests: [] as PgInsertValue<typeof requests>[],
    steps: [] as PgInsertValue<typeof requestSteps>[],
  };
  const codes = new Set<string>();
  const alphabet = "ACDEFGHJKMNPQRTUVWXY34679";
  // Whole days back from the seed's day, so a re-run the same day plans the same rows.
  const today = Math.floor(now.getTime() / DAY) * DAY;
  for (const pilot of pilots.filter((p) => p.isPilot)) {
    const rng = createRandom(`requests:${pilot.regionCode}`);
    const stationIds: string[] = [];
    const love = stableUuid(`station:${pilot.regionCode}:love`);
    out.stations.push({
      id: love,
      communityId: pilot.id,
      kind: "love_station",
      name: `${pilot.name}爱心驿站`,
      createdAt: new Date(today - 400 * DAY),
    });
    stationIds.push(love);
    if (rng.next() < 0.35) {
      const drivers = stableUuid(`station:${pilot.regionCode}:drivers`);
      out.stations.push({
        id: drivers,
        communityId: pilot.id,
        kind: "drivers_home",
        name: `${pilot.name}司机之家`,
        createdAt: new Date(today - 400 * DAY),
      });
      stationIds.push(drivers);
    }
    // From the start of the demo year (its tallies' year) to yesterday: 1 to 3 a month, over
    // 4,000 requests by the end of 2026: enough for every figure, and a first start stays quick.
    const days = Math.max(1, Math.floor((today - FIRST_DAY) / DAY));
    const total = Math.round((rng.int(12, 36) * days) / 365);
    for (let n = 0; n < total; n++) {
      const id = stableUuid(`request:${pilot.regionCode}:${n}`);
      const createdAt = new Date(today - rng.int(1, days) * DAY + rng.int(8, 21) * HOUR);
      const askerKind = rng.weighted(askers, ([, w]) => w)[0];
      const kind = rng.pick(kindsOf[askerKind]);
      let code = "Q";
      while (code.length < 8 || codes.has(code)) {
        if (code.length >= 8) code = "Q";
        code += alphabet[rng.int(0, alphabet.length - 1)];
      }
      codes.add(code);
      const newEmployment = !["resident", "family_elderly", "family_child", "other"].includes(
        askerKind,
      );
      const answerDueAt = addWorkingDays(createdAt, 2);
      const resolveDueAt = addWorkingDays(createdAt, 15);
      const step = (kind: RequestStepKind, at: Date, note?: string) =>
        out.steps.push({
          id: stableUuid(`request-step:${id}:${kind}`),
          requestId: id,
          kind,
          at,
          deskName: kind === "received" ? pilot.name : null,
          note: note ?? null,
        });
      step("received", createdAt);
      const age = now.getTime() - createdAt.getTime();
      const late = rng.next() < 0.1;
      const firstAnsweredAt = new Date(
        createdAt.getTime() + (late ? rng.int(60, 120) : rng.int(1, 40)) * HOUR,
      );
      const row: PgInsertValue<typeof requests> = {
        id,
        trackingCode: code,
        tokenHash: createHash("sha256").update(`demo-request:${id}`).digest("hex"),
        communityId: pilot.id,
        stationId: newEmployment ? rng.pick(stationIds) : null,
        deskCommunityId: pilot.id,
        deskRegionCode: pilot.regionCode,
        countyCode: pilot.countyCode,
        askerKind,
        kind,
        description: rng.pick(descriptions[kind]),
        status: "received",
        answerDueAt,
        resolveDueAt,
        createdAt,
        updatedAt: createdAt,
      };
      if (firstAnsweredAt.getTime() > now.getTime() || age < 2 * HOUR) {
        out.requests.push(row);
        continue;
      }
      const rating = () =>
        rng.next() < 0.6
          ? rng.weighted([5, 4, 3, 2, 1], (r) => [50, 30, 12, 5, 3][5 - r] ?? 1)
          : null;
      if (kind !== "suggestion" && rng.next() < 0.6) {
        const needId = stableUuid(`request-need:${id}`);
        const resolvedAt = new Date(firstAnsweredAt.getTime() + rng.int(3, late ? 30 : 18) * DAY);
        const resolved = resolvedAt.getTime() <= now.getTime();
        // 09:00–17:00 (Beijing) two days before it was resolved: a need's window is a working day.
        const windowDay = Math.floor((resolvedAt.getTime() - 2 * DAY + 8 * HOUR) / DAY);
        const windowStart = new Date(windowDay * DAY + HOUR);
        out.needs.push({
          id: needId,
          communityId: pilot.id,
          serviceType: kind as ServiceType,
          targetGroups: [askerTargetGroup[askerKind]],
          expectedPeople: rng.int(8, 60),
          windows: [
            {
              start: windowStart.toISOString(),
              end: new Date(windowStart.getTime() + 8 * HOUR).toISOString(),
            },
          ],
          windowStart,
          windowEnd: new Date(windowStart.getTime() + 8 * HOUR),
          durationMinutes: 120,
          volunteersNeeded: rng.int(2, 8),
          notes: `来自群众需求 ${code}`,
          status: resolved ? "closed" : "scheduled",
          createdAt: firstAnsweredAt,
          updatedAt: firstAnsweredAt,
        });
        step("accepted", firstAnsweredAt);
        row.status = "accepted";
        row.needId = needId;
        row.firstAnsweredAt = firstAnsweredAt;
        if (resolved) {
          step("resolved", resolvedAt);
          row.status = "resolved";
          row.resolvedAt = resolvedAt;
          const score = rating();
          if (score) {
            row.rating = score;
            row.ratedAt = new Date(resolvedAt.getTime() + rng.int(1, 48) * HOUR);
            step("rated", row.ratedAt, `${score}/5`);
          }
        }
      } else {
        const reply = rng.pick(replies);
        step("answered", firstAnsweredAt, reply);
        row.status = "answered";
        row.reply = reply;
        row.firstAnsweredAt = firstAnsweredAt;
        row.resolvedAt = firstAnsweredAt;
        const score = rating();
        if (score && firstAnsweredAt.getTime() + 48 * HOUR < now.getTime()) {
          row.rating = score;
          row.ratedAt = new Date(firstAnsweredAt.getTime() + rng.int(1, 48) * HOUR);
          step("rated", row.ratedAt, `${score}/5`);
        }
      }
      out.requests.push(row);
    }
  }
  return out;
}

/** Inserts the year of requests not there yet (a re-run adds none); returns how many requests. */
export async function seedDemoRequests(db: ScriptDatabase, pilots: Pilot[], now: Date) {
  const plan = planDemoRequests(pilots, now);
  await bulkInsert(db, stations, plan.stations, { onConflict: "skip" });
  await bulkInsert(db, needs, plan.needs, { onConflict: "skip" });
  const added = await bulkInsert(db, requests, plan.requests, { onConflict: "skip" });
  await bulkInsert(db, requestSteps, plan.steps, { onConflict: "skip" });
  return added;
}
