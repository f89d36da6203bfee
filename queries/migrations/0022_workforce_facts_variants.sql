-- A stored day's figures in two variants, so a report over any range gives exactly the figures
-- of deriving the whole range from events (queries/workforce-facts.ts): variant 0 with every
-- agent starting the look-back (48 h before the day) logged out, as a report starting that
-- day; variant 1, only for agents whose last event before the look-back left them signed in,
-- starting in that state, as a report starting earlier than that event. prior_ms is that
-- event's time (0: none, or a sign-out); a report uses variant 1 when it reads from before it.
ALTER TABLE {db}.workforce_day_facts ADD COLUMN IF NOT EXISTS variant UInt8 DEFAULT 0;

ALTER TABLE {db}.workforce_day_facts ADD COLUMN IF NOT EXISTS prior_ms Int64 DEFAULT 0;
