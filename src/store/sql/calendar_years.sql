SELECT year, body, saved_at, actor FROM calendar_year ORDER BY year
