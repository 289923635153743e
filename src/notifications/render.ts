import type { NotificationKind, NotificationPayload } from "./kinds";

const shanghai = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Asia/Shanghai",
  month: "numeric",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

function parts(iso: string) {
  const found = Object.fromEntries(
    shanghai.formatToParts(new Date(iso)).map((part) => [part.type, part.value]),
  );
  return {
    date: `${Number(found.month)}月${Number(found.day)}日`,
    time: `${found.hour}:${found.minute}`,
  };
}

/** "3月5日 09:00–11:00" in Asia/Shanghai; the end shows its date only when it is another day. */
export function formatWhen(startsAt: string, endsAt: string): string {
  const start = parts(startsAt);
  const end = parts(endsAt);
  const endText = end.date === start.date ? end.time : `${end.date} ${end.time}`;
  return `${start.date} ${start.time}–${endText}`;
}

/**
 * The Chinese text a volunteer receives (SMS-length: one or two sentences, signed 【双翼】). With
 * `link` (the volunteer's private link, absolute), the messages about their own place end with it,
 * so the SMS is also how they come back to view or cancel.
 */
export function renderText(
  kind: NotificationKind,
  payload: NotificationPayload,
  link?: string,
): string {
  const title = `「${payload.eventTitle}」`;
  const when = formatWhen(payload.startsAt, payload.endsAt);
  const code = payload.confirmationCode;
  const manage = link ? `查看或取消：${link}` : "";
  switch (kind) {
    case "signup_confirmed":
      return `【双翼】报名成功：${title}，${when}，地点：${payload.place}。签到确认码 ${code}。${manage}`;
    case "waitlisted":
      return `【双翼】${title}（${when}）名额已满，您在候补名单第 ${payload.waitlistPosition ?? "?"} 位，有空位时将自动为您报名并通知您。${manage}`;
    case "promoted":
      return `【双翼】${title}（${when}）有了空位，您已从候补转为报名成功。签到确认码 ${code}。${manage}`;
    case "event_changed": {
      const previous = payload.previousStartsAt
        ? `（原定 ${parts(payload.previousStartsAt).date} ${parts(payload.previousStartsAt).time}）`
        : "";
      const cancel = link ? `如不能参加，请取消：${link}` : "如不能参加，请通过报名链接取消。";
      return `【双翼】活动时间变更：${title}改为 ${when}${previous}。${cancel}`;
    }
    case "event_cancelled":
      return `【双翼】活动取消：${title}（${when}）已取消${payload.reason ? `，原因：${payload.reason}` : ""}。敬请谅解。`;
    case "reminder":
      return `【双翼】活动提醒：${title}，${when}，地点：${payload.place}。签到确认码 ${code}。${link ? `不能参加请取消：${link}` : ""}`;
  }
}

/** The SMS with a one-time code for finding one's sign-ups. */
export function renderRecoveryCode(code: string): string {
  return `【双翼】您的验证码是 ${code}，10 分钟内有效，用于找回报名。如非本人操作，请忽略。`;
}
