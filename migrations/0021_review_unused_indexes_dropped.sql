-- Two more indexes of review questions served no statement, and every question written
-- paid for both. By status, priority and confidence: the review list orders by an
-- expression (`status = 'pending' DESC, …`) no index serves, the queue's pages read
-- `ix_review_queue`, and the count of pending questions reads that partial index as
-- fast (100,000 pending: 10 ms either way). By creation time: nothing asks by it.
-- A scan that writes many questions (a second copy of a library: one per copy) writes
-- about 5% faster without them.
DROP INDEX IF EXISTS ix_review_status_priority;
DROP INDEX IF EXISTS ix_review_created;
