-- A booking by its hall, code and phone, from today on.
SELECT token FROM booking
 WHERE hall = $1 AND code = $2 AND phone_hash = $3 AND day >= $4::TEXT::DATE
 ORDER BY day
 LIMIT 1
