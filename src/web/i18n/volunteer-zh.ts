/**
 * 中文 — the volunteers' front door, search, private page, recovery by code, fair limits and the
 * development message list. Spread into the catalogue by ./zh.ts (new sections only, so the staff
 * pages' keys stay where they are).
 */
export const volunteerZh = {
  front: {
    title: "志愿服务报名",
    heading: "双翼 · 专业社工 + 志愿服务",
    motto: "专业社工与志愿服务，如鸟之双翼、车之两轮。",
    intro: "专业社工带领志愿者、志愿者协助专业社工。选择您所在的社区，报名参加身边的志愿服务活动。",
    nearHeading: (name: string) => `${name}附近的活动`,
    upcomingHeading: "即将开展的活动",
    seeAll: "查看全部活动",
    seeAllNear: (name: string) => `查看${name}附近的全部活动`,
    findTitle: "找不到报名链接？",
    findBody: "用报名时的手机号接收短信验证码，即可找回您的报名，查看或取消。",
    staffTitle: "工作人员入口",
    staffBody: "社区工作者、专业社工和社会工作部工作人员请由此登录。",
    staffLink: "工作人员登录",
    apiDocs: "API 文档",
  },
  listing: {
    region: "地区",
    anyRegion: "全省",
    wholeCity: (name: string) => `${name}（全市）`,
    near: "离我近：我的社区",
    nearAny: "不限",
    nearHint: "选择区县并查找后，可选择所在社区，离您近的活动排在前面。",
    words: "搜索",
    wordsHint: "活动名称、社区或服务内容，例如“心理”“多福”",
    submit: "查找活动",
    whenLabel: "时间",
    when: { all: "全部时间", today: "今天", week: "本周", weekend: "周末" } as Record<
      string,
      string
    >,
    count: (n: number) => `共 ${n} 个活动`,
    page: (n: number, total: number) => `第 ${n} / ${total} 页`,
    previous: "上一页",
    next: "下一页",
    emptyFiltered: "没有符合条件的活动。",
    emptyFilteredHint: "可以换个时间或地区再找找，或",
    clear: "清除全部筛选",
    emptyAll: "暂时没有可报名的活动，请过几天再来看看。",
    distance: ["本社区", "同街道", "同区县", "同城市", "同省"] as string[],
  },
  signupPage: {
    savedNotice: "专属链接已通过短信发送到您的手机。也请收藏本页或截图保存，用于查看或取消报名。",
    pageLink: "本页链接（专属链接）",
    addToCalendar: "添加到日历",
    calendarHint: "下载日历文件（.ics），手机日历可直接导入。",
    lostLink: "以后找不到这个链接？可以随时用手机号找回。",
    existingBody: "这个手机号已经报名了本活动。可以用短信验证码找回您的专属链接。",
    sendCode: (masked: string) => `发送验证码到 ${masked}`,
  },
  find: {
    navLink: "找回报名",
    title: "找回我的报名",
    intro:
      "输入报名时填写的手机号码，我们会发送 6 位数字验证码。验证后可以查看这个手机号的全部报名，并获得新的专属链接。",
    mobile: "手机号码",
    send: "发送验证码",
    codeTitle: "输入验证码",
    codeSent: (masked: string) =>
      `如果 ${masked} 有报名记录，验证码已通过短信发出，10 分钟内有效。`,
    code: "验证码",
    codeHint: "短信中的 6 位数字",
    verify: "验证",
    resend: "没有收到？重新获取验证码",
    errCode: "请输入短信中的 6 位数字验证码",
    wrongCode: (left: number) => `验证码不正确，还可以再试 ${left} 次`,
    tooManyAttempts: "验证码输错次数过多，请重新获取验证码。",
    expired: "验证码已过期，请重新获取。",
    tooSoon: (seconds: number) => `获取验证码太频繁，请在约 ${seconds} 秒后再试。`,
    listTitle: "我的报名",
    listIntro:
      "以下是这个手机号的报名。每个报名都换了新的专属链接，之前的链接（包括短信中的）已失效。",
    none: "这个手机号没有可查看的报名。",
    open: "查看或取消",
    listExpired: "为保护您的信息，此页面已过期，请重新获取验证码。",
  },
  limits: {
    title: "提交太频繁",
    retryIn: (seconds: number) =>
      `提交的人或次数太多了，请在约 ${seconds} 秒后再次提交。您填写的内容已保留。`,
    backToEvent: "返回活动页面",
  },
  publicErrors: {
    back: {
      event: "返回活动页面",
      signup: "返回我的报名",
      find: "返回找回报名",
      list: "返回活动列表",
      home: "返回首页",
    } as Record<string, string>,
    unavailableTitle: "暂时无法连接",
    unavailableBody: "系统繁忙，请稍后再试。",
    maybeStored:
      "如果您刚才提交了报名，报名可能已经保存，请不要重复提交。可以通过“找回我的报名”查看。",
    findLink: "找回我的报名",
  },
  devMessages: {
    title: "开发环境：已发出的短信",
    intro:
      "仅在开发环境（ENVIRONMENT=development）提供：发送器发出的每一条短信都列在这里（手机号已隐去），包括验证码和专属链接，最新的在前。生产环境没有此页面。",
    none: "还没有发出短信。报名、找回报名或取消报名后刷新本页。",
    to: "发往",
    kind: "类型",
  },
};
