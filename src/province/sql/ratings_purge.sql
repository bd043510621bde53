-- Ratings a hall pulled two days ago or more: by now the hall's own rating has come back in its pushes.
DELETE FROM rating_sent
 WHERE hall = $1 AND delivered AND sent_ms < (extract(epoch FROM now()) * 1000)::BIGINT - 2 * 86400000
