import { serviceTypeLabels } from "../../domain/vocabulary";
import type { Explanation, Place } from "../../matching/explain";
import type { Lang } from "../i18n";
import type { Messages } from "../i18n/zh";

/** Region names by code, as the candidates query returns them. */
export type RegionNames = Record<string, string>;

/** 同在沈河区 / 同在沈阳市 / 来自大连市中山区: where someone is, seen from the community. */
function placeWords(t: Messages, place: Place, names: RegionNames): string {
  const name = names[place.code] ?? place.code;
  const words = t.candidatesPlain;
  if (place.nearness === "county") return words.sameCounty(name);
  if (place.nearness === "city") return words.sameCity(name);
  return words.from(name);
}

/**
 * A candidate in plain words: what the social worker brings (place, certificate, room in the
 * week, familiarity with the community, skills) and what the team brings.
 */
export function candidateWords(
  t: Messages,
  lang: Lang,
  explanation: Explanation,
  names: RegionNames,
): { worker: string[]; team: string[] } {
  const words = t.candidatesPlain;
  const { certificate, weekLeft, skills, pastWork } = explanation;
  const level = words.level[certificate.held] ?? certificate.held;
  const skillList = (list: typeof skills.covered) =>
    list.map((skill) => serviceTypeLabels[skill][lang]).join(t.listSeparator);
  const worker = [
    placeWords(t, explanation.worker, names),
    certificate.above ? words.certificateAbove(level) : words.certificateMeets(level),
    weekLeft.thisWeek ? words.weekLeftThis(weekLeft.left) : words.weekLeftThat(weekLeft.left),
    pastWork.worker > 0 ? words.pastWork(pastWork.worker) : words.firstVisit,
    skills.missing.length > 0
      ? words.skillsMissing(skillList(skills.missing))
      : words.skillsAll(skillList(skills.covered)),
  ];
  const team = [words.team(placeWords(t, explanation.team, names), explanation.team.size)];
  if (pastWork.team > 0) team.push(words.teamPast(pastWork.team));
  return { worker, team };
}
