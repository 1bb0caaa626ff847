-- Rate-limit counters are written on every API call and every sign-in attempt. They are worth
-- nothing after a crash (a window simply starts over), so they skip the WAL and its fsync: every
-- request was waiting for a disk flush just to count itself.
ALTER TABLE "rate_limits" SET UNLOGGED;
