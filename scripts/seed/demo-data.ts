/**
 * Fixed lists behind the demo seed. Universities are real Liaoning universities that teach social
 * work; the one volunteer team named in the 2025 report (医路有我) is real; every other agency,
 * organisation and person is invented.
 */
import type { ServiceType } from "../../src/domain/vocabulary";

export interface DemoOrganisation {
  name: string;
  /** Six-digit city code the organisation is based in. */
  cityCode: string;
  /** How its teams are named: `${short}${county}分队`. */
  short: string;
  skills: ServiceType[];
}

export const universities: DemoOrganisation[] = [
  { name: "辽宁大学", cityCode: "210100", short: "辽宁大学", skills: [] },
  { name: "东北大学", cityCode: "210100", short: "东北大学", skills: [] },
  { name: "沈阳师范大学", cityCode: "210100", short: "沈阳师范大学", skills: [] },
  { name: "沈阳工业大学", cityCode: "210100", short: "沈阳工业大学", skills: [] },
  { name: "辽宁师范大学", cityCode: "210200", short: "辽宁师范大学", skills: [] },
  { name: "大连理工大学", cityCode: "210200", short: "大连理工大学", skills: [] },
  { name: "大连海事大学", cityCode: "210200", short: "大连海事大学", skills: [] },
  { name: "渤海大学", cityCode: "210700", short: "渤海大学", skills: [] },
];

const agency = (cityCode: string, name: string): DemoOrganisation => ({
  name,
  cityCode,
  short: name,
  skills: [],
});

/** One invented social work agency per city. */
export const agencies: DemoOrganisation[] = [
  agency("210100", "沈阳市和平区暖阳社会工作服务中心"),
  agency("210200", "大连市中山区海燕社会工作服务中心"),
  agency("210300", "鞍山市铁东区钢城社会工作服务中心"),
  agency("210400", "抚顺市顺城区向阳社会工作服务中心"),
  agency("210500", "本溪市平山区枫叶社会工作服务中心"),
  agency("210600", "丹东市振兴区江畔社会工作服务中心"),
  agency("210700", "锦州市古塔区同心社会工作服务中心"),
  agency("210800", "营口市站前区海潮社会工作服务中心"),
  agency("210900", "阜新市海州区和美社会工作服务中心"),
  agency("211000", "辽阳市白塔区春晖社会工作服务中心"),
  agency("211100", "盘锦市兴隆台区苇乡社会工作服务中心"),
  agency("211200", "铁岭市银州区银杏社会工作服务中心"),
  agency("211300", "朝阳市双塔区凤鸣社会工作服务中心"),
  agency("211400", "葫芦岛市龙港区海韵社会工作服务中心"),
];

const org = (
  cityCode: string,
  short: string,
  rest: string,
  skills: ServiceType[],
): DemoOrganisation => ({ name: short + rest, cityCode, short, skills });

/** Twenty professional volunteer organisations, one field each, as in the 2025 report. */
export const volunteerOrgs: DemoOrganisation[] = [
  org("210100", "医路有我", "医学应急急救志愿服务队", ["first_aid", "emergency"]),
  org("210100", "心晴驿站", "心理疏导志愿服务队", ["counselling"]),
  org("210100", "辽沈先锋", "应急救援志愿服务队", ["emergency", "first_aid"]),
  org("210100", "法润辽沈", "法律援助志愿服务队", ["legal_aid", "mediation"]),
  org("210200", "海之韵", "心理援助志愿服务队", ["counselling", "child_care"]),
  org("210200", "滨城守护", "应急救援志愿服务队", ["emergency"]),
  org("210200", "律行海湾", "法律服务志愿团", ["legal_aid"]),
  org("210300", "钢都银龄", "养老照护志愿服务队", ["elderly_care"]),
  org("210400", "学雷锋", "理论宣讲志愿服务团", ["lecture"]),
  org("210400", "老兵之声", "文艺志愿服务团", ["recreation", "lecture"]),
  org("210500", "枫叶红", "邻里守望志愿服务队", ["neighbourhood_watch"]),
  org("210600", "江城童心", "儿童关爱志愿服务队", ["child_care"]),
  org("210700", "古塔和事佬", "矛盾调解志愿服务队", ["mediation"]),
  org("210800", "渔港平安", "应急救援志愿服务队", ["emergency", "first_aid"]),
  org("210900", "玛瑙城", "心理健康志愿服务队", ["counselling"]),
  org("211000", "白塔暖阳", "养老照护志愿服务队", ["elderly_care", "recreation"]),
  org("211100", "湿地卫士", "卫生救护志愿服务队", ["first_aid"]),
  org("211200", "银州之声", "文艺志愿服务团", ["recreation"]),
  org("211300", "凤凰山", "邻里守望志愿服务队", ["neighbourhood_watch", "mediation"]),
  org("211400", "小橘灯", "儿童关爱志愿服务队", ["child_care", "lecture"]),
];

/**
 * Landline area codes. 抚顺 and 铁岭 joined 沈阳's 024 in 2011 (numbers prefixed 5 and 7), 本溪 in
 * 2014 (prefixed 4); 沈阳 and 大连 have 8-digit local numbers, the other cities 7.
 */
export const cityPhone: Record<string, { areaCode: string; lead: string; digits: number }> = {
  "210100": { areaCode: "024", lead: "2", digits: 8 },
  "210200": { areaCode: "0411", lead: "8", digits: 8 },
  "210300": { areaCode: "0412", lead: "5", digits: 7 },
  "210400": { areaCode: "024", lead: "5", digits: 8 },
  "210500": { areaCode: "024", lead: "4", digits: 8 },
  "210600": { areaCode: "0415", lead: "2", digits: 7 },
  "210700": { areaCode: "0416", lead: "3", digits: 7 },
  "210800": { areaCode: "0417", lead: "2", digits: 7 },
  "210900": { areaCode: "0418", lead: "3", digits: 7 },
  "211000": { areaCode: "0419", lead: "2", digits: 7 },
  "211100": { areaCode: "0427", lead: "2", digits: 7 },
  "211200": { areaCode: "024", lead: "7", digits: 8 },
  "211300": { areaCode: "0421", lead: "2", digits: 7 },
  "211400": { areaCode: "0429", lead: "2", digits: 7 },
};

/** Common surnames, most frequent first (the generator favours the head of the list). */
export const surnames = [
  ..."王李张刘陈杨赵黄周吴徐孙马胡朱郭何罗高林于郑梁谢宋唐许邓冯韩曹曾彭蔡潘田董袁姜崔",
  ..."程金魏鲍卢史丁任范姚付杜关孟白石贾秦邵侯薛闫常宁吕苏康尹段雷钱汤武乔",
];

/** Given names of the kinds common in Liaoning across three generations. */
export const givenNames = [
  ..."伟,芳,娜,敏,静,丽,强,磊,军,洋,勇,艳,杰,娟,涛,明,超,霞,平,刚,丹,鹏,辉,玲,宇,博,颖,爽,阳,红".split(
    ",",
  ),
  ..."秀英,桂兰,玉珍,凤琴,淑华,淑珍,丽华,春梅,海燕,晓东,建国,建华,国庆,志刚,志强,立新".split(","),
  ..."晓丽,雪梅,婷婷,欣怡,子涵,梓萱,雨桐,思雨,佳琪,浩然,宇航,俊杰,子轩,博文,一鸣,天宇".split(","),
  ..."文博,明轩,嘉怡,诗琪,晨曦,梦瑶,佳慧,春雨,冬梅,铁军,长林,振华,德山,永刚,丽娟,秀梅".split(","),
];

/** Titles of the demo's past events, by service type (the community's name is appended). */
export const eventTitles: Record<ServiceType, string[]> = {
  lecture: ["理论宣讲进社区", "党的创新理论微宣讲", "身边人讲身边事"],
  neighbourhood_watch: ["邻里守望走访", "独居老人敲门行动", "楼栋守望志愿服务"],
  mediation: ["矛盾纠纷调解日", "信访矛盾化解接待", "和事佬调解室开放日"],
  first_aid: ["应急救护培训", "心肺复苏与AED培训", "急救知识进社区"],
  counselling: ["心理健康讲座", "心理疏导团体辅导", "心灵驿站开放日"],
  legal_aid: ["法律援助咨询", "法律明白人课堂", "新就业群体法律服务"],
  elderly_care: ["银龄关爱上门服务", "助老理发与健康测量", "为老服务集市"],
  child_care: ["儿童关爱课堂", "四点半课堂", "暑期儿童托管"],
  emergency: ["应急疏散演练", "防汛防火知识宣传", "应急救援演练"],
  recreation: ["邻里文化节", "社区文艺汇演", "健步走与趣味运动会"],
};
