-- One migration at a time: two services, or a command and a service, starting together wait for each other.
SELECT pg_advisory_lock(hashtext('motcua-province-migrate'))
