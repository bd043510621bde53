SELECT pg_advisory_unlock(hashtext('motcua-province-migrate'))
