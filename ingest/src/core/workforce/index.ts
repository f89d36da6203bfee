// The workforce module's public surface: roster and excused-time parsing, the live engine,
// and the config section (registered on import).
export { createWorkforceEngine, type WorkforceEngine, type WorkforceLive } from './engine.js';
export { parseRoster, RosterFormatError, type RosterParse, type RowError } from './roster-parse.js';
export { parseExcused, type ExcusedParse } from './excused.js';
export { validateWorkforce, registerWorkforceConfigValidator } from './config.js';
export { operatingDay, dayStartMs, nextDay, parseRosterTime } from './time.js';
export { groupFigures, teamLive, type GroupFigures } from './team-figures.js';
export type { AgentDayFigures } from './agent-figures.js';
export { stateKey, segmentStatus } from './adherence-map.js';
export { absences, type AbsenceRow, type AgentDayAttendance } from './absences.js';
