// Access control, pure: roles and principals, the route table, and the decision.
export * from './roles.js';
export * from './route-table.js';
export * from './decide.js';
export * from './attempts.js';
