INSERT INTO booking (hall, day, service, starts_min, ends_min, seq, code, token, phone, phone_hash, last3, made_ms,
                     changed_ms)
VALUES ($1, $2::TEXT::DATE, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
