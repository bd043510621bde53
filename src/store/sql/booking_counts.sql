-- Bookings of days ?1 to ?2 by state (made = all of them).
SELECT state, count(*) FROM booking WHERE day BETWEEN ?1 AND ?2 GROUP BY state
