// Absence days per agent in a month (缺勤: scheduled, never signed in during the shift),
// and the flag for the manager above cfg.workforce.absence_days_flag days
// (缺勤天数5天以上需报备: more than 5 must be reported).
export interface AgentDayAttendance {
  agent: string;
  team: string;
  day: string;
  scheduled: boolean;
  attended: boolean;
}

export interface AbsenceRow {
  agent: string;
  team: string;
  absent_days: number;
  days: string[];
  flagged: boolean;
}

/** Every agent with at least one absence, most absences first; `flagged` when above the threshold. */
export function absences(rows: readonly AgentDayAttendance[], flagAbove: number): AbsenceRow[] {
  const by = new Map<string, AbsenceRow>();
  for (const r of rows) {
    if (!r.scheduled || r.attended) continue;
    const a = by.get(r.agent) ?? {
      agent: r.agent,
      team: r.team,
      absent_days: 0,
      days: [],
      flagged: false,
    };
    if (!a.days.includes(r.day)) {
      a.days.push(r.day);
      a.absent_days++;
    }
    by.set(r.agent, a);
  }
  return [...by.values()]
    .map((a) => ({ ...a, days: a.days.sort(), flagged: a.absent_days > flagAbove }))
    .sort((x, y) => y.absent_days - x.absent_days || (x.agent < y.agent ? -1 : 1));
}
