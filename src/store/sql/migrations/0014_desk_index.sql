-- Counter-hours read the logins, logouts, pauses and resumes of a period without scanning its calls.
CREATE INDEX queue_event_desk ON queue_event (at_ms)
    WHERE kind IN ('logged_in', 'logged_out', 'paused', 'resumed') AND counter IS NOT NULL;
