-- One booking at a time per phone number, whichever the hall: its caps are counted then.
SELECT pg_advisory_xact_lock(hashtext('booking:' || $1))
