-- Places taken in each window of a hall's service from day $3 to day $4.
SELECT day::TEXT, starts_min, taken
  FROM booking_window
 WHERE hall = $1 AND service = $2 AND day BETWEEN $3::TEXT::DATE AND $4::TEXT::DATE
