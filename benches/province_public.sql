-- The public pages' tables as $HALLS halls leave them after $DAYS days of 200 tickets each (the last day's
-- morning: 100 served, 2 at the counters, the rest waiting; one in ten a priority ticket). Tokens are 32
-- hex digits, as the halls make them.
INSERT INTO hall (id, name, token_hash)
SELECT 'xa-' || h, 'Xã ' || h, md5('hall' || h) FROM generate_series(1, $HALLS) h;
INSERT INTO hall_epoch (hall, epoch) SELECT id, 'e1' FROM hall;
INSERT INTO hall_now (hall, epoch, seq, body)
SELECT id, 'e1', 1, '{"name": "Xã", "address": "", "hours": "", "phone": "",
                      "services": [{"code": "HT", "name_vi": "Hộ tịch", "name_en": "Civil status", "open": 2,
                                    "typical_min": 8.0}],
                      "counters": [{"number": 1, "name": "Quầy 1"}, {"number": 2, "name": "Quầy 2"}]}'::JSONB
  FROM hall;
INSERT INTO ticket_now (hall, token, epoch, seq, id, day, service, state, priority, arrived_ms, body)
SELECT 'xa-' || h, md5(h || '-' || d || '-' || t), 'e1', d * 1000 + t, d * 1000 + t,
       (date '2026-06-01' + d)::TEXT, 'HT', s.state, t % 10 = 3,
       extract(epoch FROM (date '2026-06-01' + d))::BIGINT * 1000 + t * 60000,
       jsonb_build_object('id', d * 1000 + t, 'number', 'A' || lpad(t::TEXT, 3, '0'), 'state', s.state,
                          'counter', CASE WHEN s.state = 'serving' THEN 1 END, 'token', md5(h || '-' || d || '-' || t))
  FROM generate_series(1, $HALLS) h, generate_series(0, $DAYS - 1) d, generate_series(0, 199) t,
       LATERAL (SELECT CASE WHEN d < $DAYS - 1 OR t < 100 THEN 'done' WHEN t < 102 THEN 'serving'
                            ELSE 'waiting' END AS state) s;
ANALYZE ticket_now;
