/**
 * The demo directory as plain rows, planned from the region tree with seeded randomness: the same
 * regions always give the same rows, ids included. No database here; demo.ts inserts the rows.
 */
import {
  type CertificateLevel,
  type OrganisationKind,
  type ServiceType,
  serviceTypes,
} from "../../src/domain/vocabulary";
import {
  agencies,
  cityPhone,
  type DemoOrganisation,
  givenNames,
  surnames,
  universities,
  volunteerOrgs,
} from "./demo-data";
import { createRandom, itemAt, type Random, stableUuid } from "./random";
import type { RegionRow } from "./regions";

const SOCIAL_WORKER_COUNT = 230;
const VOLUNTEER_TEAM_COUNT = 120;
const SHENYANG = "210100";
const DALIAN = "210200";

/** The pilot communities named in the 2025 report; other counties get one picked at random. */
const reportedPilots: Record<string, string> = {
  "210103": "210103005024", // 沈河区 多福社区
  "210104": "210104002014", // 大东区 北苑社区
  "210202": "210202001002", // 大连 中山区 春海社区
};

export interface County {
  code: string;
  name: string;
  cityCode: string;
}

export interface Place {
  code: string;
  name: string;
  parentCode: string;
}

/** The Liaoning region tree as the planner needs it. */
export interface RegionIndex {
  names: Map<string, string>;
  counties: County[];
  communitiesByCounty: Map<string, Place[]>;
}

/** Indexes region rows (code order within each level): names, counties, communities by county. */
export function indexRegions(rows: RegionRow[]): RegionIndex {
  const index: RegionIndex = { names: new Map(), counties: [], communitiesByCounty: new Map() };
  for (const row of rows) {
    index.names.set(row.code, row.name);
    if (row.level === "county") {
      index.counties.push({ code: row.code, name: row.name, cityCode: row.parentCode ?? "" });
    } else if (row.level === "community") {
      const county = row.code.slice(0, 6);
      const list = index.communitiesByCounty.get(county) ?? [];
      list.push({ code: row.code, name: row.name, parentCode: row.parentCode ?? "" });
      index.communitiesByCounty.set(county, list);
    }
  }
  return index;
}

function personName(rng: Random): string {
  // Squaring favours the head of the list, where the common surnames are.
  const surname = itemAt(surnames, Math.floor(surnames.length * rng.next() ** 2));
  return surname + rng.pick(givenNames);
}

function officePhone(cityCode: string, rng: Random): string {
  const phone = cityPhone[cityCode];
  if (!phone) throw new Error(`No area code for city ${cityCode}`);
  const { areaCode, lead, digits } = phone;
  let local = lead;
  while (local.length < digits) local += String(rng.int(0, 9));
  return `${areaCode}-${local}`;
}

function pickPilot(county: County, index: RegionIndex): Place {
  const candidates = index.communitiesByCounty.get(county.code) ?? [];
  const reported = reportedPilots[county.code];
  if (reported) {
    const place = candidates.find((candidate) => candidate.code === reported);
    if (!place) throw new Error(`Reported pilot community ${reported} missing from regions`);
    return place;
  }
  const urban = candidates.filter((candidate) => candidate.name.endsWith("社区"));
  const rural = candidates.filter((candidate) => candidate.name.endsWith("村"));
  const pool = urban.length > 0 ? urban : rural.length > 0 ? rural : candidates;
  return createRandom(`pilot:${county.code}`).pick(pool);
}

function planCommunities(index: RegionIndex) {
  return index.counties.map((county) => {
    const place = pickPilot(county, index);
    const rng = createRandom(`community:${place.code}`);
    const city = index.names.get(county.cityCode) ?? "";
    const street = index.names.get(place.parentCode) ?? "";
    return {
      id: stableUuid(`community:${place.code}`),
      regionCode: place.code,
      countyCode: county.code,
      name: place.name,
      address: `辽宁省${city}${county.name}${street}${place.name}`,
      isPilot: true,
      coordinatorName: personName(rng),
      coordinatorPhone: officePhone(county.cityCode, rng),
    };
  });
}

type KindedOrganisation = DemoOrganisation & { kind: OrganisationKind; id: string };

function withKind(list: DemoOrganisation[], kind: OrganisationKind): KindedOrganisation[] {
  return list.map((org) => ({ ...org, kind, id: stableUuid(`organisation:${org.name}`) }));
}

const demoUniversities = withKind(universities, "university");
const demoAgencies = withKind(agencies, "agency");
const demoVolunteerOrgs = withKind(volunteerOrgs, "volunteer_org");
const demoOrganisations = [...demoUniversities, ...demoAgencies, ...demoVolunteerOrgs];

function planOrganisations() {
  return demoOrganisations.map(({ id, name, kind, cityCode }) => ({
    id,
    name,
    kind,
    regionCode: cityCode,
  }));
}

function sortSkills(skills: Iterable<ServiceType>): ServiceType[] {
  return [...new Set(skills)].sort((a, b) => serviceTypes.indexOf(a) - serviceTypes.indexOf(b));
}

/** About 55% junior, 35% intermediate, 10% senior, in a shuffled order. */
function certificateMix(count: number, rng: Random): CertificateLevel[] {
  const junior = Math.round(count * 0.55);
  const intermediate = Math.round(count * 0.35);
  const levels: CertificateLevel[] = [
    ...Array<CertificateLevel>(junior).fill("junior"),
    ...Array<CertificateLevel>(intermediate).fill("intermediate"),
    ...Array<CertificateLevel>(count - junior - intermediate).fill("senior"),
  ];
  return rng.shuffle(levels);
}

/** Two workers in every county, the rest in city districts, mostly 沈阳's and 大连's. */
function planSocialWorkers(counties: County[]) {
  const rng = createRandom("social-workers");
  const homes = counties.flatMap((county) => [county, county]);
  const districts = counties.filter((county) => county.name.endsWith("区"));
  const bigCity = (county: County) => county.cityCode === SHENYANG || county.cityCode === DALIAN;
  while (homes.length < SOCIAL_WORKER_COUNT) {
    homes.push(rng.weighted(districts, (county) => (bigCity(county) ? 3 : 1)));
  }
  const levels = certificateMix(homes.length, rng);
  const seen = new Map<string, number>();
  return homes.map((county, i) => {
    const ordinal = (seen.get(county.code) ?? 0) + 1;
    seen.set(county.code, ordinal);
    const agency = demoAgencies.find((org) => org.cityCode === county.cityCode);
    const employer = agency && rng.next() < 0.6 ? agency : rng.pick(demoUniversities);
    return {
      id: stableUuid(`social-worker:${county.code}:${ordinal}`),
      name: personName(rng),
      certificateLevel: itemAt(levels, i),
      skills: sortSkills(rng.sample(serviceTypes, rng.int(1, 3))),
      homeCountyCode: county.code,
      organisationId: employer.id,
      weeklyCapacity: rng.int(2, 5),
    };
  });
}

/** A volunteer before encryption: `mobile` is plaintext and must not be stored as is. */
export interface VolunteerPlan {
  id: string;
  teamId: string;
  name: string;
  mobile: string;
  skills: ServiceType[];
}

function teamSkills(organisation: KindedOrganisation, rng: Random): ServiceType[] {
  const skills = new Set(organisation.skills);
  const target = rng.int(Math.max(1, skills.size), 3);
  while (skills.size < target) skills.add(rng.pick(serviceTypes));
  return sortSkills(skills);
}

/** 8–12 volunteers for a team; `firstNumber` keeps mobile numbers unique across teams. */
function planMembers(teamId: string, skills: ServiceType[], firstNumber: number, rng: Random) {
  const size = rng.int(8, 12);
  return Array.from(
    { length: size },
    (_, i): VolunteerPlan => ({
      id: stableUuid(`volunteer:${teamId}:${i + 1}`),
      teamId,
      name: personName(rng),
      // 170 is a virtual-operator prefix; 170 0000 nnnn is plainly a made-up number.
      mobile: `170${String(firstNumber + i).padStart(8, "0")}`,
      skills: sortSkills(rng.sample(skills, rng.int(1, Math.min(2, skills.length)))),
    }),
  );
}

/** One team per county plus extras in 沈阳's and 大连's districts. */
function planTeams(counties: County[]) {
  const rng = createRandom("volunteer-teams");
  const homes = [...counties];
  const extras = counties.filter(
    (county) => county.name.endsWith("区") && [SHENYANG, DALIAN].includes(county.cityCode),
  );
  while (homes.length < VOLUNTEER_TEAM_COUNT) homes.push(rng.pick(extras));
  const orgsInCounty = new Map<string, Set<string>>();
  const teams = [];
  const members: VolunteerPlan[] = [];
  for (const county of homes) {
    const used = orgsInCounty.get(county.code) ?? new Set<string>();
    orgsInCounty.set(county.code, used);
    const pool = rng.next() < 0.8 ? demoVolunteerOrgs : demoUniversities;
    const available = pool.filter((org) => !used.has(org.id));
    const organisation = rng.weighted(available, (org) =>
      org.cityCode === county.cityCode ? 4 : 1,
    );
    used.add(organisation.id);
    const id = stableUuid(`volunteer-team:${county.code}:${organisation.name}`);
    const skills = teamSkills(organisation, rng);
    const team = planMembers(id, skills, members.length + 1, rng);
    members.push(...team);
    const suffix = organisation.kind === "university" ? "青年志愿服务队" : "分队";
    teams.push({
      id,
      name: `${organisation.short}${county.name}${suffix}`,
      organisationId: organisation.id,
      skills,
      countyCode: county.code,
      size: team.length,
      leaderName: itemAt(team, 0).name,
    });
  }
  return { teams, members };
}

/** Every demo row except the staff accounts, in insertion order. */
export function planDemo(index: RegionIndex) {
  const { teams, members } = planTeams(index.counties);
  return {
    organisations: planOrganisations(),
    communities: planCommunities(index),
    socialWorkers: planSocialWorkers(index.counties),
    volunteerTeams: teams,
    volunteers: members,
  };
}
