-- $HALLS halls that take bookings for Hộ tịch (10 places a window, 30-minute windows 07:30-11:30 and
-- 13:30-17:00 on working days), and for $MONTH > 0 a month of bookings: 5 places of every window taken on
-- every working day from $MONTH days back to a week ahead; past ones checked in, future ones booked.
INSERT INTO hall (id, name, token_hash)
SELECT 'xa-' || h, 'Xã ' || h, md5('hall' || h) FROM generate_series(1, $HALLS) h;
INSERT INTO hall_epoch (hall, epoch) SELECT id, 'e1' FROM hall;
INSERT INTO hall_now (hall, epoch, seq, body)
SELECT id, 'e1', 1, jsonb_build_object(
         'name', name,
         'services', '[{"code": "HT", "name_vi": "Hộ tịch", "name_en": "Civil status", "open": 2,
                        "typical_min": 8.0}]'::JSONB,
         'booking', jsonb_build_object(
           'enabled', true, 'days_ahead', 7, 'window_minutes', 30, 'share_percent', 50,
           'services', jsonb_build_array(jsonb_build_object(
             'code', 'HT', 'prefix', 'A', 'slots', 10,
             'days', (SELECT jsonb_agg(jsonb_build_object('day', d::DATE::TEXT,
                                                          'hours', '["07:30-11:30", "13:30-17:00"]'::JSONB))
                        FROM generate_series(current_date - 1, current_date + 8, interval '1 day') d
                       WHERE extract(isodow FROM d) < 6)))))
  FROM hall;
INSERT INTO booking (hall, day, service, starts_min, ends_min, seq, code, token, phone, phone_hash, last3, state,
                     ticket, made_ms, changed_ms)
SELECT hall, day, 'HT', w, w + 30, seq, 'H-' || lpad(seq::TEXT, 4, '0'), md5(hall || day || w || k),
       CASE WHEN day >= current_date THEN '09' || lpad((seq * 7919 % 100000000)::TEXT, 8, '0') END,
       md5('phone' || hall || day || w || k), '000',
       CASE WHEN day < current_date THEN 'checked_in' ELSE 'booked' END,
       CASE WHEN day < current_date THEN 'A' || lpad(seq::TEXT, 3, '0') END, 0, 0
  FROM (SELECT 'xa-' || h AS hall, d::DATE AS day, w, k,
               row_number() OVER (PARTITION BY h, d ORDER BY w, k)::INTEGER AS seq
          FROM generate_series(1, $HALLS) h,
               generate_series(current_date - $MONTH, current_date + 7, interval '1 day') d,
               unnest(ARRAY[450, 480, 510, 540, 570, 600, 630, 660, 810, 840, 870, 900, 930, 960, 990]) w,
               generate_series(1, 5) k
         WHERE $MONTH > 0 AND extract(isodow FROM d) < 6) made;
INSERT INTO booking_window (hall, day, service, starts_min, taken)
SELECT hall, day, service, starts_min, count(*) FROM booking GROUP BY hall, day, service, starts_min;
INSERT INTO booking_day (hall, day, last) SELECT hall, day, max(seq) FROM booking GROUP BY hall, day;
ANALYZE booking;
ANALYZE booking_window;
