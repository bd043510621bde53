SELECT b.id, b.hall, h.name, b.day::TEXT, b.service, b.starts_min, b.ends_min, b.code, b.token, b.state, b.ticket,
       b.phone IS NOT NULL
  FROM booking b JOIN hall h ON h.id = b.hall
 WHERE b.token = $1
