-- A batch's rows in one statement; rows already stored (a batch sent again) are skipped.
INSERT INTO hall_row (hall, epoch, seq, kind, at_ms, body)
SELECT $1, $2, r.seq, r.kind, r.at_ms, r.body
  FROM unnest($3::BIGINT[], $4::TEXT[], $5::BIGINT[], $6::JSONB[]) AS r (seq, kind, at_ms, body)
ON CONFLICT (hall, epoch, seq) DO NOTHING
