-- The highest number taken today in a service (answered from the unique index, without counting).
SELECT max(seq) FROM ticket WHERE day = ?1 AND service = ?2
